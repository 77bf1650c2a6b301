package dev.multitrace.symbols.types;

import java.util.StringJoiner;

/**
 * C type names as gdb prints them ({@code whatis}, {@code ptype}, the {@code (type)} before a printed
 * pointer). C declarators wrap around the name inside out, so a name is built by {@link #declare}: the
 * declarator grows from the inside ({@code *}, {@code [3]}, {@code (int)}) and is parenthesized where a
 * pointer meets an array or a function: {@code char (*)[8]}, {@code int (*)(int, char *)}, {@code int [3][4]}.
 */
public final class TypeNames {

    private TypeNames() {
    }

    /** The name of {@code t}: {@code struct node *}, {@code const char *[3]}, {@code binop}. */
    public static String name(CType t) {
        return declare(t, "");
    }

    /** A declaration of {@code declarator} (a member name, or "" for the type alone) with type {@code t}. */
    public static String declare(CType t, String declarator) {
        return declare(t, declarator, 0);
    }

    private static String declare(CType t, String inner, int depth) {
        if (depth > 64) {
            return "<type nested too deep>" + join("", inner);
        }
        switch (t.kind()) {
            case POINTER, REFERENCE -> {
                CType target = t.target();
                String star = t.kind() == CType.Kind.POINTER ? "*" : "&";
                boolean wrap = target.kind() == CType.Kind.ARRAY || target.kind() == CType.Kind.FUNCTION;
                return declare(target, wrap ? "(" + star + inner + ")" : star + inner, depth + 1);
            }
            case ARRAY -> {
                return declare(t.target(), inner + "[" + (t.count() < 0 ? "" : Long.toString(t.count())) + "]", depth + 1);
            }
            case FUNCTION -> {
                return declare(t.target(), inner + "(" + params(t) + ")", depth + 1);
            }
            case CONST, VOLATILE, RESTRICT, ATOMIC -> {
                String q = qualifier(t.kind());
                CType target = t.target();
                if (target.kind() == CType.Kind.POINTER || target.kind() == CType.Kind.REFERENCE) {
                    // a qualified pointer: the qualifier follows the star (char * const)
                    return declare(target, " " + q + (inner.isEmpty() ? "" : " " + inner), depth + 1);
                }
                return q + " " + declare(target, inner, depth + 1);
            }
            default -> {
                return join(base(t), inner);
            }
        }
    }

    private static String join(String base, String inner) {
        if (inner.isEmpty()) {
            return base;
        }
        // "char" + "*" -> "char *"; "char" + " const" (a qualified pointer's tail) keeps its own space
        return inner.startsWith(" ") ? base + inner : base + " " + inner;
    }

    private static String qualifier(CType.Kind k) {
        return switch (k) {
            case CONST -> "const";
            case VOLATILE -> "volatile";
            case RESTRICT -> "restrict";
            default -> "_Atomic";
        };
    }

    /** The name of a type without declarator: a base type, typedef, or tagged type. */
    private static String base(CType t) {
        String n = t.name().orElse(null);
        return switch (t.kind()) {
            case STRUCT -> n == null ? "struct {...}" : "struct " + n;
            case CLASS -> n == null ? "class {...}" : "class " + n;
            case UNION -> n == null ? "union {...}" : "union " + n;
            case ENUM -> n == null ? "enum {...}" : "enum " + n;
            case VOID -> "void";
            default -> n == null ? "<unnamed type>" : n;
        };
    }

    private static String params(CType fn) {
        StringJoiner j = new StringJoiner(", ");
        for (CType p : fn.params()) {
            j.add(name(p));
        }
        if (fn.varargs()) {
            j.add("...");
        }
        if (fn.params().isEmpty() && !fn.varargs() && fn.prototyped()) {
            return "void"; // int f(void): gdb prints (void); an unprototyped int f() prints ()
        }
        return j.toString();
    }

    /** gdb's {@code whatis}: the name, with one typedef level removed when the type itself is a typedef name. */
    public static String whatisTypeName(CType t) {
        return t.kind() == CType.Kind.TYPEDEF ? name(t.target()) : name(t);
    }

