package dev.multitrace.dsf.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.dsf.CoreDumpService;
import dev.multitrace.dsf.CoreMemory;
import dev.multitrace.dsf.CoreProcesses;
import dev.multitrace.dsf.CoreRegisters;
import dev.multitrace.dsf.CoreRunControl;
import dev.multitrace.dsf.CoreStack;
import dev.multitrace.dsf.ThreadContext;
import dev.multitrace.testing.TestPrograms;

import java.io.File;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.cdt.debug.core.ICDTLaunchConfigurationConstants;
import org.eclipse.cdt.dsf.concurrent.DataRequestMonitor;
import org.eclipse.cdt.dsf.debug.service.IDisassembly;
import org.eclipse.cdt.dsf.debug.service.IExpressions;
import org.eclipse.cdt.dsf.debug.service.IExpressions.IExpressionDMContext;
import org.eclipse.cdt.dsf.debug.service.IFormattedValues;
import org.eclipse.cdt.dsf.debug.service.IInstruction;
import org.eclipse.cdt.dsf.debug.service.IFormattedValues.FormattedValueDMData;
import org.eclipse.cdt.dsf.debug.service.IProcesses.IThreadDMData;
import org.eclipse.cdt.dsf.debug.service.IRegisters.IRegisterDMContext;
import org.eclipse.cdt.dsf.debug.service.IRunControl.IExecutionDMContext;
import org.eclipse.cdt.dsf.debug.service.IStack.IFrameDMContext;
import org.eclipse.cdt.dsf.debug.service.IStack.IFrameDMData;
import org.eclipse.cdt.dsf.debug.service.IStack.IVariableDMContext;
import org.eclipse.cdt.dsf.debug.service.IStack.IVariableDMData;
import org.eclipse.cdt.dsf.service.DsfServicesTracker;
import org.eclipse.cdt.utils.Addr64;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.core.ILaunchManager;
import org.eclipse.debug.core.model.MemoryByte;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.osgi.framework.FrameworkUtil;

/**
 * CDT's "C/C++ Postmortem Debugger" with the Multitrace delegate on a core that gdb wrote ({@code generate-core-file},
 * which needs no core_pattern) of {@code loop} stopped in {@code square}: the DSF services' threads, frames, registers,
 * memory, the frames' variables, an expression and the instruction at the pc against {@code gdb -batch} on the same core; run control refuses to
 * run it, and a variable cannot be written.
 */
class PostmortemLaunchTest {

    private static final String DELEGATE = "dev.multitrace.dsf.ui.postmortemDelegate";

    private final Path dir = newDirectory();
    private ILaunch launch;

    private static Path newDirectory() {
        try {
            return Files.createTempDirectory("multitrace-core");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterEach
    void end() throws Exception {
        if (launch != null && launch.canTerminate()) {
            launch.terminate();
        }
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static String gdb(String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("gdb", "-nx", "-batch", "-ex", "set debuginfod enabled off"));
        argv.addAll(List.of(args));
        // gdb is no tracee of ours (it runs its own): the JDK's process machinery is fine for it
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        boolean ended = p.waitFor(60, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly().waitFor();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(ended, "gdb did not end in 60 s: " + out);
        return out;
    }

    private static boolean onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(d, program).canExecute()) {
                return true;
            }
        }
        return false;
    }

    private ILaunchConfigurationWorkingCopy configuration(String core) throws CoreException {
        ILaunchConfigurationWorkingCopy wc = DebugPlugin.getDefault().getLaunchManager()
                .getLaunchConfigurationType(ICDTLaunchConfigurationConstants.ID_LAUNCH_C_POST_MORTEM).newInstance(null, "core");
        wc.setAttribute(ICDTLaunchConfigurationConstants.ATTR_COREFILE_PATH, core);
        wc.setPreferredLaunchDelegate(Set.of(ILaunchManager.DEBUG_MODE), DELEGATE);
        return wc;
    }

