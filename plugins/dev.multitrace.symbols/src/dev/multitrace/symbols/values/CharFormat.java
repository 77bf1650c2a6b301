package dev.multitrace.symbols.values;

/**
 * Characters and strings as gdb prints them: printable ASCII as is, C's named escapes ({@code \n}), other
 * bytes as three-digit octal ({@code \310}); in strings, runs of more than
 * {@link ValueFormat#REPEAT_THRESHOLD} equal characters become {@code 'c' <repeats N times>} segments,
 * joined to the quoted parts by {@code ", "}, as in {@code "global buffer", '\000' <repeats 18 times>}.
 */
final class CharFormat {

    private CharFormat() {
    }

    /** {@code 'A'}, {@code '\n'}, {@code '\373'}. */
    static void character(StringBuilder b, int c) {
        b.append('\'');
        escape(b, c, '\'');
        b.append('\'');
    }

    /**
     * The first {@code length} bytes of {@code s} as a string, at most {@code max} characters, then
     * {@code ...} if it was cut (or {@code ellipsis} says it goes on).
     */
    static void string(StringBuilder b, byte[] s, int length, int max, boolean ellipsis) {
        if (length == 0) {
            b.append("\"\"");
            return;
        }
        int shown = Math.min(length, max);
        boolean inQuotes = false;
        boolean first = true;
        int i = 0;
        int printed = 0;
        while (i < shown && printed < max) {
            int c = s[i] & 0xff;
            int reps = 1;
            while (i + reps < shown && (s[i + reps] & 0xff) == c) {
                reps++;
            }
            if (reps > ValueFormat.REPEAT_THRESHOLD) {
                if (inQuotes) {
                    b.append("\", ");
                    inQuotes = false;
                } else if (!first) {
                    b.append(", ");
                }
                character(b, c);
                b.append(" <repeats ").append(reps).append(" times>");
                i += reps;
                printed += ValueFormat.REPEAT_THRESHOLD;
            } else {
                if (!inQuotes) {
                    if (!first) {
                        b.append(", ");
                    }
                    b.append('"');
                    inQuotes = true;
                }
                escape(b, c, '"');
                i++;
                printed++;
            }
            first = false;
        }
        if (inQuotes) {
            b.append('"');
        }
        if (ellipsis || i < length) {
            b.append("...");
        }
    }

    private static void escape(StringBuilder b, int c, char quote) {
        switch (c) {
            case '\n' -> b.append("\\n");
            case '\t' -> b.append("\\t");
            case '\r' -> b.append("\\r");
            case 7 -> b.append("\\a");
            case '\b' -> b.append("\\b");
            case '\f' -> b.append("\\f");
            case 11 -> b.append("\\v");
            case 27 -> b.append("\\033");
            case '\\' -> b.append("\\\\");
            default -> {
                if (c == quote) {
                    b.append('\\').append((char) c);
                } else if (c >= 0x20 && c < 0x7f) {
                    b.append((char) c);
                } else {
                    b.append('\\').append(String.format("%03o", c));
                }
            }
        }
    }
}
