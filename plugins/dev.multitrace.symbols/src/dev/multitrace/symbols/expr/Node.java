package dev.multitrace.symbols.expr;

import dev.multitrace.symbols.types.CType;

/** The syntax tree of a C expression; every node keeps the column of its first token for errors. */
sealed interface Node {

    int column();

    record Ident(String name, int column) implements Node {
    }

    record Register(String name, int column) implements Node {
    }

    /** An integer, float or character literal: already typed. */
    record Literal(CType type, long bits, int column) implements Node {
    }

    record StringLit(byte[] bytes, int column) implements Node {
    }

    record Unary(String op, Node operand, int column) implements Node {
    }

    record Binary(String op, Node left, Node right, int column) implements Node {
    }

    record Member(Node base, String name, boolean arrow, int column) implements Node {
    }

    record Index(Node base, Node index, int column) implements Node {
    }

    record Cast(CType type, Node operand, int column) implements Node {
    }

    record SizeofType(CType type, int column) implements Node {
    }

    record SizeofExpr(Node operand, int column) implements Node {
    }

    record Assign(Node target, Node value, int column) implements Node {
    }

    record Ternary(Node condition, Node then, Node otherwise, int column) implements Node {
    }
}
