package dev.multitrace.debug.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.multitrace.core.Signals;
import dev.multitrace.core.XState;
import dev.multitrace.debug.core.LaunchAttributes;
import dev.multitrace.debug.core.MultitraceDebug;
import dev.multitrace.debug.core.breakpoints.MultitraceLineBreakpoint;
import dev.multitrace.testing.TestPrograms;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IPath;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.Platform;
import org.eclipse.debug.core.DebugEvent;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.core.ILaunchManager;
import org.eclipse.debug.core.model.IBreakpoint;
import org.eclipse.debug.core.model.IProcess;
import org.eclipse.debug.core.model.IRegister;
import org.eclipse.debug.core.model.IRegisterGroup;
import org.eclipse.debug.core.model.IStackFrame;
import org.eclipse.debug.core.model.IThread;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The launch delegate and the Eclipse debug model in a headless OSGi runtime, on real programs. */
class LaunchAndModelTest {

    private DebugEvents events;
    private ILaunch launch;

    @BeforeEach
    void listen() {
        events = new DebugEvents();
    }

    @AfterEach
    void end() throws Exception {
        events.close();
        if (launch != null && !launch.isTerminated()) {
            launch.terminate();
        }
        DebugPlugin.getDefault().getBreakpointManager().removeBreakpoints(
                DebugPlugin.getDefault().getBreakpointManager().getBreakpoints(MultitraceDebug.MODEL_ID), true);
    }

    static ILaunchConfigurationWorkingCopy config(String program, Map<String, Object> more) throws CoreException {
        var type = DebugPlugin.getDefault().getLaunchManager().getLaunchConfigurationType(MultitraceDebug.LAUNCH_TYPE_ID);
        ILaunchConfigurationWorkingCopy wc = type.newInstance(null, program);
        wc.setAttribute(LaunchAttributes.PROGRAM, TestPrograms.path(program).toString());
        more.forEach((k, v) -> {
            if (v instanceof Boolean b) {
                wc.setAttribute(k, b);
            } else if (v instanceof Integer i) {
                wc.setAttribute(k, i);
            } else {
                wc.setAttribute(k, (String) v);
            }
        });
        return wc;
    }

    private MultitraceThread launchToMain(String program, Map<String, Object> more) throws Exception {
        launch = config(program, more).launch(ILaunchManager.DEBUG_MODE, new NullProgressMonitor());
        return events.suspended(DebugEvent.UNSPECIFIED);
    }

    private static int line(IThread t) throws Exception {
        return t.getTopStackFrame().getLineNumber();
    }

    private static String stdout(ILaunch l) throws Exception {
        IProcess p = l.getProcesses()[0];
        for (int i = 0; i < 9000 && !p.isTerminated(); i++) {
            Thread.sleep(10);
        }
        return p.getStreamsProxy().getOutputStreamMonitor().getContents();
    }

    private static int exitValue(ILaunch l) throws Exception {
        IProcess p = l.getProcesses()[0];
        ((TraceeProcess) p).exitValue().get(90, TimeUnit.SECONDS);
        return p.getExitValue();
    }

    /** The sample's source as a workspace file (linked), so line breakpoints have a resource. */
    private static IFile sourceInWorkspace(String program) throws CoreException {
        IProject p = ResourcesPlugin.getWorkspace().getRoot().getProject("samples");
        if (!p.exists()) {
            p.create(null);
        }
        p.open(null);
        IFile f = p.getFile(program + ".c");
        if (!f.exists()) {
            f.createLink(IPath.fromOSString(TestPrograms.source(program).toString()), IResource.NONE, null);
        }
        return f;
    }

