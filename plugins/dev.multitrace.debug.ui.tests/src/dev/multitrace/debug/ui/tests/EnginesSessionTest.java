package dev.multitrace.debug.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.eclipse.core.resources.IFile;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.model.IDebugTarget;
import org.eclipse.debug.core.model.IProcess;
import org.eclipse.debug.core.model.IThread;
import org.eclipse.debug.ui.IDebugUIConstants;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.multitrace.session.AttachedEngine;
import dev.multitrace.session.DebugSession;
import dev.multitrace.debug.ui.DebugContexts;
import dev.multitrace.debug.ui.DebugContexts.Ref;
import dev.multitrace.debug.ui.EnginesView;

/**
 * Two engines on one thread in the workbench: the debugger and a syscall tracer attached from
 * the Engines view. The view lists both, counts the tracer's callbacks, and shows who holds the
 * thread; the debugger's resume leaves a thread the tracer holds stopped, and the Debug view says why.
 */
public class EnginesSessionTest {

    @BeforeAll
    static void prepare() throws Exception {
        Workbench.prepareForDebugging();
    }

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int HOLDS = 2;
    private static final int CALLBACKS = 4;
    private static final int EVENTS = 5;

    @Test
    void debuggerAndSyscallTracerOnOneThread() throws Exception {
        IFile binary = SampleProject.binary("sample");
        try (DebugEvents events = new DebugEvents()) {
            int mark = events.mark();
            IDebugTarget target = DebugSampleTest.debugAs(events, binary);
            ILaunch launch = target.getLaunch();
            try {
                IThread thread = DebugSampleTest.awaitStopInSource(target);
                Ref ref = DebugContexts.resolve(thread);
                // As a user does: the thread selected in the Debug view is what the Engines view shows (the
                // view's automatic selection on suspend may still point at an earlier test's session).
                Workbench.selectInDebugView(launch, target, thread);
                EnginesView view = Workbench.showView(EnginesView.ID);
                Table table = view.viewer().getTable();
                // The view refreshes asynchronously: it may show a row from before the stop at main first.
                try {
                    Workbench.waitUntil("the Engines view shows the debugger holding the thread at main", WAIT,
                            () -> row(table, "debugger") != null && "yes".equals(row(table, "debugger").getText(HOLDS)));
                } catch (AssertionError e) {
                    StringBuilder rows = new StringBuilder();
                    for (TableItem item : table.getItems()) {
                        rows.append(" [").append(item.getText(0)).append(' ').append(item.getText(1)).append(' ')
                                .append(item.getText(HOLDS)).append(']');
                    }
                    throw new AssertionError(e.getMessage() + "; the view shows '" + view.getContentDescription() + "'" + rows
                            + "; the thread is " + thread.getName() + ", suspended: " + thread.isSuspended(), e);
                }

                assertTrue(view.attachTracerAction().isEnabled(), "a syscall tracer can be attached to the live session");
                view.attachTracerAction().run();
                Workbench.waitUntil("the Engines view shows the syscall tracer", WAIT, () -> row(table, "syscall tracer") != null);
                TableItem tracer = row(table, "syscall tracer");
                assertEquals(Integer.toString(ref.tid()), tracer.getText(0));
                assertTrue(tracer.getText(EVENTS).contains("SYSCALL_ENTRY") && tracer.getText(EVENTS).contains("SYSCALL_EXIT"), tracer.getText(EVENTS));

                // Over main's first line, then over signal() (rt_sigaction): the tracer's count moves.
                for (int i = 0; i < 2; i++) {
                    mark = events.mark();
                    thread.stepOver();
                    thread = events.awaitSuspend(target, mark, WAIT);
                }
                Workbench.showView(EnginesView.ID);
                Workbench.waitUntil("the tracer's callbacks are counted", WAIT,
                        () -> row(table, "syscall tracer") != null && Long.parseLong(row(table, "syscall tracer").getText(CALLBACKS)) >= 2);

                // A GDB stub joins as a third engine on the same thread, and leaves again.
                int port;
                try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
                    port = probe.getLocalPort();
                }
                assertTrue(view.attachGdbStub(port), "the GDB stub is attached on port " + port);
                Workbench.waitUntil("the Engines view shows the GDB stub", WAIT, () -> row(table, DebugSession.GDB_STUB_ENGINE) != null);
                assertEquals(3, table.getItemCount(), "debugger, syscall tracer, GDB stub");
                view.viewer().setSelection(new StructuredSelection(view.viewer().getElementAt(indexOf(table, DebugSession.GDB_STUB_ENGINE))));
                view.detachAction().run();
                Workbench.waitUntil("the GDB stub is gone from the view", WAIT, () -> row(table, DebugSession.GDB_STUB_ENGINE) == null);

                // The tracer takes a hold; the debugger's resume then leaves the thread stopped.
                AttachedEngine syscalls = ref.session().attachedEngines().stream()
                        .filter(a -> a.name().equals("syscall tracer")).findFirst().orElseThrow();
                syscalls.hold(ref.tid());
                thread.resume();
                Workbench.waitUntil("the view shows the tracer holding and the debugger not", WAIT, () -> {
                    TableItem d = row(table, "debugger");
                    TableItem t = row(table, "syscall tracer");
                    return d != null && t != null && d.getText(HOLDS).isEmpty() && t.getText(HOLDS).equals("yes");
                });
                assertTrue(ref.session().stateLabel(ref.tid()).contains("held by syscall tracer"), ref.session().stateLabel(ref.tid()));
                Views.awaitItem(IDebugUIConstants.ID_DEBUG_VIEW, "the thread label naming the holder", WAIT,
                        t -> t.contains("held by syscall tracer"));
                Workbench.showView(EnginesView.ID);
                Workbench.waitUntil("the view's header says why", WAIT, () -> view.getContentDescription().contains("held by syscall tracer"));
                Workbench.screenshot("engines-view.png");

                // Detaching the tracer from the view releases its hold: the program runs to its end.
                view.viewer().setSelection(new StructuredSelection(view.viewer().getElementAt(indexOf(table, "syscall tracer"))));
                assertTrue(view.detachAction().isEnabled());
                view.detachAction().run();
                events.awaitTerminated(target, WAIT);
                IProcess process = launch.getProcesses()[0];
                Workbench.waitUntil("the program exits", WAIT, process::isTerminated);
                assertEquals(41, process.getExitValue(), "its own exit code (41: no SIGUSR1)");
                assertTrue(ref.session().attachedEngines().isEmpty(), "the tracer is gone from the session");
            } finally {
                if (!launch.isTerminated()) {
                    launch.terminate();
                }
            }
        }
    }

    static TableItem row(Table table, String engine) {
        int i = indexOf(table, engine);
        return i < 0 ? null : table.getItem(i);
    }

    static int indexOf(Table table, String engine) {
        List<TableItem> items = List.of(table.getItems());
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i).getText(1).equals(engine)) {
                return i;
            }
        }
        return -1;
    }
}
