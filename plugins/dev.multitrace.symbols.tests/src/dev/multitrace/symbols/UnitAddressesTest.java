package dev.multitrace.symbols;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.multitrace.symbols.dwarf.LineRow;
import dev.multitrace.symbols.dwarf.LineTable;
import dev.multitrace.symbols.elf.ElfFile;

/**
 * The addresses of {@code file:line}, looked up in a module whose whole line table was never read, come from the
 * line programs of the units whose headers name the file, and are exactly what the whole table gives: on libc
 * with its debug file, for lines all over it, by full path and by last name; a file libc does not have has none.
 */
class UnitAddressesTest {

    @Test
    void fileLineAddressesFromTheUnitsNamingTheFileEqualThoseOfTheWholeTable() {
        ElfFile libc = ElfFile.open(Targets.LIBC);
        assertTrue(libc.findDebugFile().isPresent(), "libc6-dbg (the debug file gdb also reads) is installed, as LibcLoadTimeTest needs");
        LoadedModule whole = new LoadedModule(libc, 0x7f0000000000L);
        LineTable table = whole.lineTable();
        List<LineRow> rows = table.rows();
        int step = Math.max(1, rows.size() / 150);
        int compared = 0;
        int withAddresses = 0;
        LoadedModule lazy = new LoadedModule(libc, 0x7f0000000000L); // never asked for its whole table
        long lazyNanos = 0;
        List<String> asked = new ArrayList<>();
        for (int i = 0; i < rows.size(); i += step) {
            LineRow r = rows.get(i);
            if (r.line() <= 0) {
                continue;
            }
            String path = r.file();
            String lastName = path.substring(path.lastIndexOf('/') + 1);
            for (String name : List.of(path, lastName)) {
                long t0 = System.nanoTime();
                long[] got = lazy.addressesFor(name, r.line());
                lazyNanos += System.nanoTime() - t0;
                assertArrayEquals(whole.addressesFor(name, r.line()), got, name + ":" + r.line());
                compared++;
                withAddresses += got.length > 0 ? 1 : 0;
            }
            asked.add(lastName + ":" + r.line());
        }
        System.out.printf("libc: %d file:line lookups (%d with addresses) equal from the units naming the file; %.2f ms each on a module"
                + " whose whole table was never read%n", compared, withAddresses, lazyNanos / 1e6 / compared);
        assertTrue(withAddresses > compared / 2, withAddresses + " of " + compared + " have addresses: " + asked);

        LoadedModule fresh = new LoadedModule(libc, 0);
        long t0 = System.nanoTime();
        assertEquals(0, fresh.addressesFor("multitrace_nowhere.c", 27).length, "libc has no multitrace_nowhere.c");
        assertEquals(0, fresh.breakpointAddresses("multitrace_nowhere.c", 27).length, "nor a breakpoint in it");
        long headersNanos = System.nanoTime() - t0;
        t0 = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            fresh.addressesFor("multitrace_nowhere.c", 27);
        }
        long indexedNanos = (System.nanoTime() - t0) / 10;
        t0 = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            table.addressesFor("multitrace_nowhere.c", 27); // the scan of every row each lookup made before
        }
        System.out.printf("libc: looking up a file it does not have again: %.3f ms by the units' file names, %.1f ms by a scan of"
                + " the whole table%n", indexedNanos / 1e6, (System.nanoTime() - t0) / 10 / 1e6);
        t0 = System.nanoTime();
        new LoadedModule(libc, 0).lineTable();
        System.out.printf("libc: a file it does not have answered from the units' headers in %.1f ms; its whole line table takes %.1f ms%n",
                headersNanos / 1e6, (System.nanoTime() - t0) / 1e6);
    }
}