    @Test
    void debugLaunchStopsAtMainStepsOverThreeLinesAndExitsWithItsCode() throws Exception {
        MultitraceThread t = launchToMain("loop", Map.of());
        MultitraceStackFrame top = (MultitraceStackFrame) t.getTopStackFrame();
        assertEquals(TestPrograms.mark("loop", "main-first"), top.getLineNumber());
        MultitraceDebugTarget target = (MultitraceDebugTarget) launch.getDebugTarget();
        assertEquals(target.session().symbols().lineAt(top.pc()).orElseThrow().line(), top.getLineNumber());
        assertEquals("loop.c", top.getSourceName());
        assertTrue(top.getName().startsWith("main() at loop.c:"), top.getName());
        assertTrue(t.getName().contains("at main"), t.getName());
        assertTrue(t.isSuspended());

        for (String mark : List.of("after-signal", "for", "loop-call")) {
            t.stepOver();
            events.suspended(DebugEvent.STEP_END);
            assertEquals(TestPrograms.mark("loop", mark), line(t));
        }
        target.resume();
        assertEquals(7, exitValue(launch));
        assertTrue(stdout(launch).contains("total=30 usr1=0 counter=5"), stdout(launch));
        events.next("target terminate", e -> e.getKind() == DebugEvent.TERMINATE && e.getSource() == target);
        assertTrue(target.isTerminated());
    }

    @Test
    void lineBreakpointInTheLoopHitsFiveTimes() throws Exception {
        IFile src = sourceInWorkspace("loop");
        int line = TestPrograms.mark("loop", "loop-count");
        MultitraceLineBreakpoint bp = new MultitraceLineBreakpoint(src, line, true);
        assertEquals(MultitraceDebug.LINE_BREAKPOINT_MARKER, bp.getMarker().getType());
        launch = config("loop", Map.of(LaunchAttributes.STOP_MODE, LaunchAttributes.STOP_NONE))
                .launch(ILaunchManager.DEBUG_MODE, new NullProgressMonitor());
        for (int i = 0; i < 5; i++) {
            MultitraceThread t = events.suspended(DebugEvent.BREAKPOINT);
            assertEquals(line, line(t));
            assertArrayEquals(new IBreakpoint[] {bp}, t.getBreakpoints());
            assertTrue(t.getName().contains("breakpoint loop.c:" + line), t.getName());
            t.resume();
        }
        assertEquals(7, exitValue(launch));
    }

    @Test
    void functionBreakpointInALibraryTheProgramDlopensHitsThereWithTheCallerInTheStack() throws Exception {
        var bp = new dev.multitrace.debug.core.breakpoints.MultitraceFunctionBreakpoint("plugin_twice", true);
        launch = config("dlmain", Map.of(LaunchAttributes.STOP_MODE, LaunchAttributes.STOP_NONE))
                .launch(ILaunchManager.DEBUG_MODE, new NullProgressMonitor());
        MultitraceThread t = events.suspended(DebugEvent.BREAKPOINT);
        assertArrayEquals(new IBreakpoint[] {bp}, t.getBreakpoints());
        IStackFrame[] frames = t.getStackFrames();
        assertTrue(frames[0].getName().startsWith("plugin_twice() at dlplugin.c:"), frames[0].getName());
        assertEquals("dlplugin.c", ((MultitraceStackFrame) frames[0]).getSourceName());
        assertTrue(frames[0].getLineNumber() > 0);
        assertTrue(frames[1].getName().startsWith("call_plugin() at dlmain.c:"), frames[1].getName());
        assertTrue(frames[2].getName().startsWith("main() at dlmain.c:"), frames[2].getName());
        t.resume();
        assertEquals(42, exitValue(launch));
    }

