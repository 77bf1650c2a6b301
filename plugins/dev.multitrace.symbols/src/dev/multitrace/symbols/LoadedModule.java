package dev.multitrace.symbols;

import dev.multitrace.symbols.elf.SymbolException;

import java.util.Optional;
import java.util.OptionalLong;

import dev.multitrace.symbols.dwarf.DebugInfo;
import dev.multitrace.symbols.dwarf.InlinedCall;
import dev.multitrace.symbols.dwarf.LineRow;
import dev.multitrace.symbols.dwarf.LineTable;
import dev.multitrace.symbols.elf.PltStubs;
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
    /** The line information's unit headers, without rows; null until a file:line lookup needs them. */
    private volatile LineTable headers;
    /** Whether this is the dynamic linker, from its file name (see {@link #isDynamicLinker}). */
    private final boolean dynamicLinker;
    /** Start and size of each PLT section, in pairs: {@link #inPlt} is asked at each instruction a step passes a stub with. */
    private final long[] pltRanges;
    /** The PLT stubs, read at the first step into a call through one. */
    private volatile PltStubs plt;
    private volatile Optional<SymbolTable> debugSymbols;
    private volatile DebugInfo debugInfo;
    /** Line programs of single units, by {@code .debug_line} offset, read before (or instead of) the whole table. */
    private final java.util.Map<Long, LineTable> unitLines = new java.util.concurrent.ConcurrentHashMap<>();

    public LoadedModule(ElfFile elf, long bias) {
        this.elf = elf;
        this.bias = bias;
        this.dynamicLinker = namesDynamicLinker(elf.name());
        this.pltRanges = readPltRanges(elf);
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

    /**
     * The DIE tree of the file that holds the line table (this file, or its separate debug file), read
     * lazily: nothing until the first scope lookup.
     */
    public DebugInfo debugInfo() {
        DebugInfo d = debugInfo;
        if (d == null) {
            synchronized (this) {
                d = debugInfo;
                if (d == null) {
                    boolean own = elf.section(".debug_line").isPresent() || elf.section(".zdebug_line").isPresent();
                    d = DebugInfo.of(own ? elf : elf.findDebugFile().orElse(elf));
                    debugInfo = d;
                }
            }
        }
        return d;
    }

    /**
     * The functions inlined at run-time address {@code address}, outermost first (the one inlined straight into
     * the real function first), each with the call site it replaces. Empty without a DIE tree.
     */
    public java.util.List<InlinedCall> inlinedAt(long address) {
        DebugInfo info = debugInfo();
        java.util.List<DebugInfo.Scope> scopes = info.inlinedAt(address - bias);
        if (scopes.isEmpty()) {
            return java.util.List.of();
        }
        // the call sites' file names are in the line program of the unit at the address
        LineTable table = unitLineTable(address - bias).orElseGet(this::lineTable);
        return scopes.stream().map(s -> new InlinedCall(info.name(s).orElse("??"), info.callFile(s, table), s.callLine())).toList();
    }

    /**
     * The source position of run-time address {@code address}; the row's address is made run-time too. Until the
     * whole line table is needed (by {@link #lineTable()}), only the line program of the unit at the address is
     * read: a stack through a large library (libc with its debug file) reads a few units' rows, not all.
     */
    public Optional<LineRow> lineAt(long address) {
        long link = address - bias;
        return tableAt(link).lookup(link).map(this::runTime);
    }

    /** A row of a table (link-time) with its address made run-time. */
    private LineRow runTime(LineRow r) {
        return new LineRow(r.address() + bias, r.file(), r.line(), r.column(), r.isStmt(), r.prologueEnd(), r.epilogueBegin(),
                r.endSequence(), r.discriminator());
    }

    /**
     * The row covering run-time {@code address} and the run-time address where it ends (the next row of its sequence),
     * from its unit's line program until the whole table is read, as {@link #lineAt}; empty if no row covers it.
     */
    public Optional<LineSpan> lineSpanAt(long address) {
        long link = address - bias;
        LineTable table = tableAt(link);
        return table.lookup(link).map(r -> new LineSpan(runTime(r),
                table.rowAfter(r.address()).map(LineRow::address).orElse(r.address() + 1) + bias));
    }

    /** Whether rows of different lines start at run-time {@code address} ({@link LineTable#severalLinesAt}). */
    public boolean severalLinesAt(long address) {
        long link = address - bias;
        return tableAt(link).severalLinesAt(link);
    }

    /** The function the PLT stub at run-time {@code address} calls, if {@code address} is in one of this file's stubs. */
    public Optional<String> pltStubAt(long address) {
        PltStubs p = plt;
        if (p == null) {
            synchronized (this) {
                p = plt;
                if (p == null) {
                    p = PltStubs.of(elf);
                    plt = p;
                }
            }
        }
        return p.at(address - bias);
    }

    /**
     * Whether run-time address {@code address} is in this file's procedure linkage table ({@code .plt},
     * {@code .plt.sec}, {@code .plt.got}): the stubs and the lazy binding's common entry a call through one passes.
     */
    public boolean inPlt(long address) {
        long link = address - bias;
        for (int i = 0; i < pltRanges.length; i += 2) {
            if (Long.compareUnsigned(link - pltRanges[i], pltRanges[i + 1]) < 0) {
                return true;
            }
        }
        return false;
    }

    /** Start and size (link-time) of each PLT section {@code elf} has. */
    private static long[] readPltRanges(ElfFile elf) {
        java.util.List<Long> out = new java.util.ArrayList<>();
        for (String name : PLT_SECTIONS) {
            elf.section(name).ifPresent(plt -> {
                out.add(plt.addr());
                out.add(plt.size());
            });
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    private static final String[] PLT_SECTIONS = { ".plt", ".plt.sec", ".plt.got" };

    /** Whether run-time address {@code address} is in a unit of assembler source (see {@link DebugInfo#isAssemblyAt}). */
    public boolean isAssemblyAt(long address) {
        try {
            return debugInfo().isAssemblyAt(address - bias);
        } catch (SymbolException unreadable) {
            return false;
        }
    }

    /** Whether this is the dynamic linker (glibc's {@code ld-linux-x86-64.so.2}), which binds the PLT's slots. */
    public boolean isDynamicLinker() {
        return dynamicLinker;
    }

    private static boolean namesDynamicLinker(String path) {
        String name = java.nio.file.Path.of(path).getFileName().toString();
        return name.startsWith("ld-linux") || name.startsWith("ld.so") || name.matches("ld-[0-9.]+\\.so");
    }

    /** A line-table row (run-time address) and where its code ends. */
    public record LineSpan(LineRow row, long end) {
    }

    /**
     * The table to look link-time {@code link} up in: the whole table once read, else its unit's line program when
     * that has a row for it, else the whole table.
     */
    private LineTable tableAt(long link) {
        return unitLineTable(link).filter(t -> t.lookup(link).isPresent()).orElseGet(this::lineTable);
    }

    /**
     * The line program of the unit whose code contains link-time {@code link} (the whole table if already
     * read); empty when no unit says so.
     */
    private Optional<LineTable> unitLineTable(long link) {
        if (lines != null) {
            return Optional.of(lines);
        }
        java.util.OptionalLong unit;
        try {
            unit = debugInfo().stmtListAt(link);
        } catch (SymbolException e) {
            return Optional.empty(); // a broken DIE tree: the whole table answers
        }
        if (unit.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(unitLines.computeIfAbsent(unit.getAsLong(), offset -> LineTable.readUnit(lineFile(), offset)));
    }

    /** The file whose {@code .debug_line} this module's lines come from: its own, or its separate debug file. */
    private ElfFile lineFile() {
        boolean own = elf.section(".debug_line").isPresent() || elf.section(".zdebug_line").isPresent();
        return own ? elf : elf.findDebugFile().orElse(elf);
    }

    /**
     * Run-time addresses of the is_stmt rows for {@code file:line}. Until the whole line table is needed, only the
     * line programs of the units that name the file are read (none in a library that does not have it).
     */
    public long[] addressesFor(String file, int line) {
        long[] a;
        LineTable full = lines;
        if (full != null) {
            a = full.addressesFor(file, line);
        } else {
            java.util.TreeSet<Long> found = new java.util.TreeSet<>(Long::compareUnsigned);
            for (long unit : lineHeaders().unitsNaming(file)) {
                for (long x : unitLines.computeIfAbsent(unit, offset -> LineTable.readUnit(lineFile(), offset)).addressesFor(file, line)) {
                    found.add(x);
                }
            }
            a = found.stream().mapToLong(Long::longValue).toArray();
        }
        for (int i = 0; i < a.length; i++) {
            a[i] += bias;
        }
        return a;
    }

    /** Whether the module has line information, told by its units' headers (its whole line table stays unread). */
    public boolean hasLineInfo() {
        LineTable full = lines;
        return full != null ? full.size() > 0 : lineHeaders().hasUnits();
    }

    /** The units' headers of the line information (their file tables), read once. */
    private LineTable lineHeaders() {
        LineTable h = headers;
        if (h == null) {
            synchronized (this) {
                h = headers;
                if (h == null) {
                    h = LineTable.headers(lineFile());
                    headers = h;
                }
            }
        }
        return h;
    }

    /**
     * Where a debugger puts a breakpoint for {@code file:line} (run-time addresses), the way gdb does: the
     * is_stmt rows of that line, the lowest address per block (see {@link #blockAt}: a line can have code in
     * several functions when it was inlined, in several inlined instances, or in several lexical blocks of an
     * optimized function); an address that is a function's entry is
     * moved past the prologue ({@code [endbr64] push %rbp; mov %rsp,%rbp}, then to the start of the next
     * line-table row if that leaves it mid-row), so that the arguments are in place when it hits. A line
     * without code has no addresses (gdb would slide to the next line with code; that is the caller's choice).
     */
    public long[] breakpointAddresses(String file, int line) {
        if (lines == null && lineHeaders().unitsNaming(file).isEmpty()) {
            return new long[0]; // not a file of this module: its whole line table stays unread
        }
        LineTable table = lineTable();
        java.util.Map<Object, Long> lowestPerBlock = new java.util.LinkedHashMap<>();
        for (long a : table.addressesFor(file, line)) {
            lowestPerBlock.merge(blockAt(a), a, (x, y) -> Long.compareUnsigned(x, y) <= 0 ? x : y);
        }
        java.util.TreeSet<Long> out = new java.util.TreeSet<>(Long::compareUnsigned);
        for (long a : lowestPerBlock.values()) {
            long function = elf.symbols().functionAt(a).map(m -> m.symbol().value()).orElse(a);
            if (a == function) {
                a = afterPrologue(table, a);
            }
            out.add(a + bias);
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * Where gdb's {@code break NAME} stops in function {@code name} of this module (a run-time address): past
     * its frame setup as for a line breakpoint at the function's entry (see {@link #breakpointAddresses}), or
     * its entry when it sets up no frame. Empty if this module has no function of that name.
     */
    public OptionalLong functionBreakpointAddress(String name) {
        OptionalLong link = elf.symbols().addressOf(name);
        if (link.isEmpty()) {
            link = debugSymbols().map(t -> t.addressOf(name)).orElse(OptionalLong.empty());
        }
        if (link.isEmpty()) {
            return link;
        }
        return OptionalLong.of(afterPrologue(lineTable(), link.getAsLong()) + bias);
    }

    /**
     * What gdb keeps one breakpoint location per (link-time address): the innermost block of the DIE tree at it
     * (function, inlined instance, or lexical block with local symbols); without a usable DIE tree, the ELF
     * function symbol.
     */
    private Object blockAt(long address) {
        try {
            java.util.List<DebugInfo.Scope> chain = debugInfo().scopesAt(address);
            for (int i = chain.size() - 1; i >= 0; i--) {
                if (chain.get(i).isGdbBlock()) {
                    return chain.get(i);
                }
            }
        } catch (SymbolException e) {
            // a broken DIE tree: fall back to one location per function
        }
        return elf.symbols().functionAt(address).map(m -> (Object) m.symbol().value()).orElse(address);
    }

    /** The link-time address past a function's frame setup (see {@link #breakpointAddresses}). */
    private long afterPrologue(LineTable table, long start) {
        byte[] code = codeAt(start, 8);
        if (code == null) {
            return start;
        }
        int i = 0;
        if ((code[0] & 0xff) == 0xf3 && code[1] == 0x0f && code[2] == 0x1e && (code[3] & 0xff) == 0xfa) {
            i = 4; // endbr64
        }
        if (code[i] != 0x55 || code[i + 1] != 0x48
                || !((code[i + 2] & 0xff) == 0x89 && (code[i + 3] & 0xff) == 0xe5 || (code[i + 2] & 0xff) == 0x8b && (code[i + 3] & 0xff) == 0xec)) {
            return start; // no frame pointer set up: nothing to skip
        }
        long pc = start + i + 4;
        Optional<LineRow> row = table.lookup(pc);
        if (row.isEmpty() || row.get().address() == pc) {
            return pc;
        }
        // mid-row: the start of the next row, if it is still in this function
        Optional<LineRow> next = table.rowAfter(pc);
        long end = elf.symbols().functionAt(start).map(m -> m.symbol().value() + m.symbol().size()).orElse(pc);
        return next.isPresent() && Long.compareUnsigned(next.get().address(), end) < 0 ? next.get().address() : pc;
    }

    /** {@code length} bytes of the file's loaded contents at link-time address {@code address}, or null. */
    private byte[] codeAt(long address, int length) {
        for (ElfSection s : elf.sections()) {
            if ((s.flags() & ElfSection.SHF_ALLOC) != 0 && s.hasFileData() && Long.compareUnsigned(address - s.addr(), s.size()) < 0
                    && s.size() - (address - s.addr()) >= length) {
                return elf.rawData(s).seek(address - s.addr()).bytes(length);
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return elf.name() + " @ bias 0x" + Long.toHexString(bias);
    }
}
