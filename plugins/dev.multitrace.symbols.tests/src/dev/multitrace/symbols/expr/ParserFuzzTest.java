package dev.multitrace.symbols.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Malformed input to the expression parser: random token soup, deep nesting, bad literals. Each either
 * parses or fails with an ExpressionException whose column lies inside the expression (or just past its end);
 * nothing else escapes, and nesting cannot overflow the stack.
 */
class ParserFuzzTest {

    private static final String[] PIECES = {"a", "b", "x1", "(", ")", "[", "]", "*", "&", "-", "+", "!", "~", "->", ".", "@", "?", ":", "<<", ">>",
            "==", "&&", "||", "1", "0x1f", "017", "1.5e3", "'a'", "'\\n'", "\"s\\\"t\"", "$rax", "sizeof", "int", "struct", "unsigned", "long",
            ",", "=", "'", "\"", "09", "1e", "0x", "\\", "#", " "};

    @Test
    void randomTokenSoupParsesOrFailsCleanly() {
        Random random = new Random(77);
        int parsed = 0;
        int rejected = 0;
        for (int c = 0; c < 20_000; c++) {
            StringBuilder b = new StringBuilder();
            int n = 1 + random.nextInt(12);
            for (int i = 0; i < n; i++) {
                b.append(PIECES[random.nextInt(PIECES.length)]).append(random.nextBoolean() ? " " : "");
            }
            String src = b.toString();
            try {
                new Parser(src, name -> Optional.empty()).parse();
                parsed++;
            } catch (ExpressionException e) {
                assertTrue(e.column() >= 1 && e.column() <= src.length() + 1, src + ": column " + e.column());
                rejected++;
            } catch (RuntimeException e) {
                throw new AssertionError("\"" + src + "\": not an ExpressionException", e);
            }
        }
        assertTrue(parsed > 100 && rejected > 100, "parsed " + parsed + ", rejected " + rejected);
    }

    @Test
    void deepNestingIsAnErrorNotAStackOverflow() {
        String deep = "(".repeat(100_000) + "1" + ")".repeat(100_000);
        ExpressionException e = assertThrows(ExpressionException.class, () -> new Parser(deep, n -> Optional.empty()).parse());
        assertTrue(e.problem().contains("nested"), e.problem());
        assertInstanceOf(ExpressionException.class, assertThrows(ExpressionException.class,
                () -> new Parser("-".repeat(100_000) + "1", n -> Optional.empty()).parse()));
    }

    @Test
    void errorsNameTheColumn() {
        assertEquals(5, assertThrows(ExpressionException.class, () -> new Parser("a + )", n -> Optional.empty()).parse()).column());
        assertEquals(3, assertThrows(ExpressionException.class, () -> new Parser("a #", n -> Optional.empty()).parse()).column());
        assertEquals(5, assertThrows(ExpressionException.class, () -> new Parser("1 + 'ab'", n -> Optional.empty()).parse()).column());
        assertEquals("Unterminated string in expression.", assertThrows(ExpressionException.class,
                () -> new Parser("\"abc", n -> Optional.empty()).parse()).problem());
    }
}
