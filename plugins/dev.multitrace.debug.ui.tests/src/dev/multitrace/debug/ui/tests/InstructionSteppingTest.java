package dev.multitrace.debug.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.core.commands.Command;
import org.eclipse.core.resources.IFile;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.model.IDebugTarget;
import org.eclipse.debug.core.model.IThread;
import org.eclipse.debug.ui.IDebugUIConstants;
import org.eclipse.jface.action.ToolBarManager;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.ToolItem;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.commands.ICommandService;
import org.eclipse.ui.handlers.RegistryToggleState;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.multitrace.debug.core.model.MultitraceDebugTarget;
import dev.multitrace.debug.core.model.MultitraceStackFrame;
import dev.multitrace.debug.ui.DebugContexts;
import dev.multitrace.debug.ui.stepping.InstructionStepping;

/**
 * The "Instruction Stepping Mode" toggle of the Debug view's toolbar: pressed, Step Over moves rip
 * by exactly one instruction (the next one in objdump's disassembly, a call included: stepped
 * over); released, Step Over is a line step again.
 */
public class InstructionSteppingTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @BeforeAll
    static void prepare() throws Exception {
        Workbench.prepareForDebugging();
    }

    /** The addresses (link-time) of the instructions of {@code function}, in order, by objdump. */
    static List<Long> instructions(Path binary, String function) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("objdump", "-d", "--no-show-raw-insn", binary.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        List<Long> addresses = new ArrayList<>();
        Pattern insn = Pattern.compile("^\\s*([0-9a-f]+):\\s");
        boolean in = false;
        for (String line : out.split("\n")) {
            if (line.matches("^[0-9a-f]+ <" + Pattern.quote(function) + ">:$")) {
                in = true;
            } else if (in && line.isBlank()) {
                break;
            } else if (in) {
                Matcher m = insn.matcher(line);
                if (m.find()) {
                    addresses.add(Long.parseUnsignedLong(m.group(1), 16));
                }
            }
        }
        assertFalse(addresses.isEmpty(), "objdump disassembles " + function);
        return addresses;
    }

    /** The toggle's item in the Debug view's toolbar. */
    private static ToolItem toggleItem() throws Exception {
        IViewPart debugView = Workbench.showView(IDebugUIConstants.ID_DEBUG_VIEW);
        ToolBarManager bar = (ToolBarManager) debugView.getViewSite().getActionBars().getToolBarManager();
        return Workbench.waitFor("the Instruction Stepping Mode button in the Debug view's toolbar", WAIT,
                () -> Arrays.stream(bar.getControl().getItems())
                        .filter(i -> i.getToolTipText() != null && i.getToolTipText().startsWith("Instruction Stepping Mode"))
                        .findFirst().orElse(null));
    }

    /** Clicks a check-style tool item as a user does: its selection flips, then it reports the selection. */
    private static void click(ToolItem item) {
        item.setSelection(!item.getSelection());
        Event e = new Event();
        e.widget = item;
        item.notifyListeners(SWT.Selection, e);
        Workbench.spin();
    }

    private static boolean commandState() {
        Command c = PlatformUI.getWorkbench().getService(ICommandService.class).getCommand(InstructionStepping.COMMAND_ID);
        return (Boolean) c.getState(RegistryToggleState.STATE_ID).getValue();
    }

    @Test
    void toggleMakesStepOverStepOneInstruction() throws Exception {
        IFile binary = SampleProject.binary("sample");
        Path source = Programs.source("sample");
        List<Long> main = instructions(Programs.binary("sample"), "main");
        try (DebugEvents events = new DebugEvents()) {
            IDebugTarget target = DebugSampleTest.debugAs(events, binary);
            ILaunch launch = target.getLaunch();
            MultitraceDebugTarget mt = (MultitraceDebugTarget) target;
            try {
                IThread thread = DebugSampleTest.awaitStopInSource(target);
                ToolItem toggle = toggleItem();
                assertFalse(toggle.getSelection() || mt.isInstructionStepping(), "line stepping to begin with");

                click(toggle);
                assertTrue(commandState(), "the command's toggle state is on");
                assertTrue(toggle.getSelection(), "the button shows the mode");
                assertTrue(mt.isInstructionStepping(), "the session steps by instruction");

                long pc = ((MultitraceStackFrame) thread.getTopStackFrame()).pc();
                long bias = DebugContexts.resolve(thread).session().symbols().current().moduleAt(pc).orElseThrow().bias();
                int at = main.indexOf(pc - bias);
                assertTrue(at >= 0, "stopped at an instruction of main: 0x" + Long.toHexString(pc - bias));
                // Seven instructions from main's first line: signal()'s arguments, the call (stepped over
                // as one instruction), and on into the middle of setvbuf()'s arguments.
                for (int i = 1; i <= 7; i++) {
                    int mark = events.mark();
                    thread.stepOver();
                    thread = events.awaitSuspend(target, mark, WAIT);
                    long now = ((MultitraceStackFrame) thread.getTopStackFrame()).pc();
                    assertEquals(Long.toHexString(main.get(at + i) + bias), Long.toHexString(now),
                            "step " + i + " moved to the next instruction");
                }
                long rip = ((MultitraceStackFrame) thread.getTopStackFrame()).pc();
                // The Registers view shows the frame selected in the Debug view. Its selection after a step is
                // the platform's (it follows the suspend event, and on a loaded machine once did not reach the
                // frame within 30 s); the user's click on the top frame is made here, so that the view's content,
                // not the platform's automatic selection, is what is checked.
                Workbench.selectInDebugView(launch, target, thread, thread.getTopStackFrame());
                String ripRow = Views.awaitItem(IDebugUIConstants.ID_REGISTER_VIEW, "rip", WAIT,
                        t -> t.startsWith("rip") && t.toLowerCase().contains(Long.toHexString(rip)));
                assertTrue(ripRow.toLowerCase().contains(Long.toHexString(rip)), ripRow);
                Views.awaitItem(IDebugUIConstants.ID_DEBUG_VIEW, "the stepped thread", WAIT, t -> t.contains("step"));
                Workbench.showView(IDebugUIConstants.ID_DEBUG_VIEW);
                Workbench.screenshot("instruction-stepping.png");

                click(toggle);
                assertFalse(commandState());
                assertFalse(mt.isInstructionStepping(), "released: line stepping again");
                assertEquals(Programs.line(source, "step-2"), thread.getTopStackFrame().getLineNumber(),
                        "seven instructions lead into the line of setvbuf()");
                int mark = events.mark();
                thread.stepOver();
                thread = events.awaitSuspend(target, mark, WAIT);
                assertEquals(Programs.line(source, "step-3"), thread.getTopStackFrame().getLineNumber(),
                        "a line step from the middle of a line ends at the next line, over the call");
            } finally {
                if (!launch.isTerminated()) {
                    launch.terminate();
                }
                if (InstructionStepping.isOn()) {
                    click(toggleItem());
                }
            }
        }
    }
}