    @Test
    void lineBreakpointInAFileOutsideTheWorkspaceResolvesThroughItsPath() throws Exception {
        var root = ResourcesPlugin.getWorkspace().getRoot();
        java.nio.file.Path source = TestPrograms.source("loop"); // by its absolute path, whatever the workspace holds
        int line = TestPrograms.mark("loop", "loop-count");
        MultitraceLineBreakpoint bp = new MultitraceLineBreakpoint(root, source, line, true);
        assertEquals(root, bp.getMarker().getResource(), "the marker of an outside file is on the workspace root");
        assertEquals(source.toString(), bp.getMarker().getAttribute(MultitraceLineBreakpoint.SOURCE_PATH, ""));
        assertEquals(source, bp.getSourcePath());
        assertEquals("loop.c", bp.getSourceName());
        assertThrows(CoreException.class, () -> new MultitraceLineBreakpoint(root, java.nio.file.Path.of("loop.c"), line, false),
                "a relative path is refused");
        launch = config("loop", Map.of(LaunchAttributes.STOP_MODE, LaunchAttributes.STOP_NONE))
                .launch(ILaunchManager.DEBUG_MODE, new NullProgressMonitor());
        MultitraceThread t = events.suspended(DebugEvent.BREAKPOINT);
        assertEquals(line, line(t));
        assertEquals("loop.c", ((MultitraceStackFrame) t.getTopStackFrame()).getSourceName());
        assertArrayEquals(new IBreakpoint[] {bp}, t.getBreakpoints());
        bp.delete();
        t.resume();
        assertEquals(7, exitValue(launch));
    }

    @Test
    void conditionOnMemoryAndHitCountFromMarkerAttributes() throws Exception {
        IFile src = sourceInWorkspace("loop");
        MultitraceLineBreakpoint bp = new MultitraceLineBreakpoint(src, TestPrograms.mark("loop", "loop-count"), true);
        bp.setCondition("*(int*)&counter >= 3");
        assertThrows(CoreException.class, () -> bp.setCondition("*(int*"));
        launch = config("loop", Map.of(LaunchAttributes.STOP_MODE, LaunchAttributes.STOP_NONE))
                .launch(ILaunchManager.DEBUG_MODE, new NullProgressMonitor());
        MultitraceThread t = events.suspended(DebugEvent.BREAKPOINT);
        MultitraceDebugTarget target = (MultitraceDebugTarget) launch.getDebugTarget();
        target.addMemoryExpression("*(int*)&counter");
        var vars = t.getTopStackFrame().getVariables();
        var counter = Arrays.stream(vars).filter(v -> v instanceof MultitraceVariable m && "*(int*)&counter".equals(m.getName()))
                .findFirst().orElseThrow();
        assertEquals("0x3 (3)", counter.getValue().getValueString());
        bp.setEnabled(false); // effective at the next hit, before the workspace's (delayed) change notification
        t.resume();
        assertEquals(7, exitValue(launch));
    }

    @Test
    void resumeWithSigusr1RunsTheHandlerWhoseOutputIsInTheConsole() throws Exception {
        MultitraceThread t = launchToMain("loop", Map.of());
        t.stepOver();
        events.suspended(DebugEvent.STEP_END);
        t.resumeWithSignal(Signals.number("SIGUSR1"));
        assertEquals(7, exitValue(launch));
        String out = stdout(launch);
        assertTrue(out.contains("handler ran: SIGUSR1") && out.contains("usr1=1"), out);
    }

