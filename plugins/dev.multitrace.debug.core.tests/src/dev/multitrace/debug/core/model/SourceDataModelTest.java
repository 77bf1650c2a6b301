package dev.multitrace.debug.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.debug.core.LaunchAttributes;
import dev.multitrace.debug.core.MultitraceDebug;
import dev.multitrace.debug.core.breakpoints.MultitraceLineBreakpoint;
import dev.multitrace.testing.TestPrograms;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IPath;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.debug.core.DebugEvent;
import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.ILaunchManager;
import org.eclipse.debug.core.model.IProcess;
import org.eclipse.debug.core.model.IVariable;
import org.eclipse.debug.core.model.IWatchExpressionResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Variables view's and Expressions view's model on dataview.c: a frame's arguments and locals as C values
 * (no registers), expansion of structs, arrays in ranges of 100 and pointers, change highlighting across stops,
 * Change Value written into the program, watch expressions in C, C breakpoint conditions counted hit by hit.
 */
class SourceDataModelTest {

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

    private static IFile source() throws CoreException {
        IProject p = ResourcesPlugin.getWorkspace().getRoot().getProject("samples");
        if (!p.exists()) {
            p.create(null);
        }
        p.open(null);
        IFile f = p.getFile("dataview.c");
        if (!f.exists()) {
            f.createLink(IPath.fromOSString(TestPrograms.source("dataview").toString()), IResource.NONE, null);
        }
        return f;
    }

    private MultitraceThread launchTo(MultitraceLineBreakpoint bp) throws Exception {
        launch = LaunchAndModelTest.config("dataview", Map.of(LaunchAttributes.STOP_MODE, LaunchAttributes.STOP_NONE))
                .launch(ILaunchManager.DEBUG_MODE, new NullProgressMonitor());
        try {
            return events.suspended(DebugEvent.BREAKPOINT);
        } catch (AssertionError e) {
            IProcess p = launch.getProcesses()[0];
            MultitraceDebugTarget target = (MultitraceDebugTarget) launch.getDebugTarget();
            throw new AssertionError(e.getMessage() + "; process terminated " + p.isTerminated() + ", output: "
                    + p.getStreamsProxy().getOutputStreamMonitor().getContents() + ", threads: "
                    + Arrays.stream(target.getThreads()).map(Object::toString).toList() + ", breakpoints: "
                    + target.session().breakpoints().stream().map(b -> b.label() + " " + b.condition() + " planted "
                            + target.session().plantedAddresses(b).length).toList(), e);
        }
    }

    private static MultitraceSourceVariable named(IVariable[] vars, String name) throws DebugException {
        for (IVariable v : vars) {
            if (v.getName().equals(name)) {
                return (MultitraceSourceVariable) v;
            }
        }
        throw new AssertionError("no " + name + " in " + Arrays.stream(vars).map(Object::toString).toList());
    }

    private String stdout() throws Exception {
        IProcess p = launch.getProcesses()[0];
        ((TraceeProcess) p).exitValue().get(90, TimeUnit.SECONDS);
        return p.getStreamsProxy().getOutputStreamMonitor().getContents();
    }

