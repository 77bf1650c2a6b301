package dev.multitrace.dsf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.multitrace.core.LaunchSpec;
import dev.multitrace.session.CodeBreakpoint;
import dev.multitrace.session.DebugSession;
import dev.multitrace.session.FunctionInfo;
import dev.multitrace.testing.TestPrograms;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.cdt.dsf.debug.service.IFormattedValues;
import org.eclipse.cdt.dsf.debug.service.IFormattedValues.FormattedValueDMData;
import org.eclipse.cdt.dsf.debug.service.IRegisters.IRegisterDMContext;
import org.eclipse.cdt.dsf.debug.service.IRunControl.ISuspendedDMEvent;
import org.eclipse.cdt.dsf.debug.service.IStack.IFrameDMContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The registers of outer frames against gdb's {@code info registers} after {@code frame N}, gdb running the same
 * program to the same instruction ({@code break *function+offset}); both without address space randomization.
 * Their stacks still differ (the environments differ), so what is compared is each register's change from
 * frame 0 to frame N: for every register we recover in frame N, ours and gdb's must be equal. rip, rsp and rbp
 * must be recovered in every outer frame; a register we do not recover fails with "not saved" rather than
 * showing frame 0's value.
 */
class OuterFrameRegistersTest {

    private static final List<String> NAMES = List.of("rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp", "r8", "r9", "r10",
            "r11", "r12", "r13", "r14", "r15", "rip");
    private static final Pattern GDB_REGISTER = Pattern.compile("^(\\w+)\\s+(0x[0-9a-f]+)\\s.*$");

    private DsfHarness dsf;

    @AfterEach
    void end() throws Exception {
        if (dsf != null) {
            dsf.close();
        }
    }

