package dev.multitrace.debug.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.eclipse.core.resources.IFile;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.ILaunchManager;
import org.eclipse.debug.core.model.IBreakpoint;
import org.eclipse.debug.core.model.IDebugTarget;
import org.eclipse.debug.core.model.IProcess;
import org.eclipse.debug.core.model.IStackFrame;
import org.eclipse.debug.core.model.IThread;
import org.eclipse.debug.ui.DebugUITools;
import org.eclipse.debug.ui.IDebugUIConstants;
import org.eclipse.debug.ui.actions.IToggleBreakpointsTarget;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.ITextSelection;
import org.eclipse.jface.text.TextSelection;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.ui.IEditorPart;
import org.eclipse.ui.console.IConsole;
import org.eclipse.ui.console.TextConsole;
import org.eclipse.ui.ide.ResourceUtil;
import org.eclipse.ui.texteditor.ITextEditor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.multitrace.debug.ui.DebugContexts;
import dev.multitrace.debug.ui.DebugContexts.Ref;
import dev.multitrace.debug.ui.launch.ExecutableTester;
import dev.multitrace.debug.core.LaunchAttributes;
import dev.multitrace.debug.core.MultitraceDebug;
import dev.multitrace.debug.ui.launch.MultitraceLaunchShortcut;
import dev.multitrace.debug.ui.signals.ResumeWithSignalHandler;
import dev.multitrace.debug.ui.signals.SignalsView;

/**
 * Debug As on the sample program in the real workbench: stops at main with its source shown, steps
 * over three lines, Registers view's rip is the symbol layer's address of the line, a loop
 * breakpoint hits five times, Resume with Signal SIGUSR1 runs the handler (Console), exit code 42.
 */
public class DebugSampleTest {

    @BeforeAll
    static void prepare() throws Exception {
        Workbench.prepareForDebugging();
    }

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int SIGUSR1 = 10;

    @Test
    void debugAsSampleFromStopAtMainToExit() throws Exception {
        IFile binary = SampleProject.binary("sample");
        IFile sourceFile = SampleProject.source("sample");
        Path source = Programs.source("sample");
        assertTrue(new ExecutableTester().test(binary, "isExecutable", null, null), "Debug As is offered for the binary");
        assertFalse(new ExecutableTester().test(sourceFile, "isExecutable", null, null), "and not for its C source");

        try (DebugEvents events = new DebugEvents()) {
            int mark = events.mark();
            IDebugTarget target = debugAs(events, binary);
            ILaunch launch = target.getLaunch();
            try {
                IThread thread = awaitStopInSource(target);
                assertEquals(Programs.line(source, "main-first"), thread.getTopStackFrame().getLineNumber(), "stopped at main's first line");
                if (!selectedByTheView(thread)) {
                    // The platform's selection after the stop did not come (docs/cdt.md, "Not yet"): the user clicks
                    // the frame. Said in the report, so that how often it happens stays visible.
                    System.out.println("DebugSampleTest: the Debug view did not select the stopped thread's frame by itself"
                            + " within 5 s; selected as a user does");
                    Workbench.selectInDebugView(launch, target, thread, thread.getTopStackFrame());
                }
                ITextEditor editor = awaitEditorAt(sourceFile, Programs.line(source, "main-first"));
                Views.awaitItem(IDebugUIConstants.ID_DEBUG_VIEW, "the stopped thread", WAIT, t -> t.contains("at main"));
                Workbench.screenshot("debug-view.png");

                for (String marker : List.of("step-1", "step-2", "step-3")) {
                    mark = events.mark();
                    thread.stepOver();
                    thread = events.awaitSuspend(target, mark, WAIT);
                    assertEquals(Programs.line(source, marker), thread.getTopStackFrame().getLineNumber(), "step over to " + marker);
                }
                awaitEditorAt(sourceFile, Programs.line(source, "step-3"));

                Ref ref = DebugContexts.resolve(thread);
                long[] expected = ref.session().symbols().addressesFor(source.toString(), Programs.line(source, "step-3"));
                assertTrue(expected.length > 0, "the symbol layer knows the line");
                String rip = Views.awaitItem(IDebugUIConstants.ID_REGISTER_VIEW, "rip", WAIT, t -> t.startsWith("rip"));
                assertTrue(rip.toLowerCase().contains(Long.toHexString(expected[0])),
                        "Registers view rip (" + rip + ") is the line's address 0x" + Long.toHexString(expected[0]));
                Workbench.maximized(IDebugUIConstants.ID_REGISTER_VIEW, () -> {
                    Views.expandAll(IDebugUIConstants.ID_REGISTER_VIEW);
                    Workbench.screenshot("registers-view.png");
                });

                int loopLine = Programs.line(source, "loop-body");
                int afterLoop = Programs.line(source, "after-loop");
                toggleLineBreakpoint(editor, loopLine);
                toggleLineBreakpoint(editor, afterLoop);
                IBreakpoint[] ours = DebugPlugin.getDefault().getBreakpointManager().getBreakpoints(target.getModelIdentifier());
                assertEquals(2, ours.length, "two line breakpoints: " + Arrays.toString(ours));
                Views.awaitItem(IDebugUIConstants.ID_BREAKPOINT_VIEW, "the loop breakpoint", WAIT, t -> t.contains("sample.c") && t.contains(Integer.toString(loopLine)));
                Workbench.maximized(IDebugUIConstants.ID_BREAKPOINT_VIEW, () -> Workbench.screenshot("breakpoints-view.png"));

                int hits = 0;
                while (true) {
                    mark = events.mark();
                    thread.resume();
                    thread = events.awaitSuspend(target, mark, WAIT);
                    int line = thread.getTopStackFrame().getLineNumber();
                    if (line != loopLine) {
                        assertEquals(afterLoop, line, "after the loop's hits, the next breakpoint");
                        break;
                    }
                    hits++;
                    assertTrue(hits <= 5, "no more than five hits");
                }
                assertEquals(5, hits, "the loop body runs five times");

                SignalsView signals = Workbench.showView(SignalsView.ID);
                Workbench.waitUntil("the Signals view lists the session's signals", WAIT,
                        () -> signals.viewer().getTable().getItemCount() >= 31);
                assertEquals("SIGUSR1", signals.viewer().getTable().getItem(SIGUSR1 - 1).getText(0));
                // Editable: SIGUSR2 no longer stops the program, and the session's settings say so.
                signals.set(12, true, false, false);
                Workbench.spin();
                assertEquals("no", signals.viewer().getTable().getItem(11).getText(3), "the Stop cell of SIGUSR2");
                assertFalse(DebugContexts.resolve(thread).target().getSignalSettings().get(12).stop(), "the session's setting changed");
                Workbench.screenshot("signals-view.png");

                for (IBreakpoint bp : ours) {
                    bp.delete();
                }
                ResumeWithSignalHandler.resume(DebugContexts.resolve(thread), SIGUSR1);
                events.awaitTerminated(target, WAIT);
                IProcess process = launch.getProcesses()[0];
                Workbench.waitUntil("the process terminates", WAIT, process::isTerminated);
                assertEquals(42, process.getExitValue(), "the program's own exit code (42: its SIGUSR1 handler ran)");
                IConsole console = DebugUITools.getConsole(process);
                assertNotNull(console, "the program has a console");
                String text = Workbench.waitFor("the handler's output in the console", WAIT, () -> {
                    String t = ((TextConsole) console).getDocument().get();
                    return t.contains("sample: usr1 1") ? t : null;
                });
                assertTrue(text.contains("sample: SIGUSR1 handler ran"), text);
            } finally {
                if (!launch.isTerminated()) {
                    launch.terminate();
                }
                DebugPlugin.getDefault().getBreakpointManager().removeBreakpoints(
                        DebugPlugin.getDefault().getBreakpointManager().getBreakpoints(target.getModelIdentifier()), true);
            }
        }
    }

