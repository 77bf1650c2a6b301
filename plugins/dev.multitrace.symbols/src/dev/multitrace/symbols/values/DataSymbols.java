package dev.multitrace.symbols.values;

import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;

import dev.multitrace.symbols.LoadedModule;
import dev.multitrace.symbols.ProcessSymbols;
import dev.multitrace.symbols.elf.ElfFile;
import dev.multitrace.symbols.elf.ElfSymbol;

/**
 * The {@code <symbol+offset>} gdb prints after a pointer into a function or a global object
 * ({@code 0x4040 <nodes+24>}): the ELF symbol (function or object, with a size) containing the address.
 * Pointers into the stack or the heap have none. Per file, the symbols are sorted once (globals after locals at one address, so the backward scan
 * finds the global name first, as gdb prefers it).
 */
public final class DataSymbols {

    private static final Map<ElfFile, ElfSymbol[]> SORTED = new WeakHashMap<>();

    private final ProcessSymbols symbols;

    public DataSymbols(ProcessSymbols symbols) {
        this.symbols = symbols;
    }

    /** {@code name} or {@code name+offset} for a run-time address, if a symbol covers it. */
    public Optional<String> describe(long address) {
        Optional<LoadedModule> m = symbols.moduleAt(address);
        if (m.isEmpty()) {
            return Optional.empty();
        }
        long link = address - m.get().bias();
        ElfSymbol[] sorted = sorted(m.get().elf());
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(sorted[mid].value(), link) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        for (int i = lo - 1; i >= 0 && i >= lo - 16; i--) {
            ElfSymbol s = sorted[i];
            if (s.contains(link)) {
                long off = link - s.value();
                return Optional.of(off == 0 ? s.name() : s.name() + "+" + off);
            }
        }
        return Optional.empty();
    }

    private static ElfSymbol[] sorted(ElfFile elf) {
        synchronized (SORTED) {
            return SORTED.computeIfAbsent(elf, e -> e.symbols().all().stream()
                    .filter(s -> s.isDefined() && s.size() > 0 && (s.type() == ElfSymbol.STT_OBJECT || s.type() == ElfSymbol.STT_FUNC))
                    .sorted(Comparator.comparingLong(ElfSymbol::value)
                            .thenComparing((ElfSymbol s) -> s.bind() == ElfSymbol.STB_LOCAL ? 0 : 1))
                    .toArray(ElfSymbol[]::new));
        }
    }
}