    @Test
    void registerGroupsShowRipAtTheLineAddressAndGeneralRegistersAreEditable() throws Exception {
        MultitraceThread t = launchToMain("loop", Map.of());
        MultitraceStackFrame top = (MultitraceStackFrame) t.getTopStackFrame();
        IRegisterGroup[] groups = top.getRegisterGroups();
        List<String> expected = new java.util.ArrayList<>(List.of("General", "Flags", "Segment", "FP/SSE/AVX"));
        if (XState.hasAvx512()) {
            expected.add("AVX-512");
        }
        if (XState.Component.PKRU.present()) {
            expected.add("Protection keys");
        }
        assertEquals(expected,
                Arrays.stream(groups).map(g -> {
                    try {
                        return g.getName();
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }).toList());
        MultitraceDebugTarget target = (MultitraceDebugTarget) launch.getDebugTarget();
        long[] lineAddresses = target.session().symbols().addressesFor("loop.c", TestPrograms.mark("loop", "main-first"));
        MultitraceRegister rip = register(groups[0], "rip");
        assertEquals(lineAddresses[0], rip.longValue());
        MultitraceRegister r12 = register(groups[0], "r12");
        long saved = r12.longValue();
        r12.setValue("0x1234 + 1");
        assertEquals(0x1235, register(t.getTopStackFrame().getRegisterGroups()[0], "r12").longValue());
        r12.setValue("0x" + Long.toHexString(saved));
        assertTrue(register(groups[3], "xmm0").getValue().getValueString().startsWith("0x"));
        assertTrue(register(groups[3], "ymm0").getValue().getValueString().length() == 2 + 64);
        String xmm = "0x0123456789abcdef0011223344556677";
        register(groups[3], "xmm1").setValue(xmm);
        assertEquals(xmm, register(t.getTopStackFrame().getRegisterGroups()[3], "xmm1").getValue().getValueString());
        String ymm = "0x00000000000000010000000000000002" + "00000000000000030000000000000004";
        register(groups[3], "ymm2").setValue(ymm);
        assertEquals(ymm, register(t.getTopStackFrame().getRegisterGroups()[3], "ymm2").getValue().getValueString());
        assertEquals("0x00000000000000030000000000000004",
                register(t.getTopStackFrame().getRegisterGroups()[3], "xmm2").getValue().getValueString());
        assertThrows(org.eclipse.debug.core.DebugException.class, () -> register(groups[3], "mxcsr").setValue("0x1ffffffff"));
        // Memory view: the bytes at rip are the program's, not an int3.
        var block = target.getExtendedMemoryBlock("$rip", top);
        assertEquals(lineAddresses[0], block.getBigBaseAddress().longValue());
        assertEquals(16, block.getBytesFromOffset(java.math.BigInteger.ZERO, 16).length);
        target.resume();
        assertEquals(7, exitValue(launch));
    }

    /**
     * The AVX-512 group on a program that set zmm17 and k1: the view shows its values, and values
     * written there (zmm17, k1, and zmm3, whose parts are in three places) are what the program
     * then reads.
     */
    @Test
    void avx512GroupShowsZmmAndOpmaskRegistersAndWritesReachTheProgram() throws Exception {
        assumeTrue(XState.hasAvx512(), XState.Component.HI16_ZMM.absence() + "; " + XState.Component.OPMASK.absence());
        new MultitraceLineBreakpoint(sourceInWorkspace("avx512view"), TestPrograms.mark("avx512view", "avx512-stop"), true);
        launch = config("avx512view", Map.of(LaunchAttributes.STOP_MODE, LaunchAttributes.STOP_NONE))
                .launch(ILaunchManager.DEBUG_MODE, new NullProgressMonitor());
        MultitraceThread t = events.suspended(DebugEvent.BREAKPOINT);
        StringBuilder set = new StringBuilder("0x");
        for (int i = 15; i >= 0; i--) {
            set.append(String.format("%08x", 0x17000000 + i));
        }
        assertEquals(set.toString(), register(group(t, "AVX-512"), "zmm17").getValue().getValueString());
        assertEquals(0x5a5a, register(group(t, "AVX-512"), "k1").longValue());

        String zmm17 = "0x" + "0000007f" + "1700000e".repeat(7) + "00000077" + "17000006".repeat(6) + "00000071";
        register(group(t, "AVX-512"), "zmm17").setValue(zmm17);
        register(group(t, "AVX-512"), "k1").setValue("0xa5c3");
        // bits 256-511 (ZMM_Hi256), 128-255 (AVX component), 0-127 (xmm3 in fxsave): three different parts
        String zmm3 = "0x" + "0123456789abcdef".repeat(4) + "fedcba9876543210".repeat(2) + "00112233445566778899aabbccddeeff";
        register(group(t, "AVX-512"), "zmm3").setValue(zmm3);
        assertEquals(zmm17, register(group(t, "AVX-512"), "zmm17").getValue().getValueString());
        assertEquals("0xa5c3 (42435)", register(group(t, "AVX-512"), "k1").getValue().getValueString());
        assertEquals(zmm3, register(group(t, "AVX-512"), "zmm3").getValue().getValueString());
        assertEquals("0x" + "00112233445566778899aabbccddeeff", register(group(t, "FP/SSE/AVX"), "xmm3").getValue().getValueString());
        assertEquals("0x" + "fedcba9876543210".repeat(2) + "00112233445566778899aabbccddeeff",
                register(group(t, "FP/SSE/AVX"), "ymm3").getValue().getValueString());
        t.resume();
        assertEquals(0, exitValue(launch));
        assertEquals("zmm17 71 17000006 17000006 17000006 17000006 17000006 17000006 77 1700000e 1700000e 1700000e"
                + " 1700000e 1700000e 1700000e 1700000e 7f\nk1 a5c3\n", stdout(launch));
    }

    /** The top frame's register group {@code name}, read afresh (values are read when asked). */
    private static IRegisterGroup group(MultitraceThread t, String name) throws Exception {
        for (IRegisterGroup g : t.getTopStackFrame().getRegisterGroups()) {
            if (g.getName().equals(name)) {
                return g;
            }
        }
        throw new AssertionError("no register group " + name);
    }

    private static MultitraceRegister register(IRegisterGroup g, String name) throws Exception {
        for (IRegister r : g.getRegisters()) {
            if (r.getName().equals(name)) {
                return (MultitraceRegister) r;
            }
        }
        throw new AssertionError("no register " + name + " in " + g.getName());
    }

    @Test
    void runModeRunsTheProgramToItsEndWithoutATarget() throws Exception {
        launch = config("loop", Map.of()).launch(ILaunchManager.RUN_MODE, new NullProgressMonitor());
        assertEquals(7, exitValue(launch));
        assertEquals(0, launch.getDebugTargets().length);
        assertTrue(stdout(launch).contains("counter=5"));
    }

    @Test
    void argumentsEnvironmentAndWorkingDirectoryReachTheProgram() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("multitrace-cwd-");
        try {
            var wc = config("envprobe", Map.of(LaunchAttributes.ARGUMENTS, "one \"two words\" 'three'",
                    LaunchAttributes.WORKING_DIRECTORY, dir.toString()));
            wc.setAttribute(ILaunchManager.ATTR_ENVIRONMENT_VARIABLES, Map.of("MULTITRACE_PROBE", "hello there"));
            wc.setAttribute(ILaunchManager.ATTR_APPEND_ENVIRONMENT_VARIABLES, false);
            launch = wc.launch(ILaunchManager.RUN_MODE, new NullProgressMonitor());
            assertEquals(3, exitValue(launch));
            assertEquals(List.of("argv[1]=one", "argv[2]=two words", "argv[3]=three", "probe=hello there", "home=unset",
                    "cwd=" + dir.toRealPath()), List.of(stdout(launch).split("\n")));

            wc.setAttribute(ILaunchManager.ATTR_APPEND_ENVIRONMENT_VARIABLES, true); // added to the IDE's environment
            launch = wc.launch(ILaunchManager.RUN_MODE, new NullProgressMonitor());
            assertEquals(3, exitValue(launch));
            assertTrue(stdout(launch).contains("probe=hello there\nhome=set\n"), stdout(launch));
        } finally {
            java.nio.file.Files.deleteIfExists(dir);
        }
    }