    /**
     * gdb's {@code ptype}: the type with typedefs resolved at the outside and the struct, union or enum it
     * names expanded, members one per line: {@code struct node {\n    int value;\n...} *}.
     */
    public static String ptype(CType t) {
        CType core = t;
        while (core.kind() == CType.Kind.TYPEDEF) {
            core = core.target();
        }
        String expanded = expand(core, "", 0);
        return expanded != null ? expanded : name(core);
    }

    /**
     * {@code t} declaring {@code declarator}, with the struct, union or enum at the core of its declarator
     * (through pointers, arrays and functions, and typedefs at the top) expanded at {@code indent}; null if
     * there is none to expand.
     */
    private static String expand(CType t, String declarator, int indent) {
        CType base = t;
        for (int i = 0; i < 64; i++) {
            if (base.kind() == CType.Kind.POINTER || base.kind() == CType.Kind.ARRAY || base.kind() == CType.Kind.FUNCTION
                    || base.kind() == CType.Kind.REFERENCE) {
                base = base.target();
            } else {
                break;
            }
        }
        CType body = base;
        while (body.kind() == CType.Kind.TYPEDEF && indent == 0) {
            body = body.target();
        }
        String head = body(body, indent);
        if (head == null) {
            return null;
        }
        // the declarator around the base, laid out with a stand-in name, then the stand-in swapped for the body
        String marker = "\u0000";
        return declare(replaceBase(t, base, placeholder(marker)), declarator).replace(marker, head);
    }

    /** A named stand-in for the base, so {@link #declare} lays out the declarator around the body. */
    private static CType placeholder(String marker) {
        return CType.base(marker, 0, 0);
    }

    /** A struct, union or enum without a tag name, under any pointers and arrays. */
    private static boolean isAnonymous(CType t) {
        CType base = t;
        for (int i = 0; i < 64 && (base.kind() == CType.Kind.POINTER || base.kind() == CType.Kind.ARRAY); i++) {
            base = base.target();
        }
        return (base.isStructLike() || base.kind() == CType.Kind.ENUM) && base.isAlias() == false && base.name().isEmpty();
    }

    /** {@code core} with its innermost base {@code base} replaced by {@code with} (copies along the chain). */
    private static CType replaceBase(CType core, CType base, CType with) {
        if (core == base) {
            return with;
        }
        CType copy = new CType(core.kind, core.name, core.size);
        copy.count = core.count;
        copy.params = core.params;
        copy.varargs = core.varargs;
        copy.prototyped = core.prototyped;
        copy.target = replaceBase(core.target(), base, with);
        return copy;
    }

    /** The expanded body of a struct, union or enum, or null for other types; members one level deeper. */
    private static String body(CType t, int indent) {
        switch (t.kind()) {
            case STRUCT, UNION, CLASS -> {
                String pad = " ".repeat(indent + 4);
                StringBuilder b = new StringBuilder(base(t).replace(" {...}", ""));
                if (t.incomplete()) {
                    return b.append(" {\n").append(pad).append("<incomplete type>\n").append(" ".repeat(indent)).append('}').toString();
                }
                b.append(" {\n");
                for (CType.Member m : t.members()) {
                    String name = m.name() == null ? "" : m.name();
                    // an anonymous struct or union is written out where it is used, as gdb does
                    String nested = isAnonymous(m.type()) ? expand(m.type(), name, indent + 4) : null;
                    b.append(pad).append(nested != null ? nested : declare(m.type(), name));
                    if (m.isBitField()) {
                        b.append(" : ").append(m.bitSize());
                    }
                    b.append(";\n");
                }
                return b.append(" ".repeat(indent)).append('}').toString();
            }
            case ENUM -> {
                StringJoiner j = new StringJoiner(", ", base(t).replace(" {...}", "") + " {", "}");
                long next = 0;
                for (CType.Enumerator e : t.enumerators()) {
                    j.add(e.value() == next ? e.name() : e.name() + " = " + e.value());
                    next = e.value() + 1;
                }
                return j.toString();
            }
            default -> {
                return null;
            }
        }
    }
}
