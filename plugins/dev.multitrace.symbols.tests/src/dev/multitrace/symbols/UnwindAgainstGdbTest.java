package dev.multitrace.symbols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.multitrace.symbols.GdbStop.GdbFrame;
import dev.multitrace.symbols.elf.SymbolMatch;
import dev.multitrace.symbols.unwind.Frame;
import dev.multitrace.symbols.unwind.UnwindMethod;
import dev.multitrace.symbols.unwind.Unwinder;

/**
 * Stops unwprog under real gdb (breakpoint or caught syscall), takes gdb's {@code bt} and a {@code gcore}
 * core, unwinds the core's registers and memory with our Unwinder and compares: the same functions in the
 * same order, the same pcs where gdb prints them, signal frames in the same place. gdb stops its
 * backtrace at main; our frames beyond main (__libc_start_call_main, __libc_start_main, _start) are
 * checked to end cleanly at _start. Functions inlined at a pc are frames of their own, as in gdb, with the
 * same names and file:line (the pc's line innermost, then each inlined call's). Builds: -O0/-O2, PIE/non-PIE, CFI only in .debug_frame, no CFI
 * (frame pointers); stops in nested calls, recursion, a signal handler, libc's nanosleep and read, and
 * a callback called from our own shared library, a function inlined into its caller (stopped in the function
 * it calls, and inside its body); glibc's read() has its syscall inlined.
 */
class UnwindAgainstGdbTest {

    /** What to run and where gdb stops. */
    private record Scenario(String name, String... commands) {
    }

