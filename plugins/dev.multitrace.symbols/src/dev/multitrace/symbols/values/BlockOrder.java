package dev.multitrace.symbols.values;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import dev.multitrace.symbols.dwarf.Die;

/**
 * The order in which gdb lists the symbols of one lexical block ({@code info locals}): gdb keeps a
 * function's symbols in declaration order but a nested block's in a hash table (buildsym's
 * {@code mdict_create_hashed}), and prints them bucket by bucket. To print the same text, the same table is
 * rebuilt here: {@code (n * 5 / 4) + 1} buckets for the block's n symbols (variables, labels, local types
 * and enumerators), gdb's C name hash ({@code default_search_name_hash}), declaration order within a
 * bucket.
 */
final class BlockOrder {

    private BlockOrder() {
    }

    /** {@code symbols} (a block's symbol DIEs in declaration order) in gdb's listing order. */
    static List<Die> hashed(List<Die> symbols, Function<Die, Optional<String>> nameOf) {
        List<Die> named = new ArrayList<>();
        Map<Die, String> names = new HashMap<>();
        for (Die d : symbols) {
            Optional<String> n = nameOf.apply(d);
            if (n.isPresent()) {
                named.add(d);
                names.put(d, n.get());
            }
        }
        int buckets = named.size() * 5 / 4 + 1;
        List<Die> out = new ArrayList<>(named);
        out.sort(Comparator.comparingLong(d -> Integer.toUnsignedLong(hash(names.get(d))) % buckets)); // stable
        return out;
    }

    /** Whether a DIE becomes a symbol of the block it is in (and so counts in its table). */
    static boolean isSymbol(Die d) {
        return switch (d.tag()) {
            case Die.TAG_VARIABLE, Die.TAG_FORMAL_PARAMETER, 0x0a /* label */, Die.TAG_TYPEDEF, Die.TAG_BASE_TYPE, Die.TAG_STRUCTURE_TYPE,
                    Die.TAG_UNION_TYPE, Die.TAG_ENUMERATION_TYPE, Die.TAG_ENUMERATOR -> true;
            default -> false;
        };
    }

    /** gdb's {@code default_search_name_hash} for a C name (the Ada special cases fall back as gdb's do). */
    static int hash(String name) {
        if (name.startsWith("_")) {
            if (!name.startsWith("_ada_")) {
                return hashIgnoringWhitespace(name);
            }
        }
        int start = name.startsWith("_ada_") ? 5 : 0;
        int hash = 0;
        for (int i = start; i < name.length(); i++) {
            char c = name.charAt(i);
            switch (c) {
                case '$', '.', 'X' -> {
                    if (i == 0) {
                        return hashIgnoringWhitespace(name);
                    }
                }
                case ' ', '(' -> {
                    return hashIgnoringWhitespace(name);
                }
                case '_' -> {
                    if (i + 1 < name.length() && name.charAt(i + 1) == '_' && i != 0) {
                        int next = i + 2 < name.length() ? name.charAt(i + 2) : 0;
                        if ((next < 'a' || next > 'z') && next != 'O') {
                            return hash;
                        }
                        hash = 0;
                        i += 1; // and the loop's own step: past both underscores
                        continue;
                    }
                }
                case 'T' -> {
                    if (name.substring(i).equals("TKB")) {
                        return hash;
                    }
                }
                default -> {
                }
            }
            hash = next(hash, c);
        }
        return hash;
    }

    /** gdb's {@code msymbol_hash_iw}: the name without spaces, up to a parenthesis. */
    private static int hashIgnoringWhitespace(String name) {
        int hash = 0;
        for (int i = 0; i < name.length() && name.charAt(i) != '('; i++) {
            if (!Character.isWhitespace(name.charAt(i))) {
                hash = next(hash, name.charAt(i));
            }
        }
        return hash;
    }

    /** gdb's {@code SYMBOL_HASH_NEXT}: {@code hash * 67 + tolower(c) - 113}, in unsigned 32 bits. */
    private static int next(int hash, char c) {
        return hash * 67 + Character.toLowerCase(c) - 113;
    }
}
