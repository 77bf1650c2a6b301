package dev.multitrace.symbols.expr;

import dev.multitrace.symbols.types.CType;
import dev.multitrace.symbols.values.Value;

/**
 * C's arithmetic on values: the integer promotions and the usual arithmetic conversions (so
 * {@code -1 < 1u} is false, as in C), integer operations wrapped to the result's size, floating operations
 * in double (and rounded back to float for float results), and pointer arithmetic scaled by the pointed-to
 * size. Results are values that are not in memory.
 */
final class Arithmetic {

    private Arithmetic() {
    }

    /** The integer promotion: anything narrower than int (and _Bool, enums of int size) becomes int. */
    static CType promote(CType t) {
        CType s = t.strip();
        if (s.kind() == CType.Kind.ENUM) {
            return s.size() <= 4 ? Builtins.get(s.isSigned() ? "int" : "unsigned int") : Builtins.get(s.isSigned() ? "long" : "unsigned long");
        }
        if (s.isIntegral() && s.size() < 4 || s.isBool()) {
            return Builtins.get("int");
        }
        return s;
    }

    /** The common type of a binary operation on two arithmetic operands. */
    static CType common(CType a, CType b) {
        CType x = promote(a);
        CType y = promote(b);
        if (x.isFloat() || y.isFloat()) {
            if (!y.isFloat() || x.isFloat() && x.size() >= y.size()) {
                return x.isFloat() ? x : y;
            }
            return y;
        }
        // gdb's binop_promote: the result is a builtin type chosen by length (long long op int is long)
        long size = Math.max(x.size(), y.size());
        boolean unsigned;
        if (x.isSigned() == y.isSigned()) {
            unsigned = !x.isSigned();
        } else {
            CType u = x.isSigned() ? y : x;
            CType sg = x.isSigned() ? x : y;
            unsigned = u.size() >= sg.size();
        }
        return builtin(size, unsigned);
    }

    private static CType builtin(long size, boolean unsigned) {
        return Builtins.get((unsigned ? "unsigned " : "") + (size <= 4 ? "int" : "long"));
    }

    static boolean truth(Value v, int column) {
        CType t = v.type().strip();
        if (t.isFloat()) {
            return v.asDouble() != 0;
        }
        if (t.isIntegral() || t.isPointer()) {
            return v.raw() != 0;
        }
        throw new ExpressionException("Argument to a logical operation is not a number or a pointer.", column);
    }

    static Value intValue(long v) {
        return Value.ofLong(Builtins.get("int"), v);
    }

    /** Converts an arithmetic or pointer value to arithmetic type {@code to}. */
    static Value convert(Value v, CType to, int column) {
        CType from = v.type().strip();
        CType t = to.strip();
        if (t.isFloat()) {
            double d;
            if (from.isFloat()) {
                d = v.asDouble();
            } else if (from.isIntegral()) {
                d = from.isSigned() || v.bytes().length < 8 ? (double) v.asLong() : unsignedToDouble(v.raw());
            } else {
                throw new ExpressionException("Invalid cast.", column);
            }
            return Value.ofDouble(to, d);
        }
        if (t.isIntegral() || t.isPointer()) {
            long x;
            if (from.isFloat()) {
                x = (long) v.asDouble();
            } else if (from.isIntegral() || from.isPointer()) {
                x = from.isIntegral() ? v.asLong() : v.raw();
            } else if (from.kind() == CType.Kind.ARRAY && v.address() >= 0) {
                x = v.address();
            } else if (from.kind() == CType.Kind.FUNCTION) {
                x = v.address();
            } else {
                throw new ExpressionException("Invalid cast.", column);
            }
            if (t.isBool()) {
                x = x != 0 ? 1 : 0;
            }
            return Value.ofLong(to, x);
        }
        throw new ExpressionException("Invalid cast.", column);
    }

    private static double unsignedToDouble(long x) {
        return x >= 0 ? x : ((x >>> 1) | (x & 1)) * 2.0;
    }

