package dev.multitrace.symbols.expr;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import dev.multitrace.symbols.types.CType;

/**
 * A recursive-descent parser for C expressions with gdb's precedences (from its c-exp.y: {@code @} binds
 * tighter than shifts and looser than {@code +}), casts to any type the scope knows ({@code (struct node *)},
 * a typedef name, C's base type keywords), {@code sizeof}, and {@code ?:}. Whether {@code (name)} starts a
 * cast depends on whether {@code name} is a type, so the parser asks the scope.
 */
final class Parser {

    /** Binary operators by precedence level, loosest first. */
    private static final List<List<String>> LEVELS = List.of(List.of("||"), List.of("&&"), List.of("|"), List.of("^"), List.of("&"),
            List.of("==", "!="), List.of("<", ">", "<=", ">="), List.of("<<", ">>"), List.of("@"), List.of("+", "-"), List.of("*", "/", "%"));

    private static final List<String> TYPE_WORDS = List.of("struct", "union", "enum", "const", "volatile", "signed", "unsigned", "char", "short",
            "int", "long", "float", "double", "void", "_Bool");

    private final List<Token> tokens;
    private final Function<String, Optional<CType>> types;
    private int at;
    /** Nesting of parentheses and unary operators: bounded, so a hostile expression cannot overflow the stack. */
    private int depth;
    private static final int MAX_DEPTH = 200;

    /** @param types finds a type by name: {@code int}, {@code struct node}, a typedef; empty if none */
    Parser(String src, Function<String, Optional<CType>> types) {
        this.tokens = Lexer.tokens(src);
        this.types = types;
    }

    Node parse() {
        if (peek().kind() == Token.Kind.END) {
            throw new ExpressionException("Empty expression.", 1);
        }
        Node n = ternary();
        if (peek().kind() != Token.Kind.END) {
            throw new ExpressionException("Junk after end of expression.", peek().column());
        }
        return n;
    }

    private Token peek() {
        return tokens.get(at);
    }

    private Token take() {
        return tokens.get(at++);
    }

    private Token expect(String op) {
        Token t = take();
        if (!t.is(op)) {
            throw t.kind() == Token.Kind.END ? new ExpressionException("Missing '" + op + "' at the end of the expression.", t.column())
                    : syntax(t);
        }
        return t;
    }

    private static ExpressionException syntax(Token t) {
        return new ExpressionException("A syntax error in expression, near `" + (t.kind() == Token.Kind.END ? "" : t.text()) + "'.", t.column());
    }

    private Node ternary() {
        Node c = binary(0);
        if (peek().is("?")) {
            Token q = take();
            Node a = ternary();
            expect(":");
            Node b = ternary();
            return new Node.Ternary(c, a, b, q.column());
        }
        if (peek().is("=")) {
            Token eq = take();
            return new Node.Assign(c, ternary(), eq.column()); // right-associative: a = b = 1
        }
        return c;
    }

    private Node binary(int level) {
        if (level == LEVELS.size()) {
            return unary();
        }
        Node left = binary(level + 1);
        while (peek().kind() == Token.Kind.OP && LEVELS.get(level).contains(peek().text())) {
            Token op = take();
            Node right = binary(level + 1);
            left = new Node.Binary(op.text(), left, right, op.column());
        }
        return left;
    }

    private Node unary() {
        if (++depth > MAX_DEPTH) {
            throw new ExpressionException("Expression nested more than " + MAX_DEPTH + " levels deep.", peek().column());
        }
        try {
            return unaryNested();
        } finally {
            depth--;
        }
    }

    private Node unaryNested() {
        Token t = peek();
        if (t.kind() == Token.Kind.OP && List.of("-", "+", "!", "~", "*", "&").contains(t.text())) {
            take();
            return new Node.Unary(t.text(), unary(), t.column());
        }
        if (t.is("++") || t.is("--")) {
            throw new ExpressionException("Increment and decrement modify the program; not supported yet.", t.column());
        }
        if (t.kind() == Token.Kind.IDENT && t.text().equals("sizeof")) {
            take();
            if (peek().is("(") && startsType(at + 1)) {
                take();
                CType type = typeName();
                expect(")");
                return new Node.SizeofType(type, t.column());
            }
            return new Node.SizeofExpr(unary(), t.column());
        }
        if (t.is("(") && startsType(at + 1)) {
            take();
            CType type = typeName();
            expect(")");
            return new Node.Cast(type, unary(), t.column());
        }
        return postfix(primary());
    }