    @Test
    void stopAtEntryHoldsTheProgramAtTheLoadersFirstInstruction() throws Exception {
        launch = config("envprobe", Map.of(LaunchAttributes.STOP_MODE, LaunchAttributes.STOP_AT_ENTRY))
                .launch(ILaunchManager.DEBUG_MODE, new NullProgressMonitor());
        MultitraceDebugTarget target = (MultitraceDebugTarget) launch.getDebugTarget();
        MultitraceThread t = (MultitraceThread) target.getThreads()[0];
        assertTrue(t.isSuspended(), t.getName());
        MultitraceStackFrame top = (MultitraceStackFrame) t.getTopStackFrame();
        var loader = target.session().symbols().current().moduleAt(top.pc()).orElseThrow();
        assertTrue(loader.elf().path().toString().contains("ld-linux"), loader.elf().path().toString());
        // The first instruction of a dynamically linked program is the dynamic loader's entry point.
        long base = dev.multitrace.symbols.Auxv.ofProcess(target.session().pid()).get(dev.multitrace.symbols.Auxv.AT_BASE).getAsLong();
        assertEquals(Long.toHexString(base + loader.elf().entry()), Long.toHexString(top.pc()));
        assertTrue(t.getName().contains("before first instruction"), t.getName());
        assertEquals("", launch.getProcesses()[0].getStreamsProxy().getOutputStreamMonitor().getContents(), "nothing ran yet");
        target.resume();
        assertEquals(0, exitValue(launch));
        assertTrue(stdout(launch).contains("probe="), stdout(launch));
    }

