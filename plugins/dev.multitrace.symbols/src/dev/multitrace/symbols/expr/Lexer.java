package dev.multitrace.symbols.expr;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a C expression into tokens: identifiers and keywords, integer literals (decimal, hex, octal, with
 * u/l suffixes), floating literals, character and string literals with C escapes, {@code $registers}, and
 * operators (longest match first: {@code ->}, {@code <<}, {@code &&}...).
 */
final class Lexer {

    private static final String[] OPERATORS = {"->", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "++", "--", "+", "-", "*", "/", "%", "<", ">",
            "&", "|", "^", "!", "~", "?", ":", "(", ")", "[", "]", ".", ",", "@", "="};

    private final String src;
    private int pos;

    private Lexer(String src) {
        this.src = src;
    }

    static List<Token> tokens(String src) {
        Lexer l = new Lexer(src);
        List<Token> out = new ArrayList<>();
        for (;;) {
            Token t = l.next();
            out.add(t);
            if (t.kind() == Token.Kind.END) {
                return out;
            }
        }
    }

    private Token next() {
        while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) {
            pos++;
        }
        int start = pos;
        int column = pos + 1;
        if (pos >= src.length()) {
            return new Token(Token.Kind.END, "", 0, null, false, false, column);
        }
        char c = src.charAt(pos);
        if (Character.isLetter(c) || c == '_' || c == '$') {
            pos++;
            while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
                pos++;
            }
            String word = src.substring(start, pos);
            return new Token(c == '$' ? Token.Kind.REGISTER : Token.Kind.IDENT, word, 0, null, false, false, column);
        }
        if (Character.isDigit(c) || c == '.' && pos + 1 < src.length() && Character.isDigit(src.charAt(pos + 1))) {
            return number(column);
        }
        if (c == '\'') {
            pos++;
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            while (pos < src.length() && src.charAt(pos) != '\'') {
                b.write(character(column));
            }
            if (pos >= src.length() || b.size() != 1) {
                throw new ExpressionException(pos >= src.length() ? "Unmatched single quote." : "Invalid character constant.", column);
            }
            pos++;
            return new Token(Token.Kind.CHAR, src.substring(start, pos), (byte) b.toByteArray()[0], null, false, false, column);
        }
        if (c == '"') {
            pos++;
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            while (pos < src.length() && src.charAt(pos) != '"') {
                b.write(character(column));
            }
            if (pos >= src.length()) {
                throw new ExpressionException("Unterminated string in expression.", column);
            }
            pos++;
            return new Token(Token.Kind.STRING, src.substring(start, pos), b.size(), b.toByteArray(), false, false, column);
        }
        for (String op : OPERATORS) {
            if (src.startsWith(op, pos)) {
                pos += op.length();
                return new Token(Token.Kind.OP, op, 0, null, false, false, column);
            }
        }
        throw new ExpressionException("Invalid character '" + c + "' in expression.", column);
    }

    /** One character of a char or string literal, escapes decoded. */
    private int character(int column) {
        char c = src.charAt(pos++);
        if (c != '\\') {
            return c;
        }
        if (pos >= src.length()) {
            throw new ExpressionException("Unterminated escape in expression.", column);
        }
        char e = src.charAt(pos++);
        switch (e) {
            case 'n': return '\n';
            case 't': return '\t';
            case 'r': return '\r';
            case 'a': return 7;
            case 'b': return '\b';
            case 'f': return '\f';
            case 'v': return 11;
            case 'e': return 27;
            case 'x': {
                int v = 0;
                int digits = 0;
                while (pos < src.length() && Character.digit(src.charAt(pos), 16) >= 0) {
                    v = v * 16 + Character.digit(src.charAt(pos++), 16);
                    digits++;
                }
                if (digits == 0) {
                    throw new ExpressionException("\\x escape without a following hex digit", column);
                }
                return v & 0xff;
            }
            default:
                if (e >= '0' && e <= '7') {
                    int v = e - '0';
                    for (int i = 0; i < 2 && pos < src.length() && src.charAt(pos) >= '0' && src.charAt(pos) <= '7'; i++) {
                        v = v * 8 + src.charAt(pos++) - '0';
                    }
                    return v & 0xff;
                }
                return e; // \\ \' \" \?
        }
    }

    private Token number(int column) {
        int start = pos;
        boolean hex = src.startsWith("0x", pos) || src.startsWith("0X", pos);
        if (hex) {
            pos += 2;
        }
        boolean isFloat = false;
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (hex ? Character.digit(c, 16) >= 0 : Character.isDigit(c)) {
                pos++;
            } else if (!hex && (c == '.' || c == 'e' || c == 'E')) {
                isFloat = true;
                pos++;
                if ((c == 'e' || c == 'E') && pos < src.length() && (src.charAt(pos) == '-' || src.charAt(pos) == '+')) {
                    pos++;
                }
            } else {
                break;
            }
        }
        String digits = src.substring(start, pos);
        if (isFloat) {
            boolean f = pos < src.length() && (src.charAt(pos) == 'f' || src.charAt(pos) == 'F');
            if (f || pos < src.length() && (src.charAt(pos) == 'l' || src.charAt(pos) == 'L')) {
                pos++;
            }
            try {
                double d = Double.parseDouble(digits);
                return new Token(Token.Kind.FLOAT, src.substring(start, pos), Double.doubleToRawLongBits(f ? (float) d : d), null, f, false, column);
            } catch (NumberFormatException e) {
                throw new ExpressionException("Invalid number \"" + digits + "\".", column);
            }
        }
        boolean unsigned = false;
        boolean isLong = false;
        while (pos < src.length() && "uUlL".indexOf(src.charAt(pos)) >= 0) {
            char s = src.charAt(pos++);
            if (s == 'u' || s == 'U') {
                unsigned = true;
            } else {
                isLong = true;
            }
        }
        if (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
            throw new ExpressionException("Invalid number \"" + src.substring(start, pos + 1) + "\".", column);
        }
        long v;
        try {
            if (hex) {
                v = Long.parseUnsignedLong(digits.substring(2), 16);
            } else if (digits.length() > 1 && digits.startsWith("0")) {
                v = Long.parseUnsignedLong(digits.substring(1), 8);
            } else {
                v = Long.parseUnsignedLong(digits);
            }
        } catch (NumberFormatException e) {
            throw new ExpressionException("Invalid number \"" + digits + "\".", column);
        }
        // C: a hex or octal constant that does not fit int becomes unsigned int, a decimal one long
        boolean fitsInt = v >= 0 && v <= Integer.MAX_VALUE;
        boolean fitsUint = v >= 0 && v <= 0xffffffffL;
        if (!isLong && !fitsInt && !(hex || digits.startsWith("0")) ) {
            isLong = true;
        } else if (!isLong && !fitsInt && fitsUint) {
            unsigned = true;
        } else if (!isLong && !fitsUint) {
            isLong = true;
        }
        return new Token(Token.Kind.INT, src.substring(start, pos), v, null, unsigned, isLong, column);
    }
}