    /**
     * The first stop with a source line: a launch is held before its first instruction first (in
     * the loader, no line), then runs to main.
     */
    static IThread awaitStopInSource(IDebugTarget target) {
        return Workbench.waitFor("a thread of " + target + " stops in source", WAIT, () -> {
            try {
                for (IThread t : target.getThreads()) {
                    IStackFrame top = t.isSuspended() ? t.getTopStackFrame() : null; // may resume meanwhile: read once
                    if (top != null && top.getLineNumber() > 0) {
                        return t;
                    }
                }
            } catch (org.eclipse.debug.core.DebugException e) {
                // it ran on (from the ENTRY hold towards main) while its stack was read: look again
            }
            return null;
        });
    }

    /** Debug As > Multitrace Application on {@code binary}, as the user does it; the launch's target once it is created. */
    static IDebugTarget debugAs(DebugEvents events, IFile binary) {
        new MultitraceLaunchShortcut().launch(new StructuredSelection(binary), ILaunchManager.DEBUG_MODE);
        return events.awaitTarget(binary.getName(), l -> isLaunchOf(l, binary), WAIT);
    }

    /** Whether the Debug view selects a frame of {@code thread} within 5 s (what it does after a stop). */
    private static boolean selectedByTheView(IThread thread) {
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < end) {
            if (org.eclipse.debug.ui.DebugUITools.getDebugContext() instanceof org.eclipse.debug.core.model.IStackFrame f
                    && f.getThread() == thread) {
                return true;
            }
            Workbench.spin(50);
        }
        return false;
    }

    static boolean isLaunchOf(ILaunch l, IFile binary) {
        try {
            return l.getLaunchConfiguration() != null
                    && binary.getLocation().toString().equals(l.getLaunchConfiguration().getAttribute(LaunchAttributes.PROGRAM, ""));
        } catch (org.eclipse.core.runtime.CoreException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until the active editor shows {@code file} with the cursor line {@code line} (the debugger's highlight). */
    static ITextEditor awaitEditorAt(IFile file, int line) {
        return Workbench.waitFor(file.getName() + " open at line " + line, WAIT, () -> {
            IEditorPart part = Workbench.page().getActiveEditor();
            if (part instanceof ITextEditor ed && file.equals(ResourceUtil.getFile(ed.getEditorInput()))
                    && ed.getSelectionProvider().getSelection() instanceof ITextSelection s && s.getStartLine() + 1 == line) {
                return ed;
            }
            return null;
        });
    }

    /** Toggles a line breakpoint as the ruler does: through the toggle target the platform picks for the editor. */
    static void toggleLineBreakpoint(ITextEditor editor, int line) throws Exception {
        IDocument doc = editor.getDocumentProvider().getDocument(editor.getEditorInput());
        TextSelection at = new TextSelection(doc, doc.getLineOffset(line - 1), 0);
        Workbench.page().activate(editor);
        IToggleBreakpointsTarget target = DebugUITools.getToggleBreakpointsTargetManager().getToggleBreakpointsTarget(editor, at);
        assertNotNull(target, "a toggle target for C sources in the text editor");
        assertTrue(target.canToggleLineBreakpoints(editor, at));
        target.toggleLineBreakpoints(editor, at);
    }
}
