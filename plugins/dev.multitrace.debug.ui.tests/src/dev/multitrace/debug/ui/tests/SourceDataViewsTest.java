package dev.multitrace.debug.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IFolder;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IPath;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.IExpressionManager;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.model.IDebugTarget;
import org.eclipse.debug.core.model.IProcess;
import org.eclipse.debug.core.model.IThread;
import org.eclipse.debug.core.model.IVariable;
import org.eclipse.debug.core.model.IWatchExpression;
import org.eclipse.debug.ui.DebugUITools;
import org.eclipse.debug.ui.IDebugUIConstants;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.IRegion;
import org.eclipse.jface.text.ITextOperationTarget;
import org.eclipse.jface.text.ITextViewer;
import org.eclipse.ui.texteditor.ITextEditor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.multitrace.debug.core.MultitraceDebug;
import dev.multitrace.debug.core.breakpoints.MultitraceLineBreakpoint;
import dev.multitrace.debug.core.breakpoints.MultitraceWatchpoint;
import dev.multitrace.debug.core.model.MultitraceDebugTarget;
import dev.multitrace.debug.ui.breakpoints.AddWatchpointHandler;
import dev.multitrace.debug.core.model.MultitraceStackFrame;
import dev.multitrace.debug.ui.hover.EditorHovers;
import dev.multitrace.debug.ui.hover.VariableHover;
import dev.multitrace.testing.TestPrograms;

/**
 * Source-level data where the user looks, in the real workbench, on dataview.c (the shared sample: locals of
 * several C types, a struct, arrays, a pointer chain, a pointer into unmapped memory): the Variables view with
 * an expanded struct and an array, the Expressions view with C watch expressions and bad ones, the editor hover,
 * Change Value changing what the program prints, a C condition breakpoint hitting exactly when it holds, and a
 * watchpoint on a struct member.
 */
