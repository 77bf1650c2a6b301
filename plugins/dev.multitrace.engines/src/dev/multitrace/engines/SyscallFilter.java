package dev.multitrace.engines;

import java.util.BitSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which syscalls the tracer prints: strace's {@code -e trace=} expressions ({@code openat,read},
 * {@code %file}, {@code /^open} (a regular expression), {@code ?name} (no error if unknown),
 * {@code !close}, {@code all}, {@code none}; {@code trace=} may be left out).
 * Signals and exits are printed whatever the filter, as strace does.
 */
public final class SyscallFilter {

    private final BitSet traced;
    /** Every named syscall is traced: then so are the numbers beyond the table (fixed here, as traces runs at every stop). */
    private final boolean tracesAll;

    private SyscallFilter(BitSet traced) {
        this.traced = traced;
        this.tracesAll = traced.cardinality() == Syscalls.max() + 1;
    }

    /** Every syscall. */
    public static SyscallFilter all() {
        BitSet b = new BitSet();
        b.set(0, Syscalls.max() + 1);
        return new SyscallFilter(b);
    }

    /**
     * Parses one or more {@code -e} expressions; the sets of several {@code trace=} expressions add up.
     *
     * @throws IllegalArgumentException naming the unknown syscall, class or qualifier
     */
    public static SyscallFilter parse(Iterable<String> expressions) {
        BitSet result = null;
        for (String e : expressions) {
            BitSet one = parseOne(e);
            if (result == null) {
                result = one;
            } else {
                result.or(one);
            }
        }
        return result == null ? all() : new SyscallFilter(result);
    }

    public static SyscallFilter parse(String expression) {
        return parse(java.util.List.of(expression));
    }

    private static BitSet parseOne(String expr) {
        String list = expr.strip();
        int eq = list.indexOf('=');
        if (eq >= 0) {
            String qualifier = list.substring(0, eq);
            if (!qualifier.equals("trace") && !qualifier.equals("t")) {
                throw new IllegalArgumentException("unsupported qualifier '" + qualifier
                        + "' in -e " + expr + " (only trace= is supported)");
            }
            list = list.substring(eq + 1);
        }
        boolean negate = list.startsWith("!");
        if (negate) {
            list = list.substring(1);
        }
        BitSet b = new BitSet();
        for (String item : list.split(",")) {
            String name = item.strip();
            if (name.isEmpty()) {
                throw new IllegalArgumentException("empty syscall name in -e " + expr);
            }
            boolean optional = name.startsWith("?");
            if (optional) {
                name = name.substring(1);
            }
            if (name.startsWith("/")) {
                java.util.regex.Pattern re;
                try {
                    re = java.util.regex.Pattern.compile(name.substring(1));
                } catch (java.util.regex.PatternSyntaxException e) {
                    throw new IllegalArgumentException("invalid regular expression '" + name.substring(1) + "' in -e "
                            + expr + ": " + e.getDescription());
                }
                boolean any = false;
                for (int nr = 0; nr <= Syscalls.max(); nr++) {
                    if (SyscallTable.NAMES[nr] != null && re.matcher(SyscallTable.NAMES[nr]).find()) {
                        b.set(nr);
                        any = true;
                    }
                }
                if (!any && !optional) {
                    throw new IllegalArgumentException("no system call matches '" + name + "' in -e " + expr);
                }
            } else if (name.equals("all")) {
                b.set(0, Syscalls.max() + 1);
            } else if (name.equals("none")) {
                // nothing
            } else if (name.startsWith("%")) {
                Set<String> members = SyscallClasses.members(name.substring(1));
                if (members == null) {
                    throw new IllegalArgumentException("invalid syscall class '" + name + "' in -e " + expr
                            + " (classes: %" + String.join(", %", new TreeSet<>(SyscallClasses.names())) + ")");
                }
                for (String m : members) {
                    int nr = Syscalls.number(m);
                    if (nr >= 0) {
                        b.set(nr);
                    }
                }
            } else {
                int nr = Syscalls.number(name);
                if (nr < 0 && name.chars().allMatch(Character::isDigit)) {
                    nr = Integer.parseInt(name);
                }
                if (nr < 0) {
                    if (optional) {
                        continue;
                    }
                    throw new IllegalArgumentException("invalid system call '" + name + "' in -e " + expr);
                }
                b.set(nr);
            }
        }
        if (negate) {
            b.flip(0, Syscalls.max() + 1);
        }
        return b;
    }

    /** Whether the syscall with this number is printed. Numbers beyond the table follow "all". */
    public boolean traces(long nr) {
        if (nr < 0 || nr > Syscalls.max()) {
            return tracesAll;
        }
        return traced.get((int) nr);
    }
}
