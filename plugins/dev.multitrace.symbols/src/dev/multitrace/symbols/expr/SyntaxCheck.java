package dev.multitrace.symbols.expr;

import java.util.List;
import java.util.Optional;

/**
 * Checks the syntax of a C expression before there is any frame or program to read its types from (a
 * breakpoint condition as the user types it). Whether {@code (name)} starts a cast depends on the program's
 * types, so the expression passes if it parses either with no name a type or with every name one; what it names
 * is checked only where it is evaluated.
 */
public final class SyntaxCheck {

    private static final List<String> KEYWORDS = List.of("signed", "unsigned", "char", "short", "int", "long", "float", "double", "void",
            "_Bool");

    private SyntaxCheck() {
    }

    /**
     * @throws ExpressionException the error (message and column) of reading it with no name a type, if it parses
     *                             neither way
     */
    public static void check(String expression) {
        try {
            new Parser(expression, name -> keywordType(name)).parse();
        } catch (ExpressionException asExpression) {
            try {
                new Parser(expression, name -> keywordType(name).or(() -> Optional.of(Builtins.get("int")))).parse();
            } catch (ExpressionException ignored) {
                throw asExpression;
            }
        }
    }

    private static Optional<dev.multitrace.symbols.types.CType> keywordType(String name) {
        for (String w : name.split(" ")) {
            if (!KEYWORDS.contains(w)) {
                return Optional.empty();
            }
        }
        return Builtins.find(name);
    }
}
