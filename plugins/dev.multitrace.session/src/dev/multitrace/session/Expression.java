package dev.multitrace.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The small C-like expression language of breakpoint conditions and memory expressions, evaluated
 * to a 64-bit integer against a stopped thread. Examples: {@code $rax == 3},
 * {@code *(int*)0x601040 > 5}, {@code *(unsigned char*)($rsp + 8) != 0 && $rdi < 10},
 * {@code *(int*)&counter >= 2} ({@code &name} is the address of an ELF symbol).
 * <p>
 * Grammar, loosest first: {@code ||}; {@code &&}; comparisons ({@code == != < <= > >=}, signed);
 * bitwise {@code | ^ &}; shifts {@code << >>}; {@code + -}; {@code * / %}; unary {@code - ! ~},
 * casts {@code (type)}, dereference {@code *} (8 bytes unless cast to a pointer type first) and
 * {@code &symbol}; primaries: decimal or {@code 0x} numbers, registers {@code $name} (any general
 * register name, plus {@code $pc $sp $fp}), parentheses. Types: {@code char short int long},
 * {@code long long}, their {@code unsigned} forms, {@code intN_t}/{@code uintN_t}, and pointers to
 * them. Narrow loads and casts sign- or zero-extend as C does. Syntax errors name the column;
 * unreadable memory and unknown registers fail the evaluation with a message.
 */
public final class Expression {

    /** What an expression can look at: the stopped thread's registers and memory, and symbols. */
    public interface Context {
        /** The value of a general register; {@link IllegalArgumentException} if there is no such register. */
        long register(String name);

        /** Reads {@code length} bytes; returns fewer if memory ends. */
        byte[] read(long address, int length);

        /** The address of an ELF symbol. */
        OptionalLong symbol(String name);
    }

