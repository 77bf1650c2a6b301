package dev.multitrace.engines.probe;

import java.util.ArrayList;
import java.util.List;

/**
 * One probe of {@code multitrace probe}: what to print each time the program reaches its location.
 * <ul>
 * <li>{@link Kind#DPRINTF}: gdb's {@code dprintf LOCATION,"FORMAT",EXPR...}: the format filled with the
 * expressions' values, as gdb's {@code printf}.</li>
 * <li>{@link Kind#PRINT}: {@code EXPR = VALUE}, VALUE as gdb's {@code print EXPR} shows it after {@code $N = }
 * (a probe keeps no value history, so the expression stands where gdb puts its number).</li>
 * <li>{@link Kind#LOCALS}: what gdb's {@code info args} then {@code info locals} print.</li>
 * </ul>
 *
 * @param text        the probe as given, for messages
 * @param expressions the expressions (for PRINT one; none for LOCALS)
 * @param format      the parsed format of a DPRINTF, else null
 */
public record Probe(Kind kind, String text, ProbeLocation location, GdbFormat format, List<String> expressions) {

    public enum Kind {
        DPRINTF, PRINT, LOCALS
    }

    /** {@code LOCATION,"FORMAT",EXPR...} as gdb's dprintf takes it. */
    public static Probe dprintf(String text) {
        List<String> parts = splitTopLevel(text);
        if (parts.size() < 2) {
            throw new ProbeException("Format string required");
        }
        ProbeLocation location = ProbeLocation.parse(parts.get(0));
        GdbFormat format = GdbFormat.parse(parts.get(1).strip());
        List<String> expressions = new ArrayList<>();
        for (String e : parts.subList(2, parts.size())) {
            if (e.isBlank()) {
                throw new ProbeException("Empty expression in the argument list of '" + text + "'");
            }
            expressions.add(e.strip());
        }
        if (expressions.size() != format.conversions()) {
            throw new ProbeException("Wrong number of arguments for specified format-string");
        }
        return new Probe(Kind.DPRINTF, text, location, format, List.copyOf(expressions));
    }

    /** {@code LOCATION,EXPR}: the expression is everything after the first comma. */
    public static Probe print(String text) {
        int comma = text.indexOf(',');
        if (comma < 0 || text.substring(comma + 1).isBlank()) {
            throw new ProbeException("--print takes LOCATION,EXPR (an expression after the comma)");
        }
        return new Probe(Kind.PRINT, text, ProbeLocation.parse(text.substring(0, comma)), null, List.of(text.substring(comma + 1).strip()));
    }

    /** {@code LOCATION}. */
    public static Probe locals(String text) {
        return new Probe(Kind.LOCALS, text, ProbeLocation.parse(text), null, List.of());
    }

    /**
     * Splits at the commas outside parentheses, brackets and string or character literals (gdb's dprintf
     * argument list: {@code f(a, b)} is one expression).
     */
    static List<String> splitTopLevel(String text) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        char quote = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            switch (c) {
                case '"', '\'' -> quote = c;
                case '(', '[', '{' -> depth++;
                case ')', ']', '}' -> depth--;
                case ',' -> {
                    if (depth == 0) {
                        out.add(text.substring(start, i));
                        start = i + 1;
                    }
                }
                default -> {
                }
            }
        }
        if (quote != 0) {
            throw new ProbeException("Unterminated string in '" + text + "'");
        }
        out.add(text.substring(start));
        return out;
    }
}
