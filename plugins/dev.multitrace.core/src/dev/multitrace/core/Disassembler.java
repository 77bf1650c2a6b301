package dev.multitrace.core;

import dev.multitrace.linux.Capstone;
import dev.multitrace.linux.DecodedInstruction;

import java.util.ArrayList;
import java.util.List;

/**
 * x86-64 code into instructions, in objdump's default (AT&amp;T) syntax, by Capstone through the Linux
 * layer's binding. Here so that the session and the front ends, which see only this bundle, can decode
 * bytes they read through an {@link Examination} (read that way, the program's own bytes: the service's
 * int3s are hidden).
 */
public final class Disassembler {

    /** The longest x86 instruction: read this many bytes past a range to decode its last one whole. */
    public static final int MAX_INSTRUCTION = Capstone.MAX_INSTRUCTION;

    private Disassembler() {
    }

    /** Why decoding cannot work on this machine (Capstone 4 missing, and what to install), or null if it can. */
    public static String unavailableReason() {
        return Capstone.unavailableReason();
    }

    /**
     * Decodes {@code code}, found at {@code address}, into at most {@code max} instructions; a byte that is no
     * instruction becomes a one-byte {@code (bad)} one, and undecodable bytes in the last
     * {@link #MAX_INSTRUCTION} - 1 end the list (their instruction may go on past the code given).
     *
     * @throws UnsupportedOperationException if Capstone 4 is not installed (the message says what to install)
     */
    public static List<Instruction> decode(byte[] code, long address, int max) {
        List<DecodedInstruction> decoded = Capstone.decodeX86_64(code, address, max);
        List<Instruction> out = new ArrayList<>(decoded.size());
        for (DecodedInstruction d : decoded) {
            out.add(new Instruction(d.address(), d.bytes(), d.mnemonic(), d.operands()));
        }
        return out;
    }
}
