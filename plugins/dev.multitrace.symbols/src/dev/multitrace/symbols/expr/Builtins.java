package dev.multitrace.symbols.expr;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.multitrace.symbols.types.CType;

/**
 * C's base types on x86-64 as the expression evaluator makes them (literals, the results of arithmetic,
 * casts to a keyword type), named as gdb names them; any order of the specifier words is accepted
 * ({@code long unsigned int} is {@code unsigned long}).
 */
final class Builtins {

    private static final Map<String, CType> TYPES = new LinkedHashMap<>();

    static {
        add("char", 1, CType.ATE_SIGNED_CHAR);
        add("signed char", 1, CType.ATE_SIGNED_CHAR);
        add("unsigned char", 1, CType.ATE_UNSIGNED_CHAR);
        add("short", 2, CType.ATE_SIGNED);
        add("unsigned short", 2, CType.ATE_UNSIGNED);
        add("int", 4, CType.ATE_SIGNED);
        add("unsigned int", 4, CType.ATE_UNSIGNED);
        add("long", 8, CType.ATE_SIGNED);
        add("unsigned long", 8, CType.ATE_UNSIGNED);
        add("long long", 8, CType.ATE_SIGNED);
        add("unsigned long long", 8, CType.ATE_UNSIGNED);
        add("float", 4, CType.ATE_FLOAT);
        add("double", 8, CType.ATE_FLOAT);
        add("long double", 16, CType.ATE_FLOAT);
        add("_Bool", 1, CType.ATE_BOOLEAN);
    }

    private Builtins() {
    }

    private static void add(String name, int size, int encoding) {
        TYPES.put(name, CType.base(name, size, encoding));
    }

    static CType get(String name) {
        return find(name).orElseThrow();
    }

    /** The base type spelled by C keywords in any order ("long unsigned int"), or void. */
    static Optional<CType> find(String spelled) {
        if (spelled.equals("void")) {
            return Optional.of(CType.VOID);
        }
        List<String> words = new ArrayList<>(Arrays.asList(spelled.trim().split("\\s+")));
        boolean unsigned = words.remove("unsigned");
        boolean signed = words.remove("signed");
        if (words.size() > 1 || unsigned || signed) {
            if (!words.contains("char")) {
                words.remove("int");
            }
        }
        if (words.isEmpty()) {
            words.add("int");
        }
        String core = String.join(" ", words);
        String name = unsigned ? "unsigned " + core : signed && core.equals("char") ? "signed char" : core;
        return Optional.ofNullable(TYPES.get(name));
    }

    static CType qualified(CType.Kind kind, CType target) {
        return CType.qualified(kind, target);
    }
}
