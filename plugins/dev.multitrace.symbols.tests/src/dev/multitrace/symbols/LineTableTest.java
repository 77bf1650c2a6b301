package dev.multitrace.symbols;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.multitrace.symbols.dwarf.LineRow;
import dev.multitrace.symbols.dwarf.LineTable;
import dev.multitrace.symbols.elf.ElfFile;

/**
 * DWARF line tables agree with addr2line (at the addresses of one row; of several rows at one address the
 * debugger takes gdb's, see LinesAgainstGdbTest), and line -> addresses agrees with the rows.
 */
class LineTableTest {

    @Test
    void everyLineTableAddressMatchesAddr2line() throws Exception {
        int total = 0;
        for (String name : Targets.PROGRAMS) {
            Path file = Targets.program(name);
            LineTable t = LineTable.read(ElfFile.open(file));
            // Where several rows share an address (-O2's location views), addr2line takes the last row and gdb the last
            // statement row; the debugger follows gdb there (LinesAgainstGdbTest), so addr2line judges the other rows.
            Set<Long> addresses = new LinkedHashSet<>();
            Set<Long> several = new java.util.HashSet<>();
            for (LineRow r : t.rows()) {
                if (!r.endSequence() && !addresses.add(r.address())) {
                    several.add(r.address());
                }
            }
            addresses.removeAll(several);
            assertTrue(addresses.size() > 20, name + ": only " + addresses.size() + " line table addresses");
            StringBuilder in = new StringBuilder();
            for (long a : addresses) {
                in.append("0x").append(Long.toHexString(a)).append('\n');
            }
            String[] out = Targets.run(in.toString(), "addr2line", "-e", file.toString()).split("\n");
            assertEquals(addresses.size(), out.length, name + ": addr2line output lines");
            int i = 0;
            List<String> mismatches = new ArrayList<>();
            for (long a : addresses) {
                String expected = out[i++].replaceFirst(" \\(discriminator \\d+\\)$", "");
                LineRow r = t.lookup(a).orElseThrow(() -> new AssertionError(name + ": no row for 0x" + Long.toHexString(a)));
                String actual = r.file() + ":" + (r.line() == 0 ? "?" : Integer.toString(r.line()));
                if (!expected.equals(actual)) {
                    mismatches.add("0x" + Long.toHexString(a) + " addr2line " + expected + " ours " + actual);
                }
            }
            assertTrue(mismatches.isEmpty(), name + ": " + mismatches.size() + " mismatches, e.g. " + mismatches.subList(0, Math.min(5, mismatches.size())));
            System.out.println(name + ": " + addresses.size() + " line table addresses agree with addr2line (" + t + ")");
            total += addresses.size();
        }
        System.out.println("line table addresses checked against addr2line: " + total);
    }

    @Test
    void lineToAddressesAreTheStatementRowsOfThatLine() throws Exception {
        for (String name : Targets.PROGRAMS) {
            LineTable t = LineTable.read(ElfFile.open(Targets.program(name)));
            int stmts = 0;
            for (LineRow r : t.rows()) {
                if (r.isStmt() && !r.endSequence() && r.line() > 0) {
                    long[] a = t.addressesFor(r.file(), r.line());
                    assertTrue(java.util.Arrays.binarySearch(a, r.address()) >= 0, name + ": " + r + " not in addressesFor");
                    stmts++;
                }
            }
            assertTrue(stmts > 10, name);
            // by base name too, and nothing for a line without code
            LineRow any = t.rows().stream().filter(r -> r.isStmt() && r.file().endsWith("/symprog.c")).findFirst().orElseThrow();
            assertArrayEquals(t.addressesFor(any.file(), any.line()), t.addressesFor("symprog.c", any.line()), name);
            assertEquals(0, t.addressesFor("symprog.c", 1).length, name + ": line 1 is a comment");
        }
    }

    @Test
    void addressesForAFunctionsFirstLineStartAtTheFunction() throws Exception {
        ElfFile elf = ElfFile.open(Targets.program("symprog"));
        LineTable t = LineTable.read(elf);
        long recurse = elf.symbols().addressOf("recurse").orElseThrow();
        LineRow first = t.lookup(recurse).orElseThrow();
        assertTrue(first.file().endsWith("/symprog.c"), first.toString());
        assertEquals(recurse, t.addressesFor("symprog.c", first.line())[0]);
        assertTrue(first.column() > 0 || first.line() > 0);
    }
}