    @Test
    void runModeWithTheSyscallTracerTracesWithoutStopping() throws Exception {
        launch = config("loop", Map.of(LaunchAttributes.SYSCALL_TRACER, true)).launch(ILaunchManager.RUN_MODE,
                new NullProgressMonitor());
        assertEquals(7, exitValue(launch));
        IProcess log = Arrays.stream(launch.getProcesses()).filter(p -> p.getLabel().startsWith("syscall tracer: loop"))
                .findFirst().orElseThrow();
        for (int i = 0; i < 6000 && !log.isTerminated(); i++) {
            Thread.sleep(10);
        }
        String lines = log.getStreamsProxy().getOutputStreamMonitor().getContents();
        assertTrue(lines.contains("write(1, \"total=30 usr1=0 counter=5\\n\", 26) = 26") && lines.contains("+++ exited with 7 +++"),
                lines);
    }

    @Test
    void badConfigurationsAreRefusedWithTheReason() throws Exception {
        var wc = config("loop", Map.of(LaunchAttributes.STOP_MODE, "sometimes"));
        CoreException e = assertThrows(CoreException.class, () -> wc.launch(ILaunchManager.DEBUG_MODE, null));
        assertTrue(e.getMessage().contains("unknown stop mode 'sometimes'"), e.getMessage());
        var missing = config("loop", Map.of());
        missing.setAttribute(LaunchAttributes.PROGRAM, "/nonexistent/program");
        e = assertThrows(CoreException.class, () -> missing.launch(ILaunchManager.DEBUG_MODE, null));
        assertTrue(e.getMessage().contains("no such program: /nonexistent/program"), e.getMessage());
        var quote = config("loop", Map.of(LaunchAttributes.ARGUMENTS, "'unterminated"));
        e = assertThrows(CoreException.class, () -> quote.launch(ILaunchManager.DEBUG_MODE, null));
        assertTrue(e.getMessage().contains("unterminated"), e.getMessage());
    }

    @Test
    void breakpointMarkersArePersistent() {
        for (String id : List.of("lineBreakpointMarker", "functionBreakpointMarker", "addressBreakpointMarker")) {
            var ext = Platform.getExtensionRegistry().getExtension("org.eclipse.core.resources.markers",
                    MultitraceDebug.PLUGIN_ID + "." + id);
            assertTrue(Arrays.stream(ext.getConfigurationElements())
                    .anyMatch(c -> c.getName().equals("persistent") && "true".equals(c.getAttribute("value"))), id);
        }
    }

}
