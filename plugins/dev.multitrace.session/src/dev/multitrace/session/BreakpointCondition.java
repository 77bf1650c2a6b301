package dev.multitrace.session;

import dev.multitrace.core.Examination;

/**
 * A breakpoint's condition: a C expression ({@code p->count > 5 && flag}) evaluated in the innermost frame of
 * the thread that hit, at the hit, with the program's DWARF types and variables, as gdb's {@code condition}.
 * Where that frame has no debug information (a program without {@code -g}), the condition falls back to the
 * register-and-memory language of {@link Expression} ({@code $rdi == 3}, {@code *(int*)&counter > 2} over
 * ELF symbols), so conditions written for stripped programs keep working.
 * <p>
 * C needs the program's type names to parse a cast, so a condition is only parsed at a hit; one that cannot
 * be evaluated there stops the thread with the reason (see {@link SessionBreakpoints#shouldStop}).
 */
public final class BreakpointCondition {

    private final String text;

    private BreakpointCondition(String text) {
        this.text = text;
    }

    /**
     * A condition of this text.
     *
     * @throws IllegalArgumentException if it is blank
     */
    public static BreakpointCondition of(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty condition");
        }
        return new BreakpointCondition(text.strip());
    }

    public String text() {
        return text;
    }

    /**
     * Whether the condition holds for the held thread examined by {@code x}.
     *
     * @throws dev.multitrace.symbols.expr.ExpressionException or {@link Expression.ExpressionException} naming
     *                                                         why it cannot be evaluated
     */
    boolean test(Examination x, SessionSymbols symbols) {
        FrameVariables frame = FrameVariables.of(x, symbols, 0);
        try {
            return frame.test(text);
        } catch (dev.multitrace.symbols.expr.ExpressionException e) {
            if (!e.problem().startsWith("No symbol")) {
                throw e;
            }
            // a name DWARF does not know (no -g): the machine-level language, where &name is an ELF symbol
            Expression legacy;
            try {
                legacy = Expression.parse(text);
            } catch (Expression.ExpressionException notLegacy) {
                throw e;
            }
            return legacy.test(Examinations.context(x, symbols));
        }
    }

    /** Conditions of the same text are the same condition (the debug model keeps a planted breakpoint whose condition did not change). */
    @Override
    public boolean equals(Object o) {
        return o instanceof BreakpointCondition c && c.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
