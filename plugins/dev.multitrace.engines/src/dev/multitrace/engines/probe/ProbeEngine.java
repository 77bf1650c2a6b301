package dev.multitrace.engines.probe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import dev.multitrace.core.CloneKind;
import dev.multitrace.core.Engine;
import dev.multitrace.core.EngineOps;
import dev.multitrace.core.Event;
import dev.multitrace.core.ExitStatus;
import dev.multitrace.core.Examination;
import dev.multitrace.core.LaunchSpec;
import dev.multitrace.core.ResumeAction;
import dev.multitrace.core.Task;
import dev.multitrace.core.TracedProcess;
import dev.multitrace.core.Tracing;
import dev.multitrace.engines.CountingEngine;
import dev.multitrace.engines.EngineGroup;
import dev.multitrace.symbols.LoadMap;
import dev.multitrace.symbols.LoadedModule;
import dev.multitrace.symbols.MemoryReader;
import dev.multitrace.symbols.ProcessSymbols;
import dev.multitrace.symbols.Registers;
import dev.multitrace.symbols.dwarf.Die;
import dev.multitrace.symbols.dwarf.DieReader;
import dev.multitrace.symbols.elf.ElfFile;
import dev.multitrace.symbols.elf.SymbolException;
import dev.multitrace.symbols.expr.Evaluator;
import dev.multitrace.symbols.expr.ExpressionException;
import dev.multitrace.symbols.types.CType;
import dev.multitrace.symbols.types.TypeReader;
import dev.multitrace.symbols.unwind.Frame;
import dev.multitrace.symbols.unwind.Unwinder;
import dev.multitrace.symbols.values.FrameScope;

/**
 * Dynamic printf as an engine: breakpoints at the probes' locations whose every hit prints the probes'
 * lines ({@link ProbeReport}) and lets the thread run on at once; the service steps it over its int3. It is
 * one engine among others: it can launch a program, attach to a running one, or join a process a debugger,
 * the syscall tracer or the GDB stub already trace, and leave at any time (its int3s go with it).
 * <p>
 * Threading: the callbacks run on the service's tracer thread; the rest may be called from any thread but a
 * callback of this engine. One engine object serves one process.
 */
public final class ProbeEngine implements EngineOps, CountingEngine {

    /** The engine data naming this engine in views ({@code multitrace ps}, the IDE's Engines view). */
    public static final String NAME = "probe";

    /** Frames unwound at a hit: the probed frame and enough callers for entry values. */
    private static final int MAX_FRAMES = 64;

    private final Tracing tracing;
    private final List<Probe> probes;
    private final Writer out;
    private final EngineGroup engines = new EngineGroup();
    /** The probes at each breakpoint address, in command-line order. */
    private final Map<Long, List<Probe>> byAddress = new ConcurrentHashMap<>();
    private final AtomicLong hits = new AtomicLong();
    /** Time spent in hits, from the stop reported to the text written: what probing costs the program. */
    private final AtomicLong hitNanos = new AtomicLong();
    private volatile boolean detached;
    /** The modules of the process, made again only when its mappings change (a dlopen), keeping the indexes read. */
    private volatile ModuleView view;
    private final Map<String, LoadedModule> modules = new ConcurrentHashMap<>();
    /**
     * Probes of a launched program whose location is in none of the modules mapped at its first instruction
     * (only the executable and the dynamic linker are): resolved at the program's entry point, when the
     * dynamic linker has loaded its libraries.
     */
    private final List<Probe> pending = new CopyOnWriteArrayList<>();
    /** The entry point's breakpoint while probes are pending, else -1. */
    private volatile long entryBreakpoint = -1;
    /** Why the program was killed at its entry point (a pending location that names nothing), or null. */
    private volatile String failure;

    private record ModuleView(String maps, ProcessSymbols symbols, Unwinder unwinder) {
    }

