package dev.multitrace.session;

import dev.multitrace.symbols.LinkMap;
import dev.multitrace.symbols.LoadMap;
import dev.multitrace.symbols.LoadedModule;
import dev.multitrace.symbols.ProcessSymbols;
import dev.multitrace.symbols.elf.ElfSegment;
import dev.multitrace.symbols.elf.ElfSymbol;
import dev.multitrace.symbols.elf.SymbolMatch;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The symbols of one traced process, in run-time addresses: functions, source lines, and the
 * statement boundaries that source-level stepping stops at. Reloaded when the process's mappings
 * change (libraries loaded, exec); a reload costs a read of {@code /proc/PID/maps} and is cheap
 * when nothing changed (ELF files are cached by the symbol layer).
 * <p>
 * Thread-safe: the tracer thread asks in step callbacks while views ask for frames.
 */
public final class SessionSymbols {

    private final int pid;
    private volatile ProcessSymbols symbols;
    private volatile List<String> files = List.of();

    public SessionSymbols(int pid) {
        this.pid = pid;
    }

    /** The symbols of a process that no longer changes (a core file's): {@link #refresh} keeps them. */
    static SessionSymbols fixed(ProcessSymbols symbols) {
        SessionSymbols s = new SessionSymbols(NO_PROCESS);
        s.symbols = symbols;
        return s;
    }

    private static final int NO_PROCESS = -1;

    /** Re-reads the process's mappings and reloads symbols if the mapped files changed. */
    public synchronized ProcessSymbols refresh() {
        if (pid == NO_PROCESS) {
            return symbols;
        }
        try {
            LoadMap map = LoadMap.ofProcess(pid);
            if (symbols == null || !map.files().equals(files)) {
                symbols = new ProcessSymbols(map);
                files = map.files();
            }
        } catch (IOException e) {
            if (symbols == null) {
                symbols = new ProcessSymbols(LoadMap.parse(""));
            }
        }
        return symbols;
    }

    /**
     * The symbols after the dynamic linker changed its list (a {@code dlopen}/{@code dlclose} seen at
     * its notification breakpoint, state CONSISTENT): modules that did not change keep their indexes.
     * The mapped files are read too, so that a later {@link #refresh} does not load everything again.
     */
    public synchronized ProcessSymbols update(LinkMap linkMap) {
        ProcessSymbols s = current().withLinkMap(linkMap);
        try {
            files = LoadMap.ofProcess(pid).files();
        } catch (IOException e) {
            // the process is gone: the next refresh keeps what there is
        }
        symbols = s;
        return s;
    }

    public ProcessSymbols current() {
        ProcessSymbols s = symbols;
        return s != null ? s : refresh();
    }

    public Optional<FunctionInfo> functionAt(long pc) {
        Optional<SymbolMatch> m = current().functionAt(pc);
        if (m.isEmpty()) {
            m = refresh().functionAt(pc);
        }
        return m.map(x -> new FunctionInfo(x.name(), pc - x.offset(), x.symbol().size()));
    }

    /** The name of the function the PLT stub at {@code pc} calls; empty when {@code pc} is not in a stub. */
    public Optional<String> pltStubAt(long pc) {
        return current().moduleAt(pc).flatMap(m -> m.pltStubAt(pc));
    }

    /**
     * The function a call through a PLT stub for {@code name} reaches: the one of that name the dynamic linker binds,
     * the first module defining it in load order (an ifunc's implementation is not known before it is bound: none
     * then).
     */
    public Optional<FunctionInfo> pltTarget(String name) {
        // the library is loaded when its stub is called: the modules known now have it (the mappings read again if not)
        Optional<FunctionInfo> f = boundFunction(current(), name);
        return f.isPresent() ? f : boundFunction(refresh(), name);
    }

    /**
     * Whether {@code pc} is on the way a call through a PLT stub takes to its function: a PLT of any module (the
     * stub, the lazy binding's common entry) or the dynamic linker (its binding of the slot, the ifunc resolver's
     * call).
     */
    public boolean inBindingPath(long pc) {
        Optional<LoadedModule> m = current().moduleAt(pc);
        return m.isPresent() && (m.get().inPlt(pc) || m.get().isDynamicLinker());
    }