    @Test
    void framesRegistersAndMemoryOfACoreAgreeWithGdbAndNothingRuns() throws Exception {
        Assumptions.assumeTrue(onPath("gdb"), "gdb is not installed");
        String program = TestPrograms.path("loop").toString();
        Path core = dir.resolve("loop.core");
        String made = gdb("-ex", "break square", "-ex", "run", "-ex", "generate-core-file " + core, "-ex", "kill", program);
        Assumptions.assumeTrue(Files.isRegularFile(core), "gdb could not write a core here: " + made);
        String reference = gdb("-ex", "bt", "-ex", "info registers rip rsp rbp rax eflags cs ss fs_base", "-ex", "x/2gx $sp", program, core.toString());
        // what gdb shows of the frames' variables on the same core, each list between markers
        String variables = gdb("-ex", "echo ==args0\\n", "-ex", "info args", "-ex", "echo ==locals0\\n", "-ex", "info locals",
                "-ex", "echo ==expr\\n", "-ex", "print x * 10 + counter", "-ex", "echo ==pc\\n", "-ex", "x/i $pc", "-ex", "up", "-ex", "echo ==locals1\\n", "-ex", "info locals",
                "-ex", "echo ==end\\n", program, core.toString());

        launch = configuration(core.toString()).launch(ILaunchManager.DEBUG_MODE, null);
        PostmortemLaunch pl = assertInstanceOf(PostmortemLaunch.class, launch);
        DsfServicesTracker tracker = new DsfServicesTracker(FrameworkUtil.getBundle(getClass()).getBundleContext(),
                pl.getSession().getId());
        try {
            CoreDumpService dump = pl.call(rm -> {
                rm.setData(tracker.getService(CoreDumpService.class));
                rm.done();
            });
            CoreRunControl runControl = pl.call(rm -> {
                rm.setData(tracker.getService(CoreRunControl.class));
                rm.done();
            });
            CoreStack stack = pl.call(rm -> {
                rm.setData(tracker.getService(CoreStack.class));
                rm.done();
            });
            CoreRegisters registers = pl.call(rm -> {
                rm.setData(tracker.getService(CoreRegisters.class));
                rm.done();
            });
            CoreMemory memory = pl.call(rm -> {
                rm.setData(tracker.getService(CoreMemory.class));
                rm.done();
            });

            IExecutionDMContext[] threads = pl.call((DataRequestMonitor<IExecutionDMContext[]> rm) ->
                    runControl.getExecutionContexts(dump.process(), rm));
            assertEquals(1, threads.length);
            IExecutionDMContext thread = threads[0];

            // The names the Debug view shows: the program and gdb's LWP, the thread with the signal gdb reports.
            CoreProcesses processes = pl.call(rm -> {
                rm.setData(tracker.getService(CoreProcesses.class));
                rm.done();
            });
            Matcher lwp = Pattern.compile("LWP (\\d+)").matcher(reference);
            assertTrue(lwp.find(), reference);
            IThreadDMData processData = pl.call((DataRequestMonitor<IThreadDMData> rm) -> processes.getExecutionData(dump.process(), rm));
            assertEquals("loop", processData.getName());
            assertEquals(lwp.group(1), processData.getId());
            IThreadDMData threadData = pl.call((DataRequestMonitor<IThreadDMData> rm) ->
                    processes.getExecutionData((ThreadContext) thread, rm));
            assertEquals("thread " + lwp.group(1), threadData.getName());
            Matcher signal = Pattern.compile("Program terminated with signal (SIG\\w+)").matcher(reference);
            assertTrue(signal.find(), reference);
            assertEquals("signal " + signal.group(1), dump.stateLabel((ThreadContext) thread));
            CoreException kill = assertThrows(CoreException.class,
                    () -> pl.<Object>call(rm -> processes.terminate((ThreadContext) thread, rm)));
            assertTrue(kill.getMessage().contains("snapshot"), kill.getMessage());
            assertTrue(pl.<Boolean>call(rm -> {
                rm.setData(runControl.isSuspended(thread));
                rm.done();
            }), "suspended for good");
            assertFalse(pl.<Boolean>call(rm -> runControl.canResume(thread, rm)));
            CoreException resume = assertThrows(CoreException.class,
                    () -> pl.<Object>call(rm -> runControl.resume(thread, rm)));
            assertTrue(resume.getMessage().contains("cannot resume"), resume.getMessage());

            // gdb's backtrace: "#0  square (x=0) at .../loop.c:19", "#1  0x... in main () at .../loop.c:27"
            Matcher bt = Pattern.compile("^#(\\d+)\\s+(?:0x([0-9a-f]+) in )?(\\w+) \\(.*\\) at (\\S+):(\\d+)$", Pattern.MULTILINE)
                    .matcher(reference);
            // (gdb shows frame #0 once when it loads the core, then bt lists it again)
            java.util.Map<Integer, String[]> byLevel = new java.util.TreeMap<>();
            while (bt.find()) {
                byLevel.putIfAbsent(Integer.parseInt(bt.group(1)), new String[] { bt.group(2), bt.group(3), bt.group(4), bt.group(5) });
            }
            List<String[]> gdbFrames = new ArrayList<>(byLevel.values());
            assertEquals(2, gdbFrames.size(), reference);
            IFrameDMContext[] frames = pl.call((DataRequestMonitor<IFrameDMContext[]> rm) -> stack.getFrames(thread, rm));
            assertTrue(frames.length >= gdbFrames.size(), frames.length + " frames");
            for (int i = 0; i < gdbFrames.size(); i++) {
                IFrameDMContext f = frames[i];
                IFrameDMData data = pl.call((DataRequestMonitor<IFrameDMData> rm) -> stack.getFrameData(f, rm));
                String[] g = gdbFrames.get(i);
                assertEquals(g[1], data.getFunction(), "frame " + i);
                assertEquals(Path.of(g[2]).getFileName().toString(), Path.of(data.getFile()).getFileName().toString(), "frame " + i);
                assertEquals(Integer.parseInt(g[3]), data.getLine(), "frame " + i);
                if (g[0] != null) {
                    assertEquals(new BigInteger(g[0], 16), data.getAddress().getValue(), "frame " + i + "'s pc");
                }
            }

            for (String name : List.of("rip", "rsp", "rbp", "rax", "eflags", "cs", "ss", "fs_base")) {
                Matcher m = Pattern.compile("^" + name + "\\s+0x([0-9a-f]+)", Pattern.MULTILINE).matcher(reference);
                assertTrue(m.find(), reference);
                IRegisterDMContext r = pl.call((DataRequestMonitor<IRegisterDMContext> rm) -> registers.findRegister(frames[0], name, rm));
                FormattedValueDMData v = pl.call((DataRequestMonitor<FormattedValueDMData> rm) -> registers.getFormattedExpressionValue(
                        registers.getFormattedValueContext(r, IFormattedValues.HEX_FORMAT), rm));
                assertEquals("0x" + m.group(1), v.getFormattedValue(), name);
            }
            IRegisterDMContext rax = pl.call((DataRequestMonitor<IRegisterDMContext> rm) -> registers.findRegister(frames[0], "rax", rm));
            CoreException write = assertThrows(CoreException.class, () -> pl.<Object>call(
                    rm -> registers.writeRegister(rax, "1", IFormattedValues.DECIMAL_FORMAT, rm)));
            assertTrue(write.getMessage().contains("snapshot"), write.getMessage());

            // x/2gx $sp: "0x7ffe...:	0x00000000	0x..."
            Matcher x = Pattern.compile("^(0x[0-9a-f]+)[^:]*:\\s+0x([0-9a-f]+)\\s+0x([0-9a-f]+)", Pattern.MULTILINE).matcher(reference);
            assertTrue(x.find(), reference);
            long sp = Long.parseUnsignedLong(x.group(1).substring(2), 16);
            MemoryByte[] bytes = pl.call((DataRequestMonitor<MemoryByte[]> rm) -> memory.getMemory(dump.process(),
                    new Addr64(BigInteger.valueOf(sp)), 0, 1, 16, rm));
            for (int w = 0; w < 2; w++) {
                long word = 0;
                for (int i = 7; i >= 0; i--) {
                    assertTrue(bytes[w * 8 + i].isReadable());
                    word = (word << 8) | (bytes[w * 8 + i].getValue() & 0xff);
                }
                assertEquals(Long.parseUnsignedLong(x.group(2 + w), 16), word, "stack word " + w);
            }

            // the Variables view's lists of frames 0 and 1 (arguments, then locals) and their values: gdb's
            IExpressions expressions = pl.call(rm -> {
                rm.setData(tracker.getService(IExpressions.class));
                rm.done();
            });
            for (int level = 0; level < 2; level++) {
                IFrameDMContext f = frames[level];
                IVariableDMContext[] vars = pl.call((DataRequestMonitor<IVariableDMContext[]> rm) -> stack.getLocals(f, rm));
                List<String> ours = new ArrayList<>();
                for (IVariableDMContext v : vars) {
                    IVariableDMData d = pl.call((DataRequestMonitor<IVariableDMData> rm) -> stack.getVariableData(v, rm));
                    ours.add(d.getName() + " = " + d.getValue());
                }
                List<String> gdbs = new ArrayList<>(level == 0 ? section(variables, "args0") : List.of());
                gdbs.addAll(section(variables, "locals" + level));
                assertFalse(gdbs.isEmpty(), "gdb lists variables of frame " + level + ":\n" + variables);
                assertEquals(gdbs, ours, "frame " + level + "'s variables; gdb said:\n" + variables);
                System.out.println("core, frame " + level + "'s variables as gdb's: " + ours);
            }
            IExpressionDMContext e = pl.call(rm -> {
                rm.setData(expressions.createExpression(frames[0], "x * 10 + counter"));
                rm.done();
            });
            FormattedValueDMData value = pl.call((DataRequestMonitor<FormattedValueDMData> rm) -> expressions.getFormattedExpressionValue(
                    expressions.getFormattedValueContext(e, IFormattedValues.NATURAL_FORMAT), rm));
            assertEquals(section(variables, "expr").get(0).replaceFirst("^\\$\\d+ = ", ""), value.getFormattedValue(),
                    "an expression in frame 0");
            IExpressionDMContext argument = pl.call(rm -> {
                rm.setData(expressions.createExpression(frames[0], "x"));
                rm.done();
            });
            CoreException assign = assertThrows(CoreException.class, () -> pl.<Object>call(
                    rm -> expressions.writeExpression(argument, "5", IFormattedValues.NATURAL_FORMAT, rm)));
            assertTrue(assign.getMessage().contains("core file cannot be written"), assign.getMessage());

            // the Disassembly view's instruction at the crash pc: gdb's "=> 0x...  <square+11>:  mov ..."
            Matcher at = Pattern.compile("=> 0x([0-9a-f]+) <(\\w+)\\+(\\d+)>:\\s+(\\S+)").matcher(String.join("\n", section(variables, "pc")));
            assertTrue(at.find(), variables);
            IDisassembly disassembly = pl.call(rm -> {
                rm.setData(tracker.getService(IDisassembly.class));
                rm.done();
            });
            BigInteger pc = new BigInteger(at.group(1), 16);
            IInstruction[] code = pl.call((DataRequestMonitor<IInstruction[]> rm) -> disassembly.getInstructions(dump.process(), pc,
                    pc.add(BigInteger.valueOf(16)), rm));
            assertTrue(code.length > 0, "instructions at the pc");
            assertEquals(pc, code[0].getAdress());
            assertEquals(at.group(2), code[0].getFuntionName());
            assertEquals(Long.parseLong(at.group(3)), code[0].getOffset());
            assertTrue(code[0].getInstruction().startsWith(at.group(4).substring(0, 3)), code[0].getInstruction() + " vs gdb's " + at.group(4));
        } finally {
            tracker.dispose();
        }
        launch.terminate();
        assertTrue(launch.isTerminated());
    }

