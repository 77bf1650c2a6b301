package dev.multitrace.session;

import dev.multitrace.symbols.expr.ExpressionException;
import dev.multitrace.symbols.expr.SyntaxCheck;

/**
 * The syntax of a C expression, checked before it is evaluated anywhere: a dialog's validator, a
 * breakpoint condition's field. Front ends ask the session, not the symbol layer below it.
 */
public final class SourceSyntax {

    private SourceSyntax() {
    }

    /** @return what is wrong with {@code expression}, with its column, or null if it parses */
    public static String problem(String expression) {
        try {
            SyntaxCheck.check(expression);
            return null;
        } catch (ExpressionException e) {
            return e.getMessage();
        }
    }
}