    /** The first of {@code symbols}' modules, in load order, that defines function {@code name} (not an ifunc). */
    private Optional<FunctionInfo> boundFunction(ProcessSymbols symbols, String name) {
        for (LoadedModule m : symbols.modules()) {
            for (var sym : m.elf().symbols().byName(name)) {
                if (sym.isDefined() && sym.type() == ElfSymbol.STT_FUNC) {
                    return functionAt(sym.value() + m.bias());
                }
            }
        }
        return Optional.empty();
    }

    public OptionalLong addressOf(String function) {
        OptionalLong a = current().addressOf(function);
        return a.isPresent() ? a : refresh().addressOf(function);
    }

    /** The source line covering {@code pc}, if a line table covers it. */
    public Optional<SourcePosition> lineAt(long pc) {
        Optional<LoadedModule> m = current().moduleAt(pc);
        if (m.isEmpty()) {
            m = refresh().moduleAt(pc);
        }
        if (m.isEmpty()) {
            return Optional.empty();
        }
        // the row ends where the next row of its sequence starts; read from the unit's line program alone (a stop in
        // a large library reads its unit's rows, not the library's whole table)
        return m.get().lineSpanAt(pc).filter(s -> !s.row().endSequence())
                .map(s -> new SourcePosition(s.row().file(), s.row().line(), s.row().address(), s.end(), s.row().isStmt()));
    }

    /**
     * The run-time addresses of {@code file:line} in every module: the addresses of its statement
     * rows ({@code file} may be a full path or a trailing part such as {@code loop.c}). A line the
     * compiler split (a {@code for} header) has several.
     */
    public long[] addressesFor(String file, int line) {
        List<Long> out = new ArrayList<>();
        for (LoadedModule m : refresh().modules()) {
            for (long a : m.addressesFor(file, line)) {
                out.add(a);
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * Where a breakpoint on function {@code start} should stop: past its prologue, at the first
     * statement row after the function's entry row that starts a different line (gdb's rule for
     * {@code break main}), or the entry itself when the function has no line information, or when rows of
     * different lines start at the entry (optimized code: gdb takes it that there is no prologue), or when the
     * function is assembler source (gdb skips no prologue there: glibc's {@code __strlen_evex} is entered at its first
     * instruction).
     */
    public long afterPrologue(FunctionInfo f) {
        Optional<SourcePosition> entry = lineAt(f.start());
        Optional<LoadedModule> m = current().moduleAt(f.start());
        if (entry.isEmpty() || m.map(x -> x.severalLinesAt(f.start()) || x.isAssemblyAt(f.start())).orElse(false)) {
            return f.start();
        }
        long end = f.start() + Math.max(f.size(), 1);
        long pc = entry.get().rowEnd();
        while (Long.compareUnsigned(pc, end) < 0) {
            Optional<SourcePosition> p = lineAt(pc);
            if (p.isEmpty()) {
                break;
            }
            if (p.get().statement() && p.get().rowStart() == pc && p.get().line() != entry.get().line()) {
                return pc;
            }
            pc = p.get().rowEnd();
        }
        return f.start();
    }

    /** The files mapped in the process now, in load order (the mappings read again). */
    public List<ModuleInfo> modules() {
        List<ModuleInfo> out = new ArrayList<>();
        for (LoadedModule m : refresh().modules()) {
            long low = -1;
            long high = 0;
            for (ElfSegment seg : m.elf().segments()) {
                if (seg.isLoad()) {
                    long start = seg.vaddr() & ~0xfffL; // mappings start on a page
                    low = low == -1 || Long.compareUnsigned(start, low) < 0 ? start : low;
                    long end = seg.vaddr() + seg.memsz();
                    high = Long.compareUnsigned(end, high) > 0 ? end : high;
                }
            }
            if (low == -1) {
                continue;
            }
            boolean lines;
            try {
                lines = m.hasLineInfo(); // from the units' headers: a large library's rows stay unread
            } catch (RuntimeException e) {
                lines = false; // unreadable debug information is none
            }
            out.add(new ModuleInfo(m.elf().path() != null ? m.elf().path().toString() : m.elf().name(), low + m.bias(), high + m.bias(), lines));
        }
        return out;
    }

    /** The run-time address of an ELF symbol (functions and data) in any module. */
    public OptionalLong symbolAddress(String name) {
        for (var m : current().modules()) {
            for (var sym : m.elf().symbols().byName(name)) {
                if (sym.isDefined()) {
                    return OptionalLong.of(sym.value() + m.bias());
                }
            }
        }
        return OptionalLong.empty();
    }
}