    /** The lines gdb printed after {@code echo ==NAME} up to the next marker. */
    private static List<String> section(String out, String name) {
        List<String> lines = new ArrayList<>();
        boolean in = false;
        for (String line : out.split("\n")) {
            if (line.startsWith("==")) {
                in = line.equals("==" + name);
            } else if (in && !line.isBlank()) {
                lines.add(line.strip());
            }
        }
        return lines;
    }

    @Test
    void aMissingOrBadCoreIsAClearError() throws Exception {
        CoreException none = assertThrows(CoreException.class, () -> configuration("").launch(ILaunchManager.DEBUG_MODE, null));
        assertTrue(none.getMessage().contains("names no core file") && none.getMessage().contains("no workbench to ask"), none.getMessage());
        CoreException gone = assertThrows(CoreException.class,
                () -> configuration(dir.resolve("nothing.core").toString()).launch(ILaunchManager.DEBUG_MODE, null));
        assertTrue(gone.getMessage().startsWith("cannot read core file"), gone.getMessage());
        Path notACore = dir.resolve("text.core");
        Files.writeString(notACore, "not an ELF file");
        CoreException bad = assertThrows(CoreException.class,
                () -> configuration(notACore.toString()).launch(ILaunchManager.DEBUG_MODE, null));
        assertTrue(bad.getMessage().startsWith("cannot read core file " + notACore + ": "), bad.getMessage());
    }
}