    private static final List<Scenario> SCENARIOS = List.of(
            new Scenario("nested", "break stop_here", "run"),
            new Scenario("recursion", "break stop_here", "run"),
            new Scenario("signal", "handle SIGUSR1 nostop noprint pass", "break stop_here", "run"),
            new Scenario("nanosleep", "break sleep_a_little", "run", "catch syscall nanosleep clock_nanosleep", "continue"),
            new Scenario("read", "break read_stdin", "run", "catch syscall read", "continue"),
            new Scenario("lib", "break stop_here", "run"),
            new Scenario("inline", "break stop_here", "run"),
            new Scenario("inline_body", "break unwprog.c:" + lineOf("unwprog.c", "// inline-stop"), "run"));

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"unwprog", "unwprog_o2", "unwprog_nopie", "unwprog_o2_nopie", "unwprog_debugframe", "unwprog_nocfi"})
    void framesMatchGdbBacktrace(String program) throws Exception {
        Path exe = Targets.program(program);
        int frames = 0;
        int stops = 0;
        for (Scenario s : SCENARIOS) {
            if (s.name.equals("inline_body") && program.endsWith("nocfi")) {
                continue; // built with -g0: no line for gdb to break at
            }
            Path corePath = tmp.resolve(program + "." + s.name + ".core");
            GdbStop stop = GdbStop.run(exe, List.of(s.name), corePath, s.commands);
            CoreFile core = CoreFile.open(corePath);
            ProcessSymbols symbols = new ProcessSymbols(core.loadMap());
            List<Frame> ours = Unwinder.unwind(core.threads().get(0).registers(), core, symbols);
            String context = program + " " + s.name + "\ngdb:\n" + describe(stop.backtrace()) + "ours:\n" + describeOurs(ours);
            List<GdbFrame> expected = stop.backtrace();
            int lost = indexOfUnknown(expected);
            if (lost >= 0 && program.endsWith("nocfi")) {
                // gdb 13's prologue analyzer gives up on frameless-looking O2 code without CFI (a scheduled
                // instruction between push %rbp and mov %rsp,%rbp) and shows stack garbage as ?? frames. Compare
                // up to there; ours must still reach main through the frame pointers
                System.out.println(program + " " + s.name + ": gdb lost the stack at its frame " + lost + "; compared up to there");
                expected = expected.subList(0, lost);
                assertTrue(ours.stream().anyMatch(f -> f.functionName().equals("main")), context);
            }
            compare(expected, ours, symbols, context);
            assertEndsAtStart(ours, context);
            // without CFI for the program's code its callers are found through frame pointers; otherwise all through CFI
            Set<UnwindMethod> methods = new HashSet<>();
            // (the innermost real frame and the inlined frames above it have the thread's own registers)
            int innermostReal = 0;
            while (ours.get(innermostReal).inlined()) {
                innermostReal++;
            }
            ours.stream().skip(innermostReal + 1).forEach(f -> methods.add(f.method()));
            assertEquals(program.endsWith("nocfi") ? Set.of(UnwindMethod.CFI, UnwindMethod.FRAME_POINTER) : Set.of(UnwindMethod.CFI), methods, context);
            System.out.println(program + " " + s.name + ": " + expected.size() + " frames as gdb's bt, then " + (ours.size() - expected.size())
                    + " more to _start; " + ours.stream().map(f -> f.method().toString()).distinct().toList());
            frames += expected.size();
            stops++;
        }
        System.out.println(program + ": " + frames + " frames compared with gdb in " + stops + " stops");
    }

    /**
     * Without libc's CFI (libc left out of the symbols) the handler's return into {@code __restore_rt} is
     * recognized by its code ({@code mov $15,%rax; syscall}) and the interrupted registers come from the
     * ucontext on the stack: the frame below is kill() at exactly the pc gdb shows.
     */
    @Test
    void signalFrameWithoutCfiIsFoundByItsTrampolineCode() throws Exception {
        Path corePath = tmp.resolve("signal.core");
        GdbStop stop = GdbStop.run(Targets.program("unwprog"), List.of("signal"), corePath, SCENARIOS.get(2).commands);
        CoreFile core = CoreFile.open(corePath);
        List<LoadMap.Mapping> withoutLibc = core.loadMap().mappings().stream().filter(m -> !m.path().contains("libc.so")).toList();
        ProcessSymbols symbols = new ProcessSymbols(LoadMap.of(withoutLibc));
        List<Frame> ours = Unwinder.unwind(core.threads().get(0).registers(), core, symbols);
        String context = "gdb:\n" + describe(stop.backtrace()) + "ours:\n" + describeOurs(ours);
        assertEquals("<signal handler called>", stop.backtrace().get(2).function(), context);
        assertEquals(List.of("stop_here", "on_signal", "<signal handler called>"), names(ours).subList(0, 3), context);
        assertTrue(ours.get(2).signalFrame(), context);
        assertEquals(UnwindMethod.SIGRETURN, ours.get(3).method(), context);
        assertEquals(stop.backtrace().get(3).pc(), ours.get(3).pc(), "the interrupted pc, from the ucontext: " + context);
        assertEquals(stop.backtrace().get(3).pc(), ours.get(3).registers().value(Registers.RIP), context);
    }

    /**
     * A core with three threads: main stopped in stop_here, two threads blocked in read(). Each thread's
     * NT_PRSTATUS registers unwind to gdb's frames for that LWP, and the threads' stacks end cleanly at
     * clone3, whose CFI marks the return address undefined.
     */
    @ParameterizedTest
    @ValueSource(strings = {"unwprog", "unwprog_o2"})
    void everyThreadOfACoreMatchesGdb(String program) throws Exception {
        Path corePath = tmp.resolve(program + ".threads.core");
        GdbStop stop = GdbStop.runAllThreads(Targets.program(program), List.of("threads"), corePath, "break stop_here", "run");
        CoreFile core = CoreFile.open(corePath);
        ProcessSymbols symbols = new ProcessSymbols(core.loadMap());
        assertEquals(3, core.threads().size(), core.toString());
        assertEquals(stop.threads().keySet(), new HashSet<>(core.threads().stream().map(CoreFile.CoreThread::tid).toList()));
        for (CoreFile.CoreThread thread : core.threads()) {
            List<GdbFrame> gdb = stop.threads().get(thread.tid());
            List<Frame> ours = Unwinder.unwind(thread.registers(), core, symbols);
            String context = program + " thread " + thread.tid() + "\ngdb:\n" + describe(gdb) + "ours:\n" + describeOurs(ours);
            boolean isMain = gdb.get(gdb.size() - 1).function().equals("main");
            if (isMain) {
                compare(gdb, ours, symbols, context);
                assertEndsAtStart(ours, context);
            } else {
                assertEquals(gdb.size(), ours.size(), "a thread's stack ends where gdb's does: " + context);
                compare(gdb, ours, symbols, context);
                assertEquals("clone3", ours.get(ours.size() - 1).functionName(), context);
                assertTrue(names(ours).containsAll(List.of("worker_wait", "worker", "start_thread")), context);
            }
            System.out.println(program + " thread " + thread.tid() + ": " + names(ours));
        }
    }

    static void compare(List<GdbFrame> gdb, List<Frame> ours, ProcessSymbols symbols, String context) {
        assertTrue(ours.size() >= gdb.size(), "fewer frames than gdb: " + context);
        for (int i = 0; i < gdb.size(); i++) {
            GdbFrame g = gdb.get(i);
            Frame f = ours.get(i);
            if (g.function().equals("<signal handler called>")) {
                assertTrue(f.signalFrame(), "frame " + i + " should be the signal trampoline: " + context);
                continue;
            }
            assertTrue(!f.signalFrame(), "frame " + i + " is no signal frame for gdb: " + context);
            assertTrue(sameFunction(g.function(), f, symbols), "frame " + i + ": gdb " + g.function() + ", ours " + f.functionName() + ": " + context);
            if (g.pc() != -1) {
                assertEquals(g.pc(), f.pc(), "pc of frame " + i + ": " + context);
            }
            if (g.file() != null) {
                String ourLine = f.line().map(l -> baseName(l.file()) + ":" + l.line()).orElse("none");
                assertEquals(baseName(g.file()) + ":" + g.line(), ourLine, "file:line of frame " + i + ": " + context);
            }
        }
        assertTrue(gdb.get(gdb.size() - 1).function().equals("main") || gdb.get(gdb.size() - 1).function().equals("clone3")
                || ours.get(gdb.size()).level() == gdb.size(), context);
    }

    private static String baseName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** The number of the line of {@code source} (found through unwprog's line table) that contains {@code marker}. */
    static int lineOf(String source, String marker) {
        try {
            LoadedModule m = new LoadedModule(dev.multitrace.symbols.elf.ElfFile.open(Targets.program("unwprog")), 0);
            String path = m.lineTable().files().stream().filter(f -> f.endsWith("/" + source)).findFirst().orElseThrow();
            List<String> lines = java.nio.file.Files.readAllLines(Path.of(path));
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains(marker)) {
                    return i + 1;
                }
            }
            throw new IllegalStateException(marker + " not in " + path);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int indexOfUnknown(List<GdbFrame> frames) {
        for (int i = 0; i < frames.size(); i++) {
            if (frames.get(i).function().equals("??")) {
                return i;
            }
        }
        return -1;
    }

    /** gdb names a function by its DWARF name, which in glibc is often an internal alias ({@code __GI___nanosleep} for {@code nanosleep}). */
    static boolean sameFunction(String gdbName, Frame f, ProcessSymbols symbols) {
        if (f.function().isEmpty()) {
            return false;
        }
        if (f.inlined()) {
            return f.functionName().equals(gdbName); // both name it from the DWARF of the inlined instance
        }
        SymbolMatch m = f.function().get();
        if (m.name().equals(gdbName)) {
            return true;
        }
        LoadedModule module = symbols.moduleAt(f.pc() - (f.level() == 0 ? 0 : 1)).orElseThrow();
        long start = m.symbol().value();
        Set<String> aliases = new HashSet<>(module.elf().symbols().namesAt(start));
        module.debugSymbols().ifPresent(t -> aliases.addAll(t.namesAt(start)));
        return aliases.contains(gdbName);
    }

    static void assertEndsAtStart(List<Frame> ours, String context) {
        Frame last = ours.get(ours.size() - 1);
        assertEquals("_start", last.functionName(), "outermost frame: " + context);
    }

    private static String describe(List<GdbFrame> frames) {
        StringBuilder b = new StringBuilder();
        for (GdbFrame f : frames) {
            b.append("  #").append(f.level()).append(' ').append(f.function()).append(f.pc() == -1 ? "" : " 0x" + Long.toHexString(f.pc())).append('\n');
        }
        return b.toString();
    }

    private static String describeOurs(List<Frame> frames) {
        StringBuilder b = new StringBuilder();
        for (Frame f : frames) {
            b.append("  ").append(f).append('\n');
        }
        return b.toString();
    }

    static List<String> names(List<Frame> frames) {
        List<String> out = new ArrayList<>();
        frames.forEach(f -> out.add(f.signalFrame() ? "<signal handler called>" : f.functionName()));
        return out;
    }
}
