package dev.multitrace.engines;

/**
 * strace's way of printing strings: C escapes for the usual controls, octal for other
 * non-printable bytes (three digits only where the next character is an octal digit, so the
 * escape cannot swallow it), and {@code "..."} after the closing quote when the string was cut.
 */
final class Quoting {

    /** strace's default {@code -s}: the most bytes of a string or buffer it prints. */
    static final int MAX_STRLEN = 32;

    private Quoting() {
    }

    /**
     * Quotes {@code len} bytes of {@code b}; {@code truncated} appends {@code ...} after the quote.
     */
    static String quote(byte[] b, int len, boolean truncated) {
        StringBuilder s = new StringBuilder(len + 8);
        s.append('"');
        for (int i = 0; i < len; i++) {
            int c = b[i] & 0xff;
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\f' -> s.append("\\f");
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '\t' -> s.append("\\t");
                case 0x0b -> s.append("\\v");
                default -> {
                    if (c >= ' ' && c < 0x7f) {
                        s.append((char) c);
                    } else {
                        s.append('\\');
                        boolean nextIsOctalDigit = i + 1 < len && b[i + 1] >= '0' && b[i + 1] <= '7';
                        if (nextIsOctalDigit || c >> 6 != 0) {
                            s.append((char) ('0' + (c >> 6)));
                        }
                        if (nextIsOctalDigit || c >> 3 != 0) {
                            s.append((char) ('0' + ((c >> 3) & 7)));
                        }
                        s.append((char) ('0' + (c & 7)));
                    }
                }
            }
        }
        s.append('"');
        if (truncated) {
            s.append("...");
        }
        return s.toString();
    }
}
