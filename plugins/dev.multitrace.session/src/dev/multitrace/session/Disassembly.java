package dev.multitrace.session;

import dev.multitrace.core.Disassembler;
import dev.multitrace.core.Instruction;
import dev.multitrace.symbols.MemoryReader;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The program's code as instructions, each with its function and source line: for an address range or from a
 * source line on. Decoded from the bytes read through a held thread's examination, so a planted breakpoint's
 * int3 never shows, or from a core's memory. A range that starts inside an instruction is decoded from the start of its function, so
 * the instructions are the ones the program executes (not a decoding out of step with them).
 */
final class Disassembly {

    /** The most a request decodes: far more than a view shows, little enough to answer at once. */
    static final long MAX_RANGE = 1 << 20;
    /** How far back an instruction boundary is looked for from the function's start. */
    private static final long MAX_REALIGN = 1 << 16;

    private final SessionSymbols symbols;

    Disassembly(SessionSymbols symbols) {
        this.symbols = symbols;
    }

    /** Where to start decoding for {@code address}: the start of its function when near, else itself. */
    private long decodeFrom(long address) {
        Optional<FunctionInfo> f = symbols.functionAt(address);
        if (f.isPresent() && Long.compareUnsigned(address - f.get().start(), MAX_REALIGN) <= 0) {
            return f.get().start();
        }
        return address;
    }

    /** The instructions that overlap {@code [start, end)}. */
    List<DisassembledInstruction> range(MemoryReader memory, long start, long end) {
        if (Long.compareUnsigned(end, start) <= 0) {
            throw new IllegalArgumentException("empty range 0x" + Long.toHexString(start) + "..0x" + Long.toHexString(end));
        }
        if (Long.compareUnsigned(end - start, MAX_RANGE) > 0) {
            throw new IllegalArgumentException("range of " + Long.toUnsignedString(end - start) + " bytes: at most "
                    + MAX_RANGE + " at a time");
        }
        long from = decodeFrom(start);
        byte[] buffer = new byte[Math.toIntExact(end - from + Disassembler.MAX_INSTRUCTION)];
        byte[] code = java.util.Arrays.copyOf(buffer, memory.read(from, buffer, 0, buffer.length));
        if (code.length == 0) {
            throw new IllegalArgumentException("no readable memory at 0x" + Long.toHexString(from));
        }
        List<DisassembledInstruction> out = new ArrayList<>();
        for (Instruction i : Disassembler.decode(code, from, Integer.MAX_VALUE)) {
            if (Long.compareUnsigned(i.address(), end) >= 0) {
                break;
            }
            if (Long.compareUnsigned(i.end(), start) > 0) {
                out.add(annotate(i));
            }
        }
        return out;
    }

    /**
     * From the first address of {@code file:line} to the end of its function, at most {@code max} instructions
     * ({@code max} < 1: all).
     */
    List<DisassembledInstruction> fromLine(MemoryReader memory, String file, int line, int max) {
        long[] addresses = symbols.addressesFor(file, line);
        if (addresses.length == 0) {
            throw new IllegalArgumentException("no code for " + file + ":" + line);
        }
        long start = addresses[0];
        for (long a : addresses) {
            start = Long.compareUnsigned(a, start) < 0 ? a : start;
        }
        Optional<FunctionInfo> f = symbols.functionAt(start);
        long end = f.filter(fn -> fn.size() > 0).map(fn -> fn.start() + fn.size()).orElse(start + 256);
        List<DisassembledInstruction> all = range(memory, start, end);
        return max > 0 && all.size() > max ? List.copyOf(all.subList(0, max)) : all;
    }

    private DisassembledInstruction annotate(Instruction i) {
        return new DisassembledInstruction(i, symbols.functionAt(i.address()),
                symbols.lineAt(i.address()).filter(p -> p.line() > 0));
    }
}
