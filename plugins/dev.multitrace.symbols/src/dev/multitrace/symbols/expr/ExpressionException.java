package dev.multitrace.symbols.expr;

/**
 * An expression that cannot be parsed or evaluated. The message is gdb's where gdb has one
 * ({@code No symbol "x" in current context.}); {@link #column()} is where in the expression the problem is
 * (1-based), so a user sees both what and where.
 */
public final class ExpressionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String problem;
    private final int column;

    public ExpressionException(String problem, int column) {
        super(problem + " (column " + column + ")");
        this.problem = problem;
        this.column = column;
    }

    /** The problem alone, as gdb words it. */
    public String problem() {
        return problem;
    }

    /** 1-based column of the token at fault. */
    public int column() {
        return column;
    }
}