public class SourceDataViewsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private ILaunch launch;

    @BeforeAll
    static void prepare() throws Exception {
        Workbench.prepareForDebugging();
    }

    @AfterEach
    void end() throws Exception {
        if (launch != null && !launch.isTerminated()) {
            launch.terminate();
        }
        var manager = DebugPlugin.getDefault().getBreakpointManager();
        manager.removeBreakpoints(manager.getBreakpoints(MultitraceDebug.MODEL_ID), true);
        IExpressionManager expressions = DebugPlugin.getDefault().getExpressionManager();
        expressions.removeExpressions(expressions.getExpressions());
    }

    /** The shared samples' sources and binaries, linked into the samples project as a user's project would hold them. */
    private static IFile shared(String path) throws CoreException {
        IProject project = SampleProject.get();
        link(project.getFolder("shared-src"), System.getProperty(TestPrograms.SHARED_SRC_PROPERTY));
        link(project.getFolder("shared-bin"), System.getProperty(TestPrograms.SHARED_DIR_PROPERTY));
        project.refreshLocal(IResource.DEPTH_INFINITE, null);
        return project.getFile(path);
    }

    private static void link(IFolder folder, String location) throws CoreException {
        if (!folder.exists()) {
            folder.createLink(IPath.fromOSString(location), IResource.NONE, null);
        }
    }

    private static int mark(String name) {
        return TestPrograms.mark("dataview", name);
    }

    /** Debug As on dataview with a line breakpoint at MARK:{@code at}: the thread stopped there. */
    private IThread debugTo(DebugEvents events, MultitraceLineBreakpoint bp, String at) throws Exception {
        IDebugTarget target = DebugSampleTest.debugAs(events, shared("shared-bin/dataview"));
        launch = target.getLaunch();
        // a launch is held before its first instruction first, then runs to main: wait for a stop in source
        IThread thread = DebugSampleTest.awaitStopInSource(target);
        while (thread.getTopStackFrame().getLineNumber() != mark(at)) {
            int m = events.mark();
            thread.resume();
            thread = events.awaitSuspend(target, m, WAIT);
        }
        return thread;
    }

    private String output() {
        IProcess process = launch.getProcesses()[0];
        Workbench.waitUntil("the process terminates", WAIT, process::isTerminated);
        return process.getStreamsProxy().getOutputStreamMonitor().getContents();
    }

    @Test
    void variablesExpressionsAndHoverShowTheFramesCValues() throws Exception {
        IFile source = shared("shared-src/dataview.c");
        var bp = new MultitraceLineBreakpoint(source, mark("ready"), true);
        try (DebugEvents events = new DebugEvents()) {
            IThread thread = debugTo(events, bp, "ready");
            MultitraceStackFrame top = (MultitraceStackFrame) thread.getTopStackFrame();

            // Variables view: arguments and locals with gdb's text; the struct and the arrays expanded
            String origin = Views.awaitItem(IDebugUIConstants.ID_VARIABLE_VIEW, "origin", WAIT, t -> t.startsWith("origin"));
            assertTrue(origin.contains("{x = 3, y = -4}"), origin);
            Views.awaitItem(IDebugUIConstants.ID_VARIABLE_VIEW, "origin.y", WAIT, t -> t.startsWith("y") && t.contains("-4"));
            Views.awaitItem(IDebugUIConstants.ID_VARIABLE_VIEW, "numbers[2]", WAIT, t -> t.startsWith("[2]") && t.contains("30"));
            Views.awaitItem(IDebugUIConstants.ID_VARIABLE_VIEW, "*bad", WAIT, t -> t.startsWith("*bad") && t.contains("Cannot access memory at address 0x10"));
            Views.awaitItem(IDebugUIConstants.ID_VARIABLE_VIEW, "head's target", WAIT, t -> t.startsWith("*head") && t.contains("count = 0"));
            List<String> items = Views.texts(Views.tree(IDebugUIConstants.ID_VARIABLE_VIEW));
            assertTrue(items.stream().noneMatch(t -> t.startsWith("$r")), "no registers in the Variables view: " + items);
            assertTrue(items.stream().anyMatch(t -> t.startsWith("shade") && t.contains("BLUE")), items.toString());
            Workbench.maximized(IDebugUIConstants.ID_VARIABLE_VIEW, () -> Workbench.screenshot("variables-view-struct-array-pointer.png"));

            // Expressions view: C watch expressions; bad ones say why, at once
            IExpressionManager manager = DebugPlugin.getDefault().getExpressionManager();
            IWatchExpression sum = manager.newWatchExpression("head->next->count * 2 + origin.x");
            IWatchExpression big = manager.newWatchExpression("big");
            IWatchExpression malformed = manager.newWatchExpression("origin.");
            IWatchExpression unknown = manager.newWatchExpression("nosuch + 1");
            IWatchExpression unmapped = manager.newWatchExpression("*bad");
            manager.addExpressions(new IWatchExpression[] {sum, big, malformed, unknown, unmapped});
            Workbench.showView(IDebugUIConstants.ID_EXPRESSION_VIEW);
            long asked = System.nanoTime();
            for (IWatchExpression w : List.of(sum, big, malformed, unknown, unmapped)) {
                w.setExpressionContext(top);
            }
            Workbench.waitUntil("the watch expressions are evaluated", WAIT,
                    () -> List.of(sum, big, malformed, unknown, unmapped).stream().allMatch(w -> !w.isPending() && (w.getValue() != null || w.hasErrors())));
            long evaluatedMs = (System.nanoTime() - asked) / 1_000_000;
            assertEquals("23", sum.getValue().getValueString());
            assertEquals(3, big.getValue().getVariables().length, "250 elements in ranges of 100");
            assertTrue(malformed.getErrorMessages()[0].contains("column"), malformed.getErrorMessages()[0]);
            assertEquals("No symbol \"nosuch\" in current context. (column 1)", unknown.getErrorMessages()[0]);
            assertTrue(unmapped.getErrorMessages()[0].contains("Cannot access memory at address 0x10"), unmapped.getErrorMessages()[0]);
            assertTrue(evaluatedMs < 10_000, "evaluated in " + evaluatedMs + " ms");
            Views.awaitItem(IDebugUIConstants.ID_EXPRESSION_VIEW, "the sum", WAIT, t -> t.contains("head->next->count * 2 + origin.x") && t.contains("23"));
            Workbench.maximized(IDebugUIConstants.ID_EXPRESSION_VIEW, () -> Workbench.screenshot("expressions-view-c-and-errors.png"));
            System.out.println("dataview: 5 watch expressions evaluated in " + evaluatedMs + " ms");

            // the editor hover: the identifier with its member accesses, and a selected expression
            ITextEditor editor = DebugSampleTest.awaitEditorAt(source, mark("ready"));
            VariableHover hover = Workbench.waitFor("the hover on the C editor", WAIT, () -> EditorHovers.hoverOf(editor));
            ITextViewer viewer = (ITextViewer) editor.getAdapter(ITextOperationTarget.class);
            IDocument doc = viewer.getDocument();
            int call = doc.getLineOffset(mark("call") - 1);
            int next = doc.get().indexOf("head->next", call) + "head->".length() + 1; // the mouse over "next"
            Workbench.waitUntil("a Multitrace frame is the debug context", WAIT, () -> DebugUITools.getDebugContext() instanceof MultitraceStackFrame);
            IRegion region = hover.getHoverRegion(viewer, next);
            assertEquals("head->next", doc.get(region.getOffset(), region.getLength()));
            @SuppressWarnings("deprecation")
            String info = hover.getHoverInfo(viewer, region);
            assertNotNull(info, "a hover over head->next");
            assertTrue(info.startsWith("head->next = 0x") && info.endsWith("<chain+24>"), info);
            int printf = doc.get().indexOf("printf(");
            @SuppressWarnings("deprecation")
            String keyword = hover.getHoverInfo(viewer, hover.getHoverRegion(viewer, printf + 2));
            assertNull(keyword, "no hover for a name that is not a variable here");
            assertEquals("numbers[2] + 1 = 31", VariableHover.describe("numbers[2] + 1", top, true));
            String malformedHover = VariableHover.describe("origin.", top, true);
            assertTrue(malformedHover.startsWith("origin.: ") && malformedHover.contains("column"), malformedHover);

            // Change Value writes into the program, and the program prints it
            IVariable x = null;
            for (IVariable v : top.getVariables()) {
                if (v.getName().equals("origin")) {
                    for (IVariable member : v.getValue().getVariables()) {
                        if (member.getName().equals("x")) {
                            x = member;
                        }
                    }
                }
            }
            assertNotNull(x);
            assertTrue(x.supportsValueModification());
            x.setValue("77");
            Views.awaitItem(IDebugUIConstants.ID_VARIABLE_VIEW, "origin after Change Value", WAIT, t -> t.startsWith("origin") && t.contains("{x = 77, y = -4}"));
            Workbench.maximized(IDebugUIConstants.ID_VARIABLE_VIEW, () -> Workbench.screenshot("variables-view-after-change-value.png"));
            bp.delete();
            thread.resume();
            String out = output();
            assertTrue(out.contains("origin=77,-4"), out);
        }
    }

    /** {@code p->count > 15 && flag} over the ten calls of tick: count is 10 + k and flag k & 1, so only k = 7 and 9 stop. */
    @Test
    void aCConditionBreakpointHitsExactlyWhenItHolds() throws Exception {
        IFile source = shared("shared-src/dataview.c");
        var bp = new MultitraceLineBreakpoint(source, mark("tick-body"), true);
        bp.setCondition("p->count > 15 && flag");
        try (DebugEvents events = new DebugEvents()) {
            IThread thread = debugTo(events, bp, "tick-body");
            int hits = 0;
            List<String> counts = new java.util.ArrayList<>();
            while (true) {
                hits++;
                MultitraceStackFrame top = (MultitraceStackFrame) thread.getTopStackFrame();
                counts.add(top.evaluate("p->count").getValueString());
                if (hits == 1) {
                    Views.awaitItem(IDebugUIConstants.ID_VARIABLE_VIEW, "the argument p", WAIT, t -> t.startsWith("p"));
                    Workbench.screenshot("condition-breakpoint-p-count-gt-15-and-flag.png");
                }
                int m = events.mark();
                IDebugTarget target = thread.getDebugTarget();
                thread.resume();
                if (hits == 2) {
                    break;
                }
                thread = events.awaitSuspend(target, m, WAIT);
            }
            String out = output();
            assertEquals(List.of("17", "19"), counts);
            assertEquals(2, hits, "stopped at the 8th and the 10th call only");
            assertTrue(out.contains("count=20"), out);
        }
    }

    /** A condition that cannot be evaluated at the hit stops there, and the thread's label says why. */
    @Test
    void aConditionThatCannotBeEvaluatedStopsSayingWhy() throws Exception {
        IFile source = shared("shared-src/dataview.c");
        var bp = new MultitraceLineBreakpoint(source, mark("tick-body"), true);
        bp.setCondition("p->nosuch > 1");
        try (DebugEvents events = new DebugEvents()) {
            IThread thread = debugTo(events, bp, "tick-body");
            assertTrue(thread.getName().contains("There is no member named nosuch."), thread.getName());
            Views.awaitItem(IDebugUIConstants.ID_DEBUG_VIEW, "the thread's reason", WAIT, t -> t.contains("There is no member named nosuch."));
            Workbench.screenshot("condition-that-cannot-be-evaluated.png");
            bp.delete();
            thread.resume();
            output();
        }
    }

    /** Add Watchpoint on chain[1].count (a struct member of a global array): each call of tick writes it and stops right after. */
    @Test
    void aWatchpointOnAStructMemberStopsAfterEachWrite() throws Exception {
        IFile source = shared("shared-src/dataview.c");
        var bp = new MultitraceLineBreakpoint(source, mark("ready"), true);
        try (DebugEvents events = new DebugEvents()) {
            IThread thread = debugTo(events, bp, "ready");
            bp.delete();
            MultitraceWatchpoint wp = AddWatchpointHandler.create("chain[1].count");
            MultitraceDebugTarget target = (MultitraceDebugTarget) thread.getDebugTarget();
            Workbench.waitUntil("the watchpoint is inserted", WAIT, () -> target.watching(wp) != null);
            assertEquals(4, target.watching(wp).length());
            for (String expected : List.of("11", "12")) {
                int m = events.mark();
                thread.resume();
                thread = events.awaitSuspend(target, m, WAIT);
                assertTrue(thread.getName().contains("watchpoint chain[1].count"), thread.getName());
                assertEquals(wp, thread.getBreakpoints()[0]);
                assertEquals(expected, ((MultitraceStackFrame) thread.getTopStackFrame()).evaluate("p->count").getValueString());
            }
            Views.awaitItem(IDebugUIConstants.ID_BREAKPOINT_VIEW, "the watchpoint", WAIT, t -> t.contains("watch chain[1].count"));
            Views.awaitItem(IDebugUIConstants.ID_DEBUG_VIEW, "the thread stopped by it", WAIT, t -> t.contains("watchpoint chain[1].count"));
            Workbench.screenshot("watchpoint-on-struct-member.png");
            wp.delete();
            thread.resume();
            String out = output();
            assertTrue(out.contains("count=20"), out);
        }
    }
}
