package dev.multitrace.core;

/**
 * One decoded machine instruction of a traced program ({@link Disassembler}); the service's own type, so that
 * no client sees the Linux bundle's.
 *
 * @param address  where it is
 * @param bytes    its encoding (the program's own bytes: a breakpoint's int3 is never here)
 * @param mnemonic AT&amp;T mnemonic ({@code movl}, {@code callq}); {@code (bad)} for a byte that is no instruction
 * @param operands AT&amp;T operands ({@code %edi, -4(%rbp)}), empty if none
 */
public record Instruction(long address, byte[] bytes, String mnemonic, String operands) {

    public Instruction {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    /** The first address after it. */
    public long end() {
        return address + bytes.length;
    }

    /** {@code movl %edi, -4(%rbp)}. */
    public String text() {
        return operands.isEmpty() ? mnemonic : mnemonic + " " + operands;
    }
}