    /** {@code a op b} for arithmetic operands (pointers are handled by the caller). */
    static Value binary(String op, Value a, Value b, int column) {
        if (!a.type().strip().isScalar() || !b.type().strip().isScalar()) {
            throw new ExpressionException("Argument to arithmetic operation not a number or boolean.", column);
        }
        if (op.equals("<<") || op.equals(">>")) {
            CType p = promote(a.type());
            CType t = builtin(p.size(), !p.isSigned());
            long x = convert(a, t, column).asLong();
            long n = convert(b, promote(b.type()), column).asLong();
            int bits = (int) (8 * t.size());
            long r = n < 0 || n >= bits ? 0 : op.equals("<<") ? x << n : t.isSigned() ? x >> n : (t.size() < 8 ? x & ((1L << bits) - 1) : x) >>> n;
            return Value.ofLong(t, r);
        }
        CType t = common(a.type(), b.type());
        Value x = convert(a, t, column);
        Value y = convert(b, t, column);
        if (t.isFloat()) {
            double p = x.asDouble();
            double q = y.asDouble();
            return switch (op) {
                case "+" -> Value.ofDouble(t, p + q);
                case "-" -> Value.ofDouble(t, p - q);
                case "*" -> Value.ofDouble(t, p * q);
                case "/" -> Value.ofDouble(t, p / q);
                case "<" -> intValue(p < q ? 1 : 0);
                case ">" -> intValue(p > q ? 1 : 0);
                case "<=" -> intValue(p <= q ? 1 : 0);
                case ">=" -> intValue(p >= q ? 1 : 0);
                case "==" -> intValue(p == q ? 1 : 0);
                case "!=" -> intValue(p != q ? 1 : 0);
                default -> throw new ExpressionException("Integer only operation " + op + ".", column);
            };
        }
        boolean signed = t.isSigned();
        long p = signed ? x.asLong() : x.raw();
        long q = signed ? y.asLong() : y.raw();
        if ((op.equals("/") || op.equals("%")) && q == 0) {
            throw new ExpressionException("Division by zero", column);
        }
        return switch (op) {
            case "+" -> Value.ofLong(t, p + q);
            case "-" -> Value.ofLong(t, p - q);
            case "*" -> Value.ofLong(t, p * q);
            case "/" -> Value.ofLong(t, signed ? p / q : Long.divideUnsigned(p, q));
            case "%" -> Value.ofLong(t, signed ? p % q : Long.remainderUnsigned(p, q));
            case "&" -> Value.ofLong(t, p & q);
            case "|" -> Value.ofLong(t, p | q);
            case "^" -> Value.ofLong(t, p ^ q);
            case "<" -> intValue((signed ? Long.compare(p, q) : Long.compareUnsigned(p, q)) < 0 ? 1 : 0);
            case ">" -> intValue((signed ? Long.compare(p, q) : Long.compareUnsigned(p, q)) > 0 ? 1 : 0);
            case "<=" -> intValue((signed ? Long.compare(p, q) : Long.compareUnsigned(p, q)) <= 0 ? 1 : 0);
            case ">=" -> intValue((signed ? Long.compare(p, q) : Long.compareUnsigned(p, q)) >= 0 ? 1 : 0);
            case "==" -> intValue(p == q ? 1 : 0);
            case "!=" -> intValue(p != q ? 1 : 0);
            default -> throw new ExpressionException("Unknown operator " + op + ".", column);
        };
    }

    /** Unary {@code - + ~ !} on an arithmetic (or, for {@code !}, pointer) value. */
    static Value unary(String op, Value v, int column) {
        CType s = v.type().strip();
        if (op.equals("!")) {
            return intValue(truth(v, column) ? 0 : 1);
        }
        if (s.isFloat() && !op.equals("~")) {
            return op.equals("-") ? Value.ofDouble(s, -v.asDouble()) : v.withType(s);
        }
        if (!s.isIntegral()) {
            throw new ExpressionException("Argument to " + (op.equals("~") ? "complement" : "arithmetic") + " operation not a number or boolean.", column);
        }
        CType t = promote(s);
        long x = convert(v, t, column).asLong();
        return Value.ofLong(t, switch (op) {
            case "-" -> -x;
            case "~" -> ~x;
            default -> x;
        });
    }
}