    /** A parse or evaluation failure, with a message for the user. */
    public static final class ExpressionException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ExpressionException(String message) {
            super(message);
        }
    }

    /** A C integer type: its size in bytes and signedness. */
    record Type(int size, boolean signed) {
        long narrow(long v) {
            if (size == 8) {
                return v;
            }
            int bits = size * 8;
            long mask = (1L << bits) - 1;
            v &= mask;
            if (signed && (v & (1L << (bits - 1))) != 0) {
                v |= ~mask;
            }
            return v;
        }
    }

    private static final Map<String, Type> TYPES = Map.ofEntries(
            Map.entry("char", new Type(1, true)), Map.entry("signed char", new Type(1, true)),
            Map.entry("unsigned char", new Type(1, false)), Map.entry("short", new Type(2, true)),
            Map.entry("unsigned short", new Type(2, false)), Map.entry("int", new Type(4, true)),
            Map.entry("signed", new Type(4, true)), Map.entry("unsigned", new Type(4, false)),
            Map.entry("unsigned int", new Type(4, false)), Map.entry("long", new Type(8, true)),
            Map.entry("unsigned long", new Type(8, false)), Map.entry("long long", new Type(8, true)),
            Map.entry("unsigned long long", new Type(8, false)), Map.entry("int8_t", new Type(1, true)),
            Map.entry("uint8_t", new Type(1, false)), Map.entry("int16_t", new Type(2, true)),
            Map.entry("uint16_t", new Type(2, false)), Map.entry("int32_t", new Type(4, true)),
            Map.entry("uint32_t", new Type(4, false)), Map.entry("int64_t", new Type(8, true)),
            Map.entry("uint64_t", new Type(8, false)), Map.entry("size_t", new Type(8, false)),
            Map.entry("void", new Type(1, false)));

    /** A node of the parsed tree. */
    private interface Node {
        long eval(Context c);

        /** The type a dereference of this node reads: set by a pointer cast. */
        default Type pointee() {
            return null;
        }
    }

    private final String text;
    private final Node root;

    private Expression(String text, Node root) {
        this.text = text;
        this.root = root;
    }

    /** Parses {@code text}; {@link ExpressionException} naming the column on a syntax error. */
    public static Expression parse(String text) {
        if (text == null || text.isBlank()) {
            throw new ExpressionException("empty expression");
        }
        Parser p = new Parser(text);
        Node n = p.expression();
        if (p.peek().kind != Tok.END) {
            throw p.error("unexpected '" + p.peek().text + "'");
        }
        return new Expression(text, n);
    }

    public long evaluate(Context c) {
        return root.eval(c);
    }

    /** Evaluated as a condition: non-zero is true. */
    public boolean test(Context c) {
        return evaluate(c) != 0;
    }

    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }

    // ------------------------------------------------------------------ lexer

    private enum Tok {
        NUM, REG, IDENT, OP, LPAREN, RPAREN, END
    }

    private record Token(Tok kind, String text, long value, int column) {
    }

    private static List<Token> lex(String s) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char ch = s.charAt(i);
            if (Character.isWhitespace(ch)) {
                i++;
            } else if (Character.isDigit(ch)) {
                int start = i;
                long v;
                try {
                    if (ch == '0' && i + 1 < s.length() && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X')) {
                        i += 2;
                        while (i < s.length() && Character.digit(s.charAt(i), 16) >= 0) {
                            i++;
                        }
                        v = Long.parseUnsignedLong(s.substring(start + 2, i), 16);
                    } else {
                        while (i < s.length() && Character.isDigit(s.charAt(i))) {
                            i++;
                        }
                        v = Long.parseUnsignedLong(s.substring(start, i));
                    }
                } catch (NumberFormatException e) {
                    throw new ExpressionException("bad number '" + s.substring(start, i) + "' at column " + (start + 1));
                }
                while (i < s.length() && "uUlL".indexOf(s.charAt(i)) >= 0) {
                    i++; // C suffixes
                }
                out.add(new Token(Tok.NUM, s.substring(start, i), v, start + 1));
            } else if (ch == '$' || Character.isJavaIdentifierStart(ch)) {
                int start = i++;
                while (i < s.length() && (Character.isJavaIdentifierPart(s.charAt(i)) && s.charAt(i) != '$')) {
                    i++;
                }
                String word = s.substring(start, i);
                if (ch == '$' && word.length() == 1) {
                    throw new ExpressionException("register name missing after '$' at column " + (start + 1));
                }
                out.add(new Token(ch == '$' ? Tok.REG : Tok.IDENT, word, 0, start + 1));
            } else if (ch == '(' || ch == ')') {
                out.add(new Token(ch == '(' ? Tok.LPAREN : Tok.RPAREN, String.valueOf(ch), 0, i + 1));
                i++;
            } else {
                String two = i + 1 < s.length() ? s.substring(i, i + 2) : "";
                if (List.of("==", "!=", "<=", ">=", "&&", "||", "<<", ">>").contains(two)) {
                    out.add(new Token(Tok.OP, two, 0, i + 1));
                    i += 2;
                } else if ("+-*/%<>!~&|^".indexOf(ch) >= 0) {
                    out.add(new Token(Tok.OP, String.valueOf(ch), 0, i + 1));
                    i++;
                } else {
                    throw new ExpressionException("unexpected character '" + ch + "' at column " + (i + 1));
                }
            }
        }
        out.add(new Token(Tok.END, "end of expression", 0, s.length() + 1));
        return out;
    }

    // ------------------------------------------------------------------ parser

    private static final class Parser {
        private final List<Token> toks;
        private int pos;

        Parser(String s) {
            toks = lex(s);
        }

        Token peek() {
            return toks.get(pos);
        }

        Token peek(int ahead) {
            return toks.get(Math.min(pos + ahead, toks.size() - 1));
        }

        boolean op(String o) {
            Token t = peek();
            if (t.kind == Tok.OP && t.text.equals(o)) {
                pos++;
                return true;
            }
            return false;
        }

        ExpressionException error(String what) {
            return new ExpressionException(what + " at column " + peek().column);
        }

        Node expression() {
            Node l = and();
            while (op("||")) {
                Node a = l, b = and();
                l = c -> a.eval(c) != 0 || b.eval(c) != 0 ? 1 : 0;
            }
            return l;
        }

        Node and() {
            Node l = compare();
            while (op("&&")) {
                Node a = l, b = compare();
                l = c -> a.eval(c) != 0 && b.eval(c) != 0 ? 1 : 0;
            }
            return l;
        }

        Node compare() {
            Node l = bitwise();
            for (String o : List.of("==", "!=", "<=", ">=", "<", ">")) {
                if (op(o)) {
                    Node a = l, b = bitwise();
                    return switch (o) {
                        case "==" -> c -> a.eval(c) == b.eval(c) ? 1 : 0;
                        case "!=" -> c -> a.eval(c) != b.eval(c) ? 1 : 0;
                        case "<=" -> c -> a.eval(c) <= b.eval(c) ? 1 : 0;
                        case ">=" -> c -> a.eval(c) >= b.eval(c) ? 1 : 0;
                        case "<" -> c -> a.eval(c) < b.eval(c) ? 1 : 0;
                        default -> c -> a.eval(c) > b.eval(c) ? 1 : 0;
                    };
                }
            }
            return l;
        }

        Node bitwise() {
            Node l = shift();
            while (true) {
                Node a = l;
                if (op("|")) {
                    Node b = shift();
                    l = c -> a.eval(c) | b.eval(c);
                } else if (op("^")) {
                    Node b = shift();
                    l = c -> a.eval(c) ^ b.eval(c);
                } else if (op("&")) {
                    Node b = shift();
                    l = c -> a.eval(c) & b.eval(c);
                } else {
                    return l;
                }
            }
        }

        Node shift() {
            Node l = additive();
            while (true) {
                Node a = l;
                if (op("<<")) {
                    Node b = additive();
                    l = c -> a.eval(c) << b.eval(c);
                } else if (op(">>")) {
                    Node b = additive();
                    l = c -> a.eval(c) >> b.eval(c);
                } else {
                    return l;
                }
            }
        }

        Node additive() {
            Node l = multiplicative();
            while (true) {
                Node a = l;
                if (op("+")) {
                    Node b = multiplicative();
                    l = c -> a.eval(c) + b.eval(c);
                } else if (op("-")) {
                    Node b = multiplicative();
                    l = c -> a.eval(c) - b.eval(c);
                } else {
                    return l;
                }
            }
        }

        Node multiplicative() {
            Node l = unary();
            while (true) {
                Node a = l;
                if (op("*")) {
                    Node b = unary();
                    l = c -> a.eval(c) * b.eval(c);
                } else if (op("/")) {
                    Node b = unary();
                    l = c -> {
                        long d = b.eval(c);
                        if (d == 0) {
                            throw new ExpressionException("division by zero");
                        }
                        return a.eval(c) / d;
                    };
                } else if (op("%")) {
                    Node b = unary();
                    l = c -> {
                        long d = b.eval(c);
                        if (d == 0) {
                            throw new ExpressionException("division by zero");
                        }
                        return a.eval(c) % d;
                    };
                } else {
                    return l;
                }
            }
        }

        Node unary() {
            if (op("-")) {
                Node a = unary();
                return c -> -a.eval(c);
            }
            if (op("!")) {
                Node a = unary();
                return c -> a.eval(c) == 0 ? 1 : 0;
            }
            if (op("~")) {
                Node a = unary();
                return c -> ~a.eval(c);
            }
            if (op("*")) {
                Node a = unary();
                Type t = a.pointee() != null ? a.pointee() : new Type(8, true);
                return c -> load(c, a.eval(c), t);
            }
            if (op("&")) {
                Token name = peek();
                if (name.kind != Tok.IDENT) {
                    throw error("'&' takes a symbol name");
                }
                pos++;
                return c -> c.symbol(name.text).orElseThrow(
                        () -> new ExpressionException("no symbol named " + name.text));
            }
            if (peek().kind == Tok.LPAREN && peek(1).kind == Tok.IDENT && typeAhead() != null) {
                return cast();
            }
            return primary();
        }

        /** If a cast starts here, the length of its type name in tokens; else null. */
        private Integer typeAhead() {
            StringBuilder name = new StringBuilder();
            int k = 1;
            Integer best = null;
            while (peek(k).kind == Tok.IDENT) {
                name.append(name.isEmpty() ? "" : " ").append(peek(k).text);
                k++;
                if (TYPES.containsKey(name.toString())) {
                    best = k - 1;
                }
            }
            return best;
        }

        Node cast() {
            int n = typeAhead();
            pos++; // (
            StringBuilder name = new StringBuilder();
            for (int k = 0; k < n; k++) {
                name.append(k == 0 ? "" : " ").append(peek().text);
                pos++;
            }
            Type t = TYPES.get(name.toString());
            int stars = 0;
            while (op("*")) {
                stars++;
            }
            if (peek().kind != Tok.RPAREN) {
                throw error("')' expected after the type " + name + "*".repeat(stars));
            }
            pos++;
            Node a = unary();
            if (stars == 0) {
                if (name.toString().equals("void")) {
                    throw error("cannot cast to void");
                }
                return c -> t.narrow(a.eval(c));
            }
            Type pointee = stars == 1 ? t : new Type(8, false); // T** reads a pointer
            return new Node() {
                @Override
                public long eval(Context c) {
                    return a.eval(c);
                }

                @Override
                public Type pointee() {
                    return pointee;
                }
            };
        }

        Node primary() {
            Token t = peek();
            switch (t.kind) {
                case NUM -> {
                    pos++;
                    long v = t.value;
                    return c -> v;
                }
                case REG -> {
                    pos++;
                    String reg = alias(t.text.substring(1).toLowerCase(Locale.ROOT));
                    return c -> {
                        try {
                            return c.register(reg);
                        } catch (IllegalArgumentException e) {
                            throw new ExpressionException("no register $" + reg);
                        }
                    };
                }
                case LPAREN -> {
                    pos++;
                    Node n = expression();
                    if (peek().kind != Tok.RPAREN) {
                        throw error("')' expected");
                    }
                    pos++;
                    return n;
                }
                case IDENT -> throw error("unknown name '" + t.text + "' (registers are written $" + t.text
                        + ", symbol addresses &" + t.text + ")");
                default -> throw error(t.kind == Tok.END ? "expression ends too early" : "unexpected '" + t.text + "'");
            }
        }
    }

    private static String alias(String reg) {
        return switch (reg) {
            case "pc" -> "rip";
            case "sp" -> "rsp";
            case "fp" -> "rbp";
            default -> reg;
        };
    }

    private static long load(Context c, long address, Type t) {
        byte[] b = c.read(address, t.size());
        if (b == null || b.length < t.size()) {
            throw new ExpressionException("cannot read " + t.size() + " bytes at 0x" + Long.toHexString(address));
        }
        long v = 0;
        for (int i = t.size() - 1; i >= 0; i--) {
            v = v << 8 | (b[i] & 0xff);
        }
        return t.narrow(v);
    }
}
