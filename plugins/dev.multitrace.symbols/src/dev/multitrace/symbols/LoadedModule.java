package dev.multitrace.symbols;

import java.util.Optional;
import java.util.OptionalLong;

import dev.multitrace.symbols.dwarf.LineRow;
import dev.multitrace.symbols.dwarf.LineTable;
import dev.multitrace.symbols.elf.ElfFile;
import dev.multitrace.symbols.elf.ElfSection;
import dev.multitrace.symbols.elf.SymbolMatch;
import dev.multitrace.symbols.elf.SymbolTable;

/**
 * An ELF file loaded at a bias in a process: lookups in run-time addresses. Symbols come from the file
 * itself; the line table from the file, or from its separate debug file (build-id or
 * {@code .gnu_debuglink} under {@code /usr/lib/debug}) when the file has no {@code .debug_line}.
 * Symbols and lines are indexed lazily, on first use.
 */
public final class LoadedModule {

    private final ElfFile elf;
    private final long bias;
    private volatile LineTable lines;
    private volatile Optional<SymbolTable> debugSymbols;

    public LoadedModule(ElfFile elf, long bias) {
        this.elf = elf;
        this.bias = bias;
    }

    public ElfFile elf() {
        return elf;
    }

    /** Run-time address minus link-time address. */
    public long bias() {
        return bias;
    }

    /**
     * The function containing run-time address {@code address}, with the offset into it. A stripped file
     * (only {@code .dynsym}, like a distribution's libc) also gets the static functions of its separate debug
     * file's {@code .symtab}, as gdb's minimal symbols do.
     */
    public Optional<SymbolMatch> functionAt(long address) {
        Optional<SymbolMatch> own = elf.symbols().functionAt(address - bias);
        if (own.isPresent()) {
            return own;
        }
        return debugSymbols().flatMap(t -> t.functionAt(address - bias));
    }

    /** The {@code .symtab} of the separate debug file, if this file has none of its own and a debug file is installed. */
    public Optional<SymbolTable> debugSymbols() {
        Optional<SymbolTable> t = debugSymbols;
        if (t == null) {
            synchronized (this) {
                t = debugSymbols;
                if (t == null) {
                    boolean hasSymtab = elf.sections().stream().anyMatch(s -> s.type() == ElfSection.SHT_SYMTAB);
                    t = hasSymtab ? Optional.empty() : elf.findDebugFile().map(ElfFile::symbols);
                    debugSymbols = t;
                }
            }
        }
        return t;
    }

    /** The run-time address of the function {@code name}, if this module defines it. */
    public OptionalLong addressOf(String name) {
        OptionalLong a = elf.symbols().addressOf(name);
        return a.isPresent() ? OptionalLong.of(a.getAsLong() + bias) : a;
    }

    /** The line table (link-time addresses). */
    public LineTable lineTable() {
        LineTable t = lines;
        if (t == null) {
            synchronized (this) {
                t = lines;
                if (t == null) {
                    if (elf.section(".debug_line").isPresent() || elf.section(".zdebug_line").isPresent()) {
                        t = LineTable.read(elf);
                    } else {
                        t = elf.findDebugFile().map(LineTable::read).orElseGet(LineTable::empty);
                    }
                    lines = t;
                }
            }
        }
        return t;
    }

    /** The source position of run-time address {@code address}; the row's address is made run-time too. */
    public Optional<LineRow> lineAt(long address) {
        return lineTable().lookup(address - bias).map(r -> new LineRow(r.address() + bias, r.file(), r.line(), r.column(), r.isStmt(),
                r.prologueEnd(), r.epilogueBegin(), r.endSequence(), r.discriminator()));
    }

    /** Run-time addresses of the is_stmt rows for {@code file:line}. */
    public long[] addressesFor(String file, int line) {
        long[] a = lineTable().addressesFor(file, line);
        for (int i = 0; i < a.length; i++) {
            a[i] += bias;
        }
        return a;
    }

    @Override
    public String toString() {
        return elf.name() + " @ bias 0x" + Long.toHexString(bias);
    }
}
