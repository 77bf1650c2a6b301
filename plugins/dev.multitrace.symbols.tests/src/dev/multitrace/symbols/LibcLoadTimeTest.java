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

    /**
     * The DIE tree is lazy: making a module and reading its line table reads none of it; the first inlined-frame
     * lookup in libc's debug file (the unit headers, .debug_aranges, then the first DIE and the tree of the one unit
     * at the pc) stays well under half a second,
     * and the second lookup in the same unit is cheap. glibc's read() has its syscall inlined into itself.
     */
    @Test
    void libcInlinedFramesLookupFast() {
        ElfFile libc = ElfFile.open(Targets.LIBC);
        LoadedModule module = new LoadedModule(libc, 0);
        assertTrue(libc.findDebugFile().isPresent(), "libc6-dbg (the debug file gdb also reads) is installed");
        long read = libc.symbols().addressOf("read").orElseThrow();
        long t0 = System.nanoTime();
        module.lineTable();
        double lineMs = (System.nanoTime() - t0) / 1e6;
        // after read()'s last syscall instruction (its cancellable path): the pc of a thread blocked in it, as
        // UnwindAgainstGdbTest's threads are (the first, the single-threaded fast path, is not in the inlined block)
        long syscall = read;
        var text = libc.section(".text").orElseThrow();
        byte[] code = libc.rawData(text).seek(read - text.addr()).bytes(0x80);
        for (int i = 0; i + 1 < code.length; i++) {
            if (code[i] == 0x0f && code[i + 1] == 0x05) {
                syscall = read + i + 2;
            }
        }
        long t1 = System.nanoTime();
        var inlined = module.inlinedAt(syscall);
        double firstMs = (System.nanoTime() - t1) / 1e6;
        long t2 = System.nanoTime();
        module.inlinedAt(syscall - 1);
        double secondMs = (System.nanoTime() - t2) / 1e6;
        System.out.printf("libc.so.6: line table %.1f ms; inlined at read's syscall %s: first lookup %.1f ms, second %.2f ms%n", lineMs, inlined, firstMs,
                secondMs);
        assertTrue(!inlined.isEmpty(), "read() inlines its syscall: " + inlined);
        assertTrue(firstMs < 500, "the first DIE lookup took " + firstMs + " ms");
        assertTrue(secondMs < 50, "second lookup took " + secondMs + " ms");
    }
}