    /** @param out where the probes' lines go (flushed at each hit) */
    public ProbeEngine(Tracing tracing, List<Probe> probes, Writer out) {
        this.tracing = tracing;
        this.probes = List.copyOf(probes);
        this.out = out;
    }

    /** The events this engine asks for. */
    public Set<Event> events() {
        return EnumSet.of(Event.BREAKPOINT, Event.CLONE, Event.DEATH);
    }

    /**
     * Checks the probes against the program before it runs (so that a bad probe never leaves a tracee
     * stopped): every expression is C, and with {@code locations} every location that the executable can
     * answer for is right (a line in range of one of its files; a function or file it does not have may be
     * in a shared library: those are resolved at the entry point of a launch, or when attached).
     *
     * @throws ProbeException with gdb's message for the first bad probe
     */
    public static void check(List<Probe> probes, Path executable, boolean locations) {
        ElfFile elf;
        try {
            elf = ElfFile.open(executable);
        } catch (SymbolException e) {
            throw new ProbeException(executable + ": " + e.getMessage());
        }
        LoadedModule module = new LoadedModule(elf, 0);
        ProcessSymbols symbols = ProcessSymbols.of(List.of(module));
        for (Probe p : probes) {
            try {
                if (locations) {
                    try {
                        p.location().resolve(symbols);
                    } catch (ProbeException x) {
                        if (!x.nameUnknown()) {
                            throw x;
                        }
                        // a function or file of a shared library: known once the program's libraries are loaded
                    }
                }
                for (String e : p.expressions()) {
                    Evaluator.checkSyntax(e, name -> programType(module, name));
                }
            } catch (ExpressionException e) {
                throw new ProbeException(p.text() + ": " + e.problem());
            } catch (ProbeException e) {
                throw new ProbeException(p.text() + ": " + e.getMessage());
            }
        }
    }

    /** A type the program's DWARF names (a typedef, a base type, {@code struct T}...), for telling casts apart. */
    private static Optional<CType> programType(LoadedModule module, String name) {
        try {
            DieReader dies = module.debugInfo().dies();
            TypeReader types = FrameScope.typeReader(module.debugInfo());
            for (DieReader.Named n : dies.lookup(name)) {
                if (n.tag() != Die.TAG_VARIABLE && n.tag() != Die.TAG_SUBPROGRAM && n.tag() != Die.TAG_ENUMERATOR) {
                    return Optional.of(types.type(n.offset()));
                }
            }
        } catch (SymbolException e) {
            // no usable DWARF: no program types
        }
        return Optional.empty();
    }

    /**
     * Launches a program with the probes in place from its first instruction and lets it run. It runs with
     * the service: it is killed if the service closes first.
     *
     * @throws ProbeException if a location names nothing in it (the program is killed, never left stopped)
     */
    public TracedProcess launch(LaunchSpec spec) {
        Engine e = tracing.launch(spec, this, NAME, events());
        TracedProcess p = e.task().process();
        engines.add(e);
        try {
            plant(e, true);
        } catch (RuntimeException x) {
            tracing.kill(p);
            detach();
            throw x;
        }
        e.control(ResumeAction.RESUME);
        return p;
    }

    /**
     * Attaches to every thread of a running process, plants the probes while they are held and lets them run.
     *
     * @throws ProbeException if a location names nothing there (this engine detached again, the process running)
     */
    public TracedProcess attach(int pid) {
        List<Engine> held = tracing.attachProcess(pid, this, NAME, events(), true);
        engines.addAll(held);
        try {
            plant(held.get(0), false);
        } catch (RuntimeException x) {
            detach();
            throw x;
        }
        for (Engine e : held) {
            e.control(ResumeAction.RESUME);
        }
        return held.get(0).task().process();
    }

    /**
     * Joins a process the service already traces for other engines (a debugger, the syscall tracer, the GDB
     * stub): this engine on each of its threads, and the probes planted. The other engines see nothing of it.
     */
    public void join(TracedProcess process) {
        for (Task t : process.tasks()) {
            engines.add(tracing.attach(t, this, NAME, events()));
        }
        try {
            plant(engines.get(0), false);
        } catch (RuntimeException x) {
            detach();
            throw x;
        }
    }