    private static boolean gdbRuns() {
        try {
            Process p = new ProcessBuilder("gdb", "--version").redirectErrorStream(true).start(); // gdb is no tracee
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    /** gdb's registers of frames 0..{@code outer}, stopped at {@code location} ({@code *square+7}). */
    private static List<Map<String, Long>> gdbFrames(String program, String location, int outer) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("gdb", "-batch", "-nx", "-ex", "break " + location, "-ex", "run"));
        for (int level = 0; level <= outer; level++) {
            cmd.addAll(List.of("-ex", "frame " + level, "-ex", "echo @@@ frame\\n", "-ex", "info registers " + String.join(" ", NAMES)));
        }
        cmd.add(TestPrograms.path(program).toString());
        // gdb traces its own child; ProcessBuilder runs gdb, which is not traced by us
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "gdb ended");
        List<Map<String, Long>> frames = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("@@@ frame")) {
                frames.add(new LinkedHashMap<>());
            }
            Matcher m = GDB_REGISTER.matcher(line.strip());
            if (m.matches() && !frames.isEmpty() && NAMES.contains(m.group(1))) {
                frames.get(frames.size() - 1).put(m.group(1), Long.parseUnsignedLong(m.group(2).substring(2), 16));
            }
        }
        assertEquals(outer + 1, frames.size(), "gdb's output:\n" + out);
        return frames;
    }

    /** Our registers of one frame through the DSF service: those with a value; the others must say "not saved". */
    private Map<String, Long> ourFrame(ThreadContext thread, int level) throws Exception {
        MultitraceStack stack = dsf.service(MultitraceStack.class);
        MultitraceRegisters registers = dsf.service(MultitraceRegisters.class);
        IFrameDMContext[] frames = dsf.call(rm -> stack.getFrames(thread, rm));
        IFrameDMContext frame = frames[level];
        Map<String, Long> out = new LinkedHashMap<>();
        for (String name : NAMES) {
            IRegisterDMContext r = dsf.call(rm -> registers.findRegister(frame, name, rm));
            try {
                FormattedValueDMData d = dsf.call(rm -> registers.getFormattedExpressionValue(
                        registers.getFormattedValueContext(r, IFormattedValues.HEX_FORMAT), rm));
                out.put(name, Long.parseUnsignedLong(d.getFormattedValue().substring(2), 16));
            } catch (ExecutionException e) {
                assertTrue(String.valueOf(e.getCause().getMessage()).contains("not saved"), name + ": " + e.getCause());
            }
        }
        return out;
    }

    /** Runs {@code program} to the first address of its {@code marker} line; compares frames 1..outer; returns the count. */
    private int compare(String program, String marker, int outer) throws Exception {
        assumeTrue(gdbRuns(), "gdb is not installed");
        dsf = new DsfHarness(false);
        // launched as gdb runs it, without address space randomization: registers holding the program's data
        // addresses then change by the same amount from frame to frame in both
        DebugSession launched = DebugSession.launch(
                new LaunchSpec(List.of(TestPrograms.path(program).toString()), null, null, false).withDisableRandomization(true), true);
        DebugSessionService backend = dsf.service(DebugSessionService.class);
        ProcessContext p = dsf.call(rm -> {
            rm.setData(backend.bind(launched));
            rm.done();
        });
        launched.start(DebugSession.StopMode.MAIN);
        ThreadContext thread = new ThreadContext(p, p.pid());
        dsf.events.next(ISuspendedDMEvent.class, e -> e.getDMContext().equals(thread));
        DebugSession s = dsf.debugSession();
        long at = s.symbols().addressesFor(program.replaceFirst("_.*", "") + ".c", TestPrograms.mark(program.replaceFirst("_.*", ""), marker))[0];
        FunctionInfo fn = s.symbols().functionAt(at).orElseThrow();
        s.addBreakpoint(new CodeBreakpoint(marker, new long[] { at }, null, 0, Set.of(), null));
        dsf.run(rm -> dsf.service(MultitraceRunControl.class).resume(thread, rm));
        dsf.events.next(ISuspendedDMEvent.class, e -> e.getDMContext().equals(thread));

        List<Map<String, Long>> gdb = gdbFrames(program, "*" + fn.name() + "+" + (at - fn.start()), outer);
        Map<String, Long> ours0 = ourFrame(thread, 0);
        assertEquals(NAMES.size(), ours0.size(), "every register of the innermost frame");
        int compared = 0;
        for (int level = 1; level <= outer; level++) {
            Map<String, Long> ours = ourFrame(thread, level);
            for (String must : List.of("rip", "rsp", "rbp")) {
                assertTrue(ours.containsKey(must), "frame " + level + " recovers " + must + ": " + ours.keySet());
            }
            for (var r : ours.entrySet()) {
                String name = r.getKey();
                long ourChange = r.getValue() - ours0.get(name);
                long gdbChange = gdb.get(level).get(name) - gdb.get(0).get(name);
                assertEquals("0x" + Long.toHexString(gdbChange), "0x" + Long.toHexString(ourChange),
                        program + " frame " + level + " " + name + " minus frame 0's");
                compared++;
            }
            System.out.println("OuterFrameRegistersTest: " + program + " frame " + level + " recovers " + ours.keySet());
        }
        // an outer frame's registers are read-only
        MultitraceStack stack = dsf.service(MultitraceStack.class);
        MultitraceRegisters registers = dsf.service(MultitraceRegisters.class);
        IFrameDMContext frame1 = dsf.<IFrameDMContext[]>call(rm -> stack.getFrames(thread, rm))[1];
        IRegisterDMContext rbp = dsf.call(rm -> registers.findRegister(frame1, "rbp", rm));
        assertThrows(ExecutionException.class, () -> dsf.run(rm -> registers.writeRegister(rbp, "0x1", IFormattedValues.HEX_FORMAT, rm)));
        return compared;
    }

    @Test
    void loopAtO0FrameOfMainIsGdbs() throws Exception {
        int n = compare("loop", "square-body", 1);
        assertTrue(n >= 3, n + " registers compared");
    }

    @Test
    void probeprogAtO2CalleeSavedRegistersAreGdbs() throws Exception {
        int n = compare("probeprog_o2", "visit", 2);
        assertTrue(n >= 6, n + " registers compared");
    }
}
