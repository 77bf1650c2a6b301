package dev.multitrace.symbols;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.multitrace.symbols.unwind.CallFrameInfo;
import dev.multitrace.symbols.unwind.UnwindRow;

import dev.multitrace.symbols.elf.ElfFile;
import dev.multitrace.symbols.elf.SymbolTable;

/** libc.so.6 symbols load in well under a second. */
class LibcLoadTimeTest {

    @Test
    void libcSymbolsLoadFast() {
        long t0 = System.nanoTime();
        ElfFile libc = ElfFile.open(Targets.LIBC);
        SymbolTable symbols = libc.symbols();
        long address = symbols.addressOf("nanosleep").orElseThrow();
        String name = symbols.functionAt(address + 3).orElseThrow().toString();
        double ms = (System.nanoTime() - t0) / 1e6;
        System.out.printf("libc.so.6: %d symbols, %d function addresses loaded and looked up in %.1f ms (first load, cold JIT); %s%n",
                symbols.all().size(), symbols.functions().size(), ms, name);
        long t1 = System.nanoTime();
        ElfFile.open(Targets.LIBC).symbols();
        System.out.printf("libc.so.6: second load %.1f ms%n", (System.nanoTime() - t1) / 1e6);
        assertTrue(ms < 1000, "libc symbols took " + ms + " ms");
    }

    /** libc's .eh_frame indexed (every FDE header, lazily on the first lookup) and one row computed, well under a second. */
    @Test
    void libcCallFrameInformationIndexesFast() {
        ElfFile libc = ElfFile.open(Targets.LIBC);
        long nanosleep = libc.symbols().addressOf("nanosleep").orElseThrow();
        long t0 = System.nanoTime();
        CallFrameInfo cfi = CallFrameInfo.uncached(libc);
        UnwindRow row = cfi.rowAt(nanosleep + 4).orElseThrow();
        double ms = (System.nanoTime() - t0) / 1e6;
        int fdes = cfi.ranges().size();
        System.out.printf("libc.so.6: %d FDEs indexed and the rules at nanosleep+4 computed in %.1f ms (%s)%n", fdes, ms, row);
        assertTrue(fdes > 1000, "FDEs: " + fdes);
        assertTrue(ms < 1000, "libc CFI took " + ms + " ms");
        // the static functions a stripped libc lacks come from its debug file's .symtab, once, when first needed
        long t1 = System.nanoTime();
        new LoadedModule(libc, 0).debugSymbols();
        System.out.printf("libc.so.6: debug file symbols (if installed) in %.1f ms%n", (System.nanoTime() - t1) / 1e6);
    }
}