    /**
     * Resolves the probes in the process's modules and plants their int3s. With {@code deferUnknown} (a program
     * at its first instruction) a probe naming a function or file no module has yet waits for the entry point.
     */
    private void plant(Engine e, boolean deferUnknown) {
        ProcessSymbols symbols = view(e.task().process().pid()).symbols();
        Map<Long, List<Probe>> planned = new LinkedHashMap<>();
        for (Probe p : probes) {
            try {
                for (long a : p.location().resolve(symbols)) {
                    planned.computeIfAbsent(a, k -> new ArrayList<>()).add(p);
                }
            } catch (ProbeException x) {
                if (!deferUnknown || !x.nameUnknown()) {
                    throw new ProbeException(p.text() + ": " + x.getMessage());
                }
                pending.add(p);
            }
        }
        byAddress.putAll(planned);
        for (long a : planned.keySet()) {
            e.insertBreakpoint(a);
        }
        if (!pending.isEmpty()) {
            LoadedModule exe = symbols.modules().isEmpty() ? null : symbols.modules().get(0);
            if (exe == null || exe.elf().entry() == 0) {
                throw new ProbeException(pending.get(0).text() + ": the program has no entry point to wait for its libraries at");
            }
            long entry = exe.elf().entry() + exe.bias();
            entryBreakpoint = entry;
            if (!byAddress.containsKey(entry)) {
                e.insertBreakpoint(entry);
            }
        }
    }

    /**
     * At the program's entry point its libraries are loaded: the pending probes are resolved and planted. One that
     * still names nothing kills the program before its first instruction of its own runs ({@link #failure()}).
     */
    private void plantPending(Engine engine, Task task, long entry) {
        entryBreakpoint = -1;
        if (!byAddress.containsKey(entry)) {
            engine.removeBreakpoint(entry);
        }
        ProcessSymbols symbols = view(task.process().pid()).symbols();
        Map<Long, List<Probe>> planned = new LinkedHashMap<>();
        for (Probe p : pending) {
            try {
                for (long a : p.location().resolve(symbols)) {
                    planned.computeIfAbsent(a, k -> new ArrayList<>()).add(p);
                }
            } catch (ProbeException x) {
                failure = p.text() + ": " + x.getMessage();
                tracing.kill(task.process());
                return;
            }
        }
        pending.clear();
        for (Map.Entry<Long, List<Probe>> at : planned.entrySet()) {
            byAddress.merge(at.getKey(), at.getValue(), (a, b) -> {
                List<Probe> both = new ArrayList<>(a);
                both.addAll(b);
                return both;
            });
            engine.insertBreakpoint(at.getKey());
        }
    }

    /**
     * Why a launched program was killed at its entry point: a probe whose location named nothing in its
     * libraries either (gdb's message), or empty.
     */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /**
     * Leaves every thread, from any thread but a callback of this engine; the int3s go with the last of
     * this engine's threads, and the threads run on (or stay with the other engines that trace them).
     */
    public void detach() {
        detached = true;
        engines.detachAll();
    }

    /**
     * Waits until every thread this engine traced is gone or it detached.
     *
     * @return false on timeout
     */
    public boolean awaitAllGone(Duration timeout) throws InterruptedException {
        return engines.awaitAllGone(timeout);
    }

    /** The run-time addresses where this engine has its int3s (for tests and views). */
    public Set<Long> addresses() {
        return Set.copyOf(byAddress.keySet());
    }

    /** Hits so far. */
    public long hits() {
        return hits.get();
    }

    /** Nanoseconds spent in hits so far (reading the frame, evaluating, writing the text). */
    public long hitNanos() {
        return hitNanos.get();
    }

    @Override
    public String engineName() {
        return NAME;
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("hits", hits.get());
        m.put("hit_us", hitNanos.get() / 1000);
        m.put("locations", (long) byAddress.size());
        m.put("tasks", (long) engines.size());
        return m;
    }

