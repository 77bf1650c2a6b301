package dev.multitrace.linux;

/**
 * One machine instruction as Capstone decoded it.
 *
 * @param address  where it is (the address the decoded bytes were given for)
 * @param bytes    its encoding
 * @param mnemonic AT&amp;T mnemonic, {@code "(bad)"} for bytes that are no instruction
 * @param operands AT&amp;T operands, empty if none
 */
public record DecodedInstruction(long address, byte[] bytes, String mnemonic, String operands) {

    public DecodedInstruction {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }
}
