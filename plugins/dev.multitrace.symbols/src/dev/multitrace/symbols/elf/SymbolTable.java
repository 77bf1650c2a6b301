package dev.multitrace.symbols.elf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The symbols of one ELF file ({@code .symtab} plus those of {@code .dynsym} not already in it), with
 * address -> function and name -> address lookups in link-time addresses (add a module's load bias for
 * run-time addresses; see {@code LoadedModule}).
 */
public final class SymbolTable {

    private static final int MAX_SCAN_BACK = 64;

    private final List<ElfSymbol> all;
    private final ElfSymbol[] functions; // sorted by address, one representative per address
    private final long[] starts;
    private final Map<String, List<ElfSymbol>> byName;

    private SymbolTable(List<ElfSymbol> all) {
        this.all = Collections.unmodifiableList(all);
        Map<String, List<ElfSymbol>> names = new HashMap<>();
        List<ElfSymbol> funcs = new ArrayList<>();
        for (ElfSymbol s : all) {
            if (!s.name().isEmpty() && s.isDefined()) {
                names.computeIfAbsent(s.name(), k -> new ArrayList<>(1)).add(s);
            }
            if (s.isFunction()) {
                funcs.add(s);
            }
        }
        byName = names;
        funcs.sort(Comparator.comparing(ElfSymbol::value, Long::compareUnsigned).thenComparing(SymbolTable::preference));
        List<ElfSymbol> reps = new ArrayList<>(funcs.size());
        for (ElfSymbol s : funcs) {
            if (reps.isEmpty() || reps.get(reps.size() - 1).value() != s.value()) {
                reps.add(s);
            } else if (s.size() > reps.get(reps.size() - 1).size()) {
                // an alias with a larger extent wins the extent; keep the preferred name
                ElfSymbol r = reps.get(reps.size() - 1);
                reps.set(reps.size() - 1, new ElfSymbol(r.name(), r.value(), s.size(), r.type(), r.bind(), r.visibility(), r.shndx(), r.dynamic()));
            }
        }
        functions = reps.toArray(ElfSymbol[]::new);
        starts = new long[functions.length];
        for (int i = 0; i < functions.length; i++) {
            starts[i] = functions[i].value();
        }
    }

    /** Global before weak before local; .symtab before .dynsym; then by name for determinism. */
    private static int preference(ElfSymbol a, ElfSymbol b) {
        int c = Integer.compare(rank(a), rank(b));
        return c != 0 ? c : a.name().compareTo(b.name());
    }

    private static Comparator<ElfSymbol> preference() {
        return SymbolTable::preference;
    }

    private static int rank(ElfSymbol s) {
        int bind = switch (s.bind()) {
            case ElfSymbol.STB_GLOBAL -> 0;
            case ElfSymbol.STB_WEAK -> 1;
            default -> 2;
        };
        return bind * 2 + (s.dynamic() ? 1 : 0) + (s.name().startsWith("_") ? 8 : 0);
    }

    static SymbolTable read(ElfFile elf) {
        List<ElfSymbol> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int pass = 0; pass < 2; pass++) {
            int wanted = pass == 0 ? ElfSection.SHT_SYMTAB : ElfSection.SHT_DYNSYM;
            for (ElfSection s : elf.sections()) {
                if (s.type() == wanted) {
                    readTable(elf, s, pass == 1, out, seen);
                }
            }
        }
        return new SymbolTable(out);
    }

    private static void readTable(ElfFile elf, ElfSection sec, boolean dynamic, List<ElfSymbol> out, Set<String> seen) {
        ByteReader r = elf.data(sec);
        long entsize = sec.entsize() == 0 ? 24 : sec.entsize();
        if (entsize < 24) {
            throw r.error("symbol entry size " + entsize + " < 24");
        }
        if (sec.link() <= 0 || sec.link() >= elf.sections().size()) {
            throw r.error("string table index " + sec.link() + " out of range");
        }
        ByteReader strtab = elf.data(elf.sections().get(sec.link()));
        long count = r.size() / entsize;
        for (long i = 0; i < count; i++) {
            r.seek(i * entsize);
            long nameOff = r.u32();
            int info = r.u8();
            int other = r.u8();
            int shndx = r.u16();
            long value = r.u64();
            long size = r.u64();
            if (i == 0) {
                continue;
            }
            String name = nameOff == 0 ? "" : strtab.cstringAt(nameOff);
            ElfSymbol sym = new ElfSymbol(name, value, size, info & 0xf, info >>> 4, other & 3, shndx, dynamic);
            String key = name + "@" + value + "/" + sym.type();
            if (!dynamic) {
                seen.add(key);
                out.add(sym);
            } else if (seen.add(key)) {
                out.add(sym);
            }
        }
    }

    /** Every symbol read (from both tables, dynamic ones only if not also in .symtab). */
    public List<ElfSymbol> all() {
        return all;
    }

    /** The defined functions, one per address (aliases folded into the preferred name), by address. */
    public List<ElfSymbol> functions() {
        return List.of(functions);
    }

    /** Defined symbols (any type) with this exact name; several for e.g. static functions of different files. */
    public List<ElfSymbol> byName(String name) {
        return byName.getOrDefault(name, List.of());
    }

    /** The link-time address of a function by name (global definitions preferred), if defined here. */
    public OptionalLong addressOf(String name) {
        return byName(name).stream().filter(ElfSymbol::isFunction).sorted(preference()).mapToLong(ElfSymbol::value).findFirst();
    }

    /** The function containing link-time address {@code address}, with the offset into it. */
    public Optional<SymbolMatch> functionAt(long address) {
        int i = upperBound(address) - 1;
        for (int j = i; j >= 0 && j > i - MAX_SCAN_BACK; j--) {
            ElfSymbol s = functions[j];
            if (s.contains(address)) {
                return Optional.of(new SymbolMatch(s, address - s.value()));
            }
        }
        if (i >= 0 && functions[i].size() == 0) {
            // an assembler symbol without size: it extends to the next symbol
            return Optional.of(new SymbolMatch(functions[i], address - functions[i].value()));
        }
        return Optional.empty();
    }

    /** All function names (aliases included) defined at exactly this link-time address. */
    public List<String> namesAt(long address) {
        List<String> out = new ArrayList<>();
        for (ElfSymbol s : all) {
            if (s.value() == address && s.isFunction() && !out.contains(s.name())) {
                out.add(s.name());
            }
        }
        return out;
    }

    private int upperBound(long address) {
        int lo = 0;
        int hi = starts.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(starts[mid], address) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    @Override
    public String toString() {
        return "SymbolTable[" + all.size() + " symbols, " + functions.length + " function addresses]";
    }

}
