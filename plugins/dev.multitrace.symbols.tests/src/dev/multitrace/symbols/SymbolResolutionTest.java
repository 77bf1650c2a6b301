package dev.multitrace.symbols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.multitrace.symbols.elf.ElfFile;
import dev.multitrace.symbols.elf.ElfSymbol;
import dev.multitrace.symbols.elf.SymbolMatch;
import dev.multitrace.symbols.elf.SymbolTable;

/** Every FUNC symbol that readelf lists resolves address -> function and name -> address. */
class SymbolResolutionTest {

    @Test
    void everyReadelfFunctionResolvesBothWays() throws Exception {
        int checked = 0;
        List<Path> files = new ArrayList<>();
        for (String p : Targets.PROGRAMS) {
            files.add(Targets.program(p));
        }
        files.add(Targets.LIBC);
        for (Path file : files) {
            SymbolTable t = ElfFile.open(file).symbols();
            List<Targets.ReadelfSymbol> expected = Targets.readelfFunctions(file);
            assertTrue(expected.size() > 5, file + ": readelf lists " + expected.size() + " functions");
            for (Targets.ReadelfSymbol e : expected) {
                String what = file + ": " + e.name() + " @ 0x" + Long.toHexString(e.value());
                SymbolMatch at = t.functionAt(e.value()).orElseThrow(() -> new AssertionError(what + ": no function found"));
                assertEquals(e.value(), at.symbol().value(), what + ": resolved to " + at);
                assertEquals(0, at.offset(), what);
                assertTrue(t.namesAt(e.value()).contains(e.name()), what + ": aliases " + t.namesAt(e.value()));
                if (e.size() > 1) {
                    SymbolMatch last = t.functionAt(e.value() + e.size() - 1).orElseThrow(() -> new AssertionError(what + ": last byte unresolved"));
                    assertTrue(last.symbol().contains(e.value() + e.size() - 1), what + ": last byte resolved to " + last);
                }
                assertTrue(t.byName(e.name()).stream().filter(ElfSymbol::isFunction).anyMatch(s -> s.value() == e.value()),
                        what + ": by name gives " + t.byName(e.name()));
                assertTrue(t.addressOf(e.name()).isPresent(), what);
                checked++;
            }
            System.out.println(file + ": " + expected.size() + " readelf FUNC symbols resolved both ways");
        }
        System.out.println("symbols checked: " + checked);
    }

    @Test
    void functionAtGivesNameAndOffset() throws Exception {
        SymbolTable t = ElfFile.open(Targets.program("symprog")).symbols();
        long main = t.addressOf("main").orElseThrow();
        assertEquals("main+0x4", t.functionAt(main + 4).orElseThrow().toString());
        assertEquals("main", t.functionAt(main).orElseThrow().toString());
        long square = t.addressOf("square").orElseThrow();
        assertEquals(ElfSymbol.STB_LOCAL, t.byName("square").get(0).bind());
        assertEquals("square", t.functionAt(square).orElseThrow().name());
    }
}
