package dev.multitrace.dsf.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.session.AttachedEngine;
import dev.multitrace.session.DebugSession;
import dev.multitrace.testing.TestPrograms;

import java.io.File;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.cdt.debug.core.ICDTLaunchConfigurationConstants;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.core.ILaunchManager;
import org.eclipse.debug.core.model.IProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The Debugger tab's engines, wired into a "C/C++ Application" launch: with the GDB stub on, a real gdb joins the
 * program through it while the DSF session debugs it; the syscall tracer's lines go to a console of the launch.
 */
class EnginesLaunchTest {

    private ILaunch launch;

    @AfterEach
    void end() throws Exception {
        if (launch != null && launch.canTerminate()) {
            launch.terminate();
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** {@code gdb -batch} on {@code program} with these commands; its output (stdout and stderr). */
    private static String gdb(String program, String... commands) throws Exception {
        List<String> argv = new java.util.ArrayList<>(List.of("gdb", "-nx", "-batch"));
        for (String c : commands) {
            argv.add("-ex");
            argv.add(c);
        }
        argv.add(program);
        // gdb is no tracee of ours: the JDK's process machinery is fine for it
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        boolean ended = p.waitFor(30, TimeUnit.SECONDS); // its few lines fit in the pipe
        if (!ended) {
            p.destroyForcibly().waitFor();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(ended, "gdb did not end in 30 s: " + out);
        return out;
    }

    private static boolean gdbPresent() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(dir, "gdb").canExecute()) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aRealGdbJoinsThroughTheStubAndTheSyscallTracerHasItsConsole() throws Exception {
        Assumptions.assumeTrue(gdbPresent(), "gdb is not installed (apt-get install gdb)");
        int port = freePort();
        String program = TestPrograms.path("loop").toString();
        ILaunchConfigurationWorkingCopy wc = DebugPlugin.getDefault().getLaunchManager()
                .getLaunchConfigurationType(ICDTLaunchConfigurationConstants.ID_LAUNCH_C_APP).newInstance(null, "loop + engines");
        wc.setAttribute(ICDTLaunchConfigurationConstants.ATTR_PROGRAM_NAME, program);
        new DebuggerSettings(true, "square", true, port, false, false).write(wc, false);
        wc.setPreferredLaunchDelegate(Set.of(ILaunchManager.DEBUG_MODE), "dev.multitrace.dsf.ui.localApplicationDelegate");
        launch = wc.launch(ILaunchManager.DEBUG_MODE, null);
        MultitraceLaunch ml = assertInstanceOf(MultitraceLaunch.class, launch);
        DebugSession s = ml.debugSession();
        assertTrue(s.attachedEngines().stream().map(AttachedEngine::name).anyMatch(n -> n.equals("gdbserver :" + port)),
                "the stub is attached: " + s.attachedEngines());

        // As under gdbserver the program waits for a gdb; this one reads where it waits, then lets it go.
        String first = gdb(program, "target remote :" + port, "info registers rip", "detach");
        assertTrue(Pattern.compile("rip\\s+0x[0-9a-f]+").matcher(first).find(), first);

        // Let go by the stub, it runs to the Debugger tab's stop function, where the DSF session holds it.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!(s.isHeld(s.pid()) && s.stateLabel(s.pid()).startsWith("breakpoint")) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(s.isHeld(s.pid()), s.stateLabel(s.pid()));
        assertEquals("square", s.frames(s.pid()).get(0).function().orElseThrow().name(), "stopped on startup at square");

        // While the DSF session holds it, a gdb joins again (the stub let it go: the gdb attaches to it anew, in
        // extended mode) and reads the same pc.
        long pc = s.registers(s.pid()).pc();
        String second = gdb(program, "target extended-remote :" + port, "attach " + s.pid(), "info registers rip", "detach");
        Matcher m = Pattern.compile("rip\\s+0x([0-9a-f]+)").matcher(second);
        assertTrue(m.find(), second);
        assertEquals(Long.toHexString(pc), m.group(1), "gdb reads the pc the DSF session shows");

        IProcess tracer = java.util.Arrays.stream(launch.getProcesses()).filter(p -> p.getLabel().startsWith("syscall tracer: "))
                .findFirst().orElseThrow(() -> new AssertionError("no syscall tracer console"));
        Supplier<String> lines = () -> tracer.getStreamsProxy().getOutputStreamMonitor().getContents();
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); // the log's pump thread hands lines on
        while (!lines.get().contains("rt_sigaction(SIGUSR1") && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(lines.get().contains("rt_sigaction(SIGUSR1"), lines.get().lines().limit(20).toList().toString());
    }
}
