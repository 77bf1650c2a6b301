package dev.multitrace.engines;

import java.util.ArrayList;
import java.util.List;

/**
 * A named set of bit flags printed strace's way: the names in strace's order joined by
 * {@code |}, any bits without a name as one hex number at the end, {@code 0} when nothing is set.
 */
final class FlagSet {

    private final List<String> names = new ArrayList<>();
    private final List<Long> bits = new ArrayList<>();

    /** Adds a flag; flags are printed in the order they are added (strace's, not by value). */
    FlagSet add(String name, long bit) {
        names.add(name);
        bits.add(bit);
        return this;
    }

    /** Appends the flags of {@code value}; returns the bits no name covers (already printed). */
    String format(long value) {
        StringBuilder s = new StringBuilder();
        long rest = append(s, value);
        if (rest != 0) {
            sep(s).append("0x").append(Long.toHexString(rest));
        }
        return s.isEmpty() ? "0" : s.toString();
    }

    /** Appends the named flags of {@code value} to {@code s}; returns the bits left over. */
    long append(StringBuilder s, long value) {
        long rest = value;
        for (int i = 0; i < names.size(); i++) {
            long b = bits.get(i);
            if (b != 0 && (rest & b) == b) {
                sep(s).append(names.get(i));
                rest &= ~b;
            }
        }
        return rest;
    }

    static StringBuilder sep(StringBuilder s) {
        if (!s.isEmpty()) {
            s.append('|');
        }
        return s;
    }
}