    private Node postfix(Node n) {
        for (;;) {
            Token t = peek();
            if (t.is("[")) {
                take();
                Node index = ternary();
                expect("]");
                n = new Node.Index(n, index, t.column());
            } else if (t.is(".") || t.is("->")) {
                take();
                Token name = take();
                if (name.kind() != Token.Kind.IDENT) {
                    throw syntax(name);
                }
                n = new Node.Member(n, name.text(), t.is("->"), name.column());
            } else if (t.is("(")) {
                throw new ExpressionException("Calling functions is not supported.", t.column());
            } else {
                return n;
            }
        }
    }

    private Node primary() {
        Token t = take();
        switch (t.kind()) {
            case IDENT:
                return new Node.Ident(t.text(), t.column());
            case REGISTER:
                return new Node.Register(t.text().substring(1), t.column());
            case INT: {
                String name = (t.unsigned() ? "unsigned " : "") + (t.isLong() ? "long" : "int");
                return new Node.Literal(Builtins.get(name), t.value(), t.column());
            }
            case FLOAT:
                return new Node.Literal(Builtins.get(t.unsigned() ? "float" : "double"), t.value(), t.column());
            case CHAR:
                return new Node.Literal(Builtins.get("char"), t.value(), t.column());
            case STRING:
                return new Node.StringLit(t.bytes(), t.column());
            default:
                if (t.is("(")) {
                    Node n = ternary();
                    expect(")");
                    return n;
                }
                throw syntax(t);
        }
    }

    /** Whether the token at {@code i} begins a type name (a keyword, or an identifier naming a typedef). */
    private boolean startsType(int i) {
        Token t = tokens.get(i);
        if (t.kind() != Token.Kind.IDENT) {
            return false;
        }
        return TYPE_WORDS.contains(t.text()) || types.apply(t.text()).filter(c -> c.kind() == CType.Kind.TYPEDEF || c.kind() == CType.Kind.BASE).isPresent();
    }

    /** A type name: specifiers, then an abstract declarator of stars and array bounds. */
    private CType typeName() {
        Token first = peek();
        StringBuilder words = new StringBuilder();
        boolean isConst = false;
        boolean isVolatile = false;
        CType base = null;
        while (peek().kind() == Token.Kind.IDENT) {
            String w = peek().text();
            if (w.equals("const")) {
                isConst = true;
            } else if (w.equals("volatile")) {
                isVolatile = true;
            } else if (w.equals("struct") || w.equals("union") || w.equals("enum")) {
                take();
                Token tag = take();
                if (tag.kind() != Token.Kind.IDENT) {
                    throw syntax(tag);
                }
                String key = w + " " + tag.text();
                base = types.apply(key).orElseThrow(() -> new ExpressionException("No " + w + " type named " + tag.text() + ".", tag.column()));
                continue;
            } else if (TYPE_WORDS.contains(w)) {
                words.append(words.length() == 0 ? "" : " ").append(w);
            } else if (base == null && words.length() == 0) {
                Token name = peek();
                base = types.apply(w).orElseThrow(() -> new ExpressionException("No symbol \"" + w + "\" in current context.", name.column()));
            } else {
                break;
            }
            take();
        }
        if (base == null) {
            String spelled = words.toString();
            base = Builtins.find(spelled).or(() -> types.apply(spelled))
                    .orElseThrow(() -> new ExpressionException("A syntax error in expression, near `" + spelled + "'.", first.column()));
        }
        CType t = base;
        if (isVolatile) {
            t = Builtins.qualified(CType.Kind.VOLATILE, t);
        }
        if (isConst) {
            t = Builtins.qualified(CType.Kind.CONST, t);
        }
        while (peek().is("*")) {
            take();
            t = CType.pointerTo(t);
        }
        while (peek().is("[")) {
            take();
            Token n = take();
            if (n.kind() != Token.Kind.INT) {
                throw syntax(n);
            }
            expect("]");
            t = CType.arrayOf(t, n.value());
        }
        return t;
    }
}