    // ------------------------------------------------------------------ callbacks (tracer thread)

    @Override
    public ResumeAction breakpoint(Engine engine, Task task, long address) {
        if (address == entryBreakpoint && !detached) {
            plantPending(engine, task, address);
        }
        List<Probe> here = byAddress.get(address);
        if (here == null || detached) {
            return ResumeAction.RESUME;
        }
        hits.incrementAndGet();
        long start = System.nanoTime();
        StringBuilder text = new StringBuilder();
        try {
            FrameScope scope = scopeAt(engine, task);
            for (Probe p : here) {
                text.append(ProbeReport.text(p, scope));
            }
        } catch (RuntimeException e) {
            // a broken DIE tree or a vanished thread: say so, never hold the program
            text.append("multitrace probe: at 0x").append(Long.toHexString(address)).append(": ").append(e.getMessage()).append('\n');
        }
        write(text.toString());
        hitNanos.addAndGet(System.nanoTime() - start);
        return ResumeAction.RESUME;
    }

    /** The scope of the stopped thread's innermost frame (an inlined function's, when the pc is in one). */
    private FrameScope scopeAt(Engine engine, Task task) {
        Examination x = engine.examine();
        Registers regs = Registers.fromUserRegs(x.registers().values()); // kernel user_regs_struct order
        byte[] fx = x.fpRegisters();
        regs = regs.withVectors(java.util.Arrays.copyOfRange(fx, FXSAVE_XMM, FXSAVE_XMM + Registers.XMM_COUNT * 16));
        MemoryReader memory = (address, into, offset, length) -> {
            try {
                return x.read(address, into, offset, length);
            } catch (RuntimeException e) {
                return 0;
            }
        };
        ModuleView v = view(task.process().pid());
        List<Frame> frames = v.unwinder().unwind(regs, memory, MAX_FRAMES);
        return FrameScope.of(v.symbols(), memory, frames, 0);
    }

    /** Where xmm0 starts in the fxsave area. */
    private static final int FXSAVE_XMM = 160;

    private ModuleView view(int pid) {
        String maps;
        try {
            maps = Files.readString(Path.of("/proc/" + pid + "/maps"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ModuleView v = view;
        if (v != null && v.maps().equals(maps)) {
            return v;
        }
        LoadMap map = LoadMap.parse(maps);
        List<LoadedModule> list = new ArrayList<>();
        Map<String, LoadedModule> seen = new HashMap<>();
        for (String file : map.files()) {
            if (file.endsWith(" (deleted)")) {
                continue;
            }
            try {
                ElfFile elf = ProcessSymbols.openCached(Path.of(file));
                Optional<Long> bias = map.loadBias(file, elf);
                if (bias.isPresent()) {
                    LoadedModule m = modules.computeIfAbsent(file + "@" + bias.get(), k -> new LoadedModule(elf, bias.get()));
                    if (seen.put(file, m) == null) {
                        list.add(m);
                    }
                }
            } catch (SymbolException e) {
                // not an ELF file we can read (a font, a cache): no symbols from it
            }
        }
        ProcessSymbols symbols = ProcessSymbols.of(list);
        v = new ModuleView(maps, symbols, new Unwinder(symbols));
        view = v;
        return v;
    }

    private void write(String text) {
        synchronized (out) {
            try {
                out.write(text);
                out.flush();
            } catch (IOException e) {
                // the reader went away (a closed pipe): the program runs on unprobed output
            }
        }
    }

    @Override
    public ResumeAction clone(Engine engine, Task parent, Task child, CloneKind kind) {
        if (kind == CloneKind.THREAD && !detached) {
            engines.add(tracing.attach(child, this, NAME, events()));
        }
        return ResumeAction.RESUME;
    }

    @Override
    public ResumeAction death(Engine engine, Task task, ExitStatus status) {
        engines.remove(engine);
        return ResumeAction.RESUME;
    }
}
