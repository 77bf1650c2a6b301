package dev.multitrace.symbols.expr;

/**
 * One token of a C expression and its 1-based column.
 *
 * @param kind  what it is
 * @param text  its source text (an operator's spelling, an identifier, a literal as written)
 * @param value the value of a number or character literal (bits of a double for FLOAT), or the decoded
 *              bytes' count for strings
 * @param bytes the decoded bytes of a string literal (else null)
 */
record Token(Kind kind, String text, long value, byte[] bytes, boolean unsigned, boolean isLong, int column) {

    enum Kind {
        IDENT, INT, FLOAT, CHAR, STRING, REGISTER, OP, END
    }

    boolean is(String op) {
        return (kind == Kind.OP || kind == Kind.IDENT) && text.equals(op);
    }
}
