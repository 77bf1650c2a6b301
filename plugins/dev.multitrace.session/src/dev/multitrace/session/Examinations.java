package dev.multitrace.session;

import dev.multitrace.core.Examination;
import dev.multitrace.core.GeneralRegisters;
import dev.multitrace.core.TracingException;
import dev.multitrace.symbols.MemoryReader;

import java.util.OptionalLong;

/**
 * Reading a held thread through the service's {@link Examination}: its memory for the unwinder, single words,
 * and expression contexts for conditions and memory expressions. Nothing here keeps an examination: it is
 * valid only until its thread resumes.
 */
final class Examinations {

    private Examinations() {
    }

    /** The thread's memory for the unwinder: through the examination (int3 bytes hidden), unreadable as 0 bytes. */
    static MemoryReader memory(Examination x) {
        return (address, into, offset, length) -> {
            try {
                return x.read(address, into, offset, length);
            } catch (RuntimeException e) {
                return 0;
            }
        };
    }

    /** The 8-byte word at {@code address}; empty if unreadable (a short read is an exception of readLong). */
    static OptionalLong readWord(Examination x, long address) {
        try {
            return OptionalLong.of(x.readLong(address));
        } catch (RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** An expression context over a held thread; symbols are looked up in the session's current modules. */
    static Expression.Context context(Examination x, SessionSymbols symbols) {
        GeneralRegisters[] regs = new GeneralRegisters[1];
        return new Expression.Context() {
            @Override
            public long register(String name) {
                if (regs[0] == null) {
                    regs[0] = GeneralRegisters.read(x);
                }
                return regs[0].get(name);
            }

            @Override
            public byte[] read(long address, int length) {
                try {
                    return x.read(address, length);
                } catch (TracingException e) {
                    return new byte[0];
                }
            }

            @Override
            public OptionalLong symbol(String name) {
                return symbols.symbolAddress(name);
            }
        };
    }
}
