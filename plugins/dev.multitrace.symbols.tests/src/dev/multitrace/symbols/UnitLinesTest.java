package dev.multitrace.symbols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.multitrace.symbols.dwarf.InlinedCall;
import dev.multitrace.symbols.dwarf.LineRow;
import dev.multitrace.symbols.dwarf.LineTable;
import dev.multitrace.symbols.elf.ElfFile;
import dev.multitrace.symbols.elf.ElfSymbol;

/**
 * A pc's line (and where its row ends) and inlined calls, looked up in a module whose whole line table was never read, come from the
 * line program of the pc's unit alone (found through {@code .debug_aranges}), and are exactly what the whole
 * table gives: on libc with its debug file, at functions all over it.
 */
class UnitLinesTest {

    @Test
    void linesAndInlinedCallsFromOneUnitEqualThoseOfTheWholeTable() {
        ElfFile libc = ElfFile.open(Targets.LIBC);
        assertTrue(libc.findDebugFile().isPresent(), "libc6-dbg (the debug file gdb also reads) is installed, as LibcLoadTimeTest needs");
        LoadedModule whole = new LoadedModule(libc, 0);
        LineTable table = whole.lineTable();
        List<ElfSymbol> functions = new ArrayList<>(whole.debugSymbols().orElseThrow().functions());
        functions.sort(java.util.Comparator.comparingLong(ElfSymbol::value));
        int step = Math.max(1, functions.size() / 120);
        int compared = 0;
        int withLine = 0;
        int inlinedCompared = 0;
        long lazyNanos = 0;
        for (int i = 0; i < functions.size(); i += step) {
            ElfSymbol f = functions.get(i);
            long pc = f.value() + Math.min(4, Math.max(0, f.size() - 1));
            LoadedModule lazy = new LoadedModule(libc, 0); // never asked for its whole table
            long t0 = System.nanoTime();
            Optional<LineRow> row = lazy.lineAt(pc);
            List<InlinedCall> inlined = lazy.inlinedAt(pc);
            lazyNanos += System.nanoTime() - t0;
            assertEquals(table.lookup(pc), row, f.name() + "+" + (pc - f.value()));
            // the row's span (where the next row of its sequence starts), as a stop's line is taken
            Optional<LoadedModule.LineSpan> span = new LoadedModule(libc, 0).lineSpanAt(pc);
            assertEquals(row, span.map(LoadedModule.LineSpan::row), f.name() + ": the span's row");
            assertEquals(row.map(r -> table.rowAfter(r.address()).map(LineRow::address).orElse(r.address() + 1)),
                    span.map(LoadedModule.LineSpan::end), f.name() + ": the span's end");
            assertEquals(whole.inlinedAt(pc), inlined, f.name() + "+" + (pc - f.value()) + ": inlined calls");
            compared++;
            withLine += row.isPresent() ? 1 : 0;
            inlinedCompared += inlined.size();
        }
        System.out.printf("libc: %d pcs (%d with a line, %d inlined calls) equal from their unit alone; %.1f ms per pc on a new module%n",
                compared, withLine, inlinedCompared, lazyNanos / 1e6 / compared);
        assertTrue(withLine > compared / 2, withLine + " of " + compared + " have a line");
    }
}
