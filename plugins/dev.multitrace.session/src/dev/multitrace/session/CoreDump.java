package dev.multitrace.session;

import dev.multitrace.core.Signals;
import dev.multitrace.symbols.Auxv;
import dev.multitrace.symbols.CoreFile;
import dev.multitrace.symbols.CoreFile.CoreThread;
import dev.multitrace.symbols.ProcessSymbols;
import dev.multitrace.symbols.unwind.Frame;
import dev.multitrace.symbols.unwind.Unwinder;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A core file as the debug views read it, the postmortem counterpart of {@link DebugSession}: its threads, each
 * thread's frames named with the symbols of the files the core maps, the registers of each frame, the dumped
 * memory. A core never changes, so each thread's stack is walked once. Thread-safe.
 */
public final class CoreDump {

    private final Path file;
    private final CoreFile core;
    private final SessionSymbols symbols;
    private final Map<Integer, List<Frame>> unwound = new ConcurrentHashMap<>();
    /** By thread and frame level: a core never changes, so each frame's data is made once. */
    private final Map<List<Integer>, FrameVariables> variables = new ConcurrentHashMap<>();

    private CoreDump(Path file, CoreFile core) {
        this.file = file;
        this.core = core;
        this.symbols = SessionSymbols.fixed(new ProcessSymbols(core.loadMap()));
    }

    /**
     * Reads a core file.
     *
     * @throws IllegalArgumentException with the reason if it cannot be read or holds no thread
     */
    public static CoreDump open(Path file) {
        CoreFile core;
        try {
            core = CoreFile.open(file);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot read core file " + file + ": " + e.getMessage(), e);
        }
        if (core.threads().isEmpty()) {
            throw new IllegalArgumentException(file + " holds no thread (no NT_PRSTATUS note)");
        }
        return new CoreDump(file, core);
    }

    public Path file() {
        return file;
    }

    /** The thread ids, the one the kernel (or gcore) wrote first first: the process's id. */
    public List<Integer> threads() {
        return core.threads().stream().map(CoreThread::tid).toList();
    }

    public int pid() {
        return threads().get(0);
    }

    /** The signal the thread was stopped or killed by when dumped (0 if none). */
    public int signal(int tid) {
        return thread(tid).map(CoreThread::signal).orElse(0);
    }

    /**
     * Why the thread stands where it does, as the debug views label it (the postmortem counterpart of
     * {@link DebugSession#stateLabel}): {@code signal SIGSEGV} for the signal its NT_PRSTATUS records, {@code no signal}
     * for a thread that was not stopped by one (gdb's gcore writes 0 for the threads it stopped itself).
     */
    public String stateLabel(int tid) {
        int sig = signal(tid);
        return sig == 0 ? "no signal" : "signal " + Signals.name(sig);
    }

    /**
     * The program the core is of: the mapped file that holds the entry point of its auxiliary vector (AT_ENTRY);
     * empty if the core has no auxv or the file is not among its mappings.
     */
    public Optional<Path> executable() {
        OptionalLong entry = core.auxv().get(Auxv.AT_ENTRY);
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        return core.loadMap().mappingAt(entry.getAsLong()).filter(m -> m.isFile()).map(m -> Path.of(m.path()));
    }

    /** The thread's call stack, innermost first, as {@link DebugSession#frames} gives a live thread's. */
    public List<FrameInfo> frames(int tid) {
        return new FrameWalker(symbols, core).describe(unwound(tid));
    }

    /**
     * The registers of frame {@code level}, by name: every general register of the innermost frame, those the
     * unwinder recovered of an outer one (as {@link DebugSession#frameRegisters}), and in every frame the thread's
     * eflags, segment registers and fs/gs bases, which calls do not change (gdb shows them so); empty if there is no
     * such frame.
     */
    public Map<String, Long> frameRegisters(int tid, int level) {
        List<Frame> frames = unwound(tid);
        if (level < 0 || level >= frames.size()) {
            return Map.of();
        }
        Map<String, Long> out = new java.util.LinkedHashMap<>(FrameWalker.known(frames.get(level).registers()));
        thread(tid).ifPresent(t -> t.otherRegisters().forEach(out::putIfAbsent));
        return out;
    }

    /**
     * The source-level data of frame {@code level} of the thread (0: innermost), as {@link DebugSession#variables} gives
     * a held thread's: arguments, locals and C expressions, read from the core; writes are refused.
     *
     * @throws IllegalArgumentException if there is no such thread or frame
     */
    public FrameVariables variables(int tid, int level) {
        List<Frame> frames = unwound(tid);
        return variables.computeIfAbsent(List.of(tid, level), k -> FrameVariables.ofCore(symbols, core, frames, level));
    }

    /**
     * The instructions overlapping {@code [start, end)} in the core's memory (the mapped files' code where the core
     * left it out), each with its function and line, as {@link DebugSession#disassemble(int, long, long)}.
     *
     * @throws IllegalArgumentException      for an empty or too large range, or memory the core does not have
     * @throws UnsupportedOperationException if the disassembler (Capstone) is missing, saying what to install
     */
    public List<DisassembledInstruction> disassemble(long start, long end) {
        return new Disassembly(symbols).range(core, start, end);
    }

    /** From the first address of {@code file:line} to the end of its function, as {@link #disassemble(long, long)}. */
    public List<DisassembledInstruction> disassemble(String file, int line, int max) {
        return new Disassembly(symbols).fromLine(core, file, line, max);
    }

    /** Reads dumped memory; returns how many bytes the core holds there (fewer at a gap). */
    public int read(long address, byte[] into, int offset, int length) {
        return core.read(address, into, offset, length);
    }

    private List<Frame> unwound(int tid) {
        CoreThread t = thread(tid).orElseThrow(() -> new IllegalArgumentException("no thread " + tid + " in " + file));
        return unwound.computeIfAbsent(tid, k -> new Unwinder(symbols.current()).unwind(t.registers(), core, FrameWalker.MAX_FRAMES));
    }

    private Optional<CoreThread> thread(int tid) {
        return core.threads().stream().filter(t -> t.tid() == tid).findFirst();
    }
}