    @Test
    void variablesAreTheFramesCValuesExpandableAndAssignable() throws Exception {
        var bp = new MultitraceLineBreakpoint(source(), TestPrograms.mark("dataview", "ready"), true);
        MultitraceThread t = launchTo(bp);
        MultitraceStackFrame top = (MultitraceStackFrame) t.getTopStackFrame();
        IVariable[] vars = top.getVariables();
        List<String> names = Arrays.stream(vars).map(v -> {
            try {
                return v.getName();
            } catch (DebugException e) {
                throw new AssertionError(e);
            }
        }).toList();
        assertFalse(names.stream().anyMatch(n -> n.startsWith("$") || n.equals("cfa")), "registers stay in the Registers view: " + names);

        MultitraceSourceVariable origin = named(vars, "origin");
        assertEquals("{x = 3, y = -4}", origin.getValue().getValueString());
        assertEquals("struct point", origin.getReferenceTypeName());
        assertTrue(origin.getValue().hasVariables());
        MultitraceSourceVariable x = named(origin.getValue().getVariables(), "x");
        assertTrue(x.supportsValueModification());
        x.setValue("70 + 7");
        assertThrows(DebugException.class, () -> named(top.getVariables(), "numbers").setValue("1"), "an array is not assignable from an int");

        MultitraceSourceVariable head = named(top.getVariables(), "head");
        MultitraceSourceVariable target = named(head.getValue().getVariables(), "*head");
        assertEquals("0", named(target.getValue().getVariables(), "count").getValue().getValueString());

        // the watch expression delegate: C in the selected frame, a bad one with the evaluator's message
        IWatchExpressionResult sum = evaluate("head->next->count + origin.x", top);
        assertFalse(sum.hasErrors(), String.join(" ", sum.getErrorMessages()));
        assertEquals("87", sum.getValue().getValueString());
        IWatchExpressionResult big = evaluate("big", top);
        assertEquals(3, big.getValue().getVariables().length, "250 elements in ranges of 100");
        assertEquals("[200..249]", big.getValue().getVariables()[2].getName());
        assertEquals("No symbol \"nosuch\" in current context. (column 1)", evaluate("nosuch", top).getErrorMessages()[0]);
        assertTrue(evaluate("*bad", top).getErrorMessages()[0].contains("Cannot access memory at address 0x10"));
        assertTrue(evaluate("origin.", top).getErrorMessages()[0].contains("column"));

        bp.delete();
        t.resume();
        assertTrue(stdout().contains("origin=77,-4"), stdout());
    }

    @Test
    void valuesThatChangedSinceTheLastStopAreHighlighted() throws Exception {
        var bp = new MultitraceLineBreakpoint(source(), TestPrograms.mark("dataview", "call"), true);
        MultitraceThread t = launchTo(bp);
        IVariable[] first = t.getTopStackFrame().getVariables();
        assertFalse(named(first, "total").hasValueChanged(), "nothing to compare at the first stop");
        t.resume();
        events.suspended(DebugEvent.BREAKPOINT);
        IVariable[] second = t.getTopStackFrame().getVariables();
        assertTrue(named(second, "round").hasValueChanged(), "round went from 0 to 1");
        assertFalse(named(second, "origin").hasValueChanged(), "origin did not change");
        bp.delete();
        t.resume();
        stdout();
    }

    /** {@code p->count > 15 && flag}: true at the 8th and 10th of the 10 calls only. */
    @Test
    void aCConditionOnALineBreakpointStopsExactlyWhenItHolds() throws Exception {
        var bp = new MultitraceLineBreakpoint(source(), TestPrograms.mark("dataview", "tick-body"), true);
        bp.setCondition("p->count > 15 && flag");
        assertThrows(CoreException.class, () -> bp.setCondition("p->count >"), "a malformed condition is refused when set");
        MultitraceThread t = launchTo(bp);
        int hits = 1;
        assertEquals("17", ((MultitraceStackFrame) t.getTopStackFrame()).evaluate("p->count").getValueString());
        t.resume();
        events.suspended(DebugEvent.BREAKPOINT);
        hits++;
        assertEquals("19", ((MultitraceStackFrame) t.getTopStackFrame()).evaluate("p->count").getValueString());
        t.resume();
        assertTrue(stdout().contains("count=20"), stdout());
        assertEquals(2, hits);
        assertEquals(0, launch.getProcesses()[0].getExitValue());
    }

    private static IWatchExpressionResult evaluate(String expression, MultitraceStackFrame frame) throws Exception {
        CompletableFuture<IWatchExpressionResult> result = new CompletableFuture<>();
        new MultitraceWatchExpressionDelegate().evaluateExpression(expression, frame, result::complete);
        return result.get(30, TimeUnit.SECONDS);
    }
}
