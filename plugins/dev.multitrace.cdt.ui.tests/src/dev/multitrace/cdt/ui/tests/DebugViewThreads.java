package dev.multitrace.cdt.ui.tests;

import dev.multitrace.session.DebugSession;
import dev.multitrace.session.SessionThread;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import org.eclipse.cdt.dsf.datamodel.IDMContext;
import org.eclipse.cdt.dsf.ui.viewmodel.datamodel.IDMVMContext;
import org.eclipse.core.runtime.Adapters;
import org.eclipse.debug.core.model.IProcess;
import org.eclipse.debug.ui.DebugUITools;
import org.eclipse.debug.ui.IDebugUIConstants;
import org.eclipse.debug.ui.IDebugView;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Tree;
import org.eclipse.swt.widgets.TreeItem;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.handlers.IHandlerService;

/** A Multitrace session's main thread in the Debug view, selected as a click does, and the commands a user runs on it. */
final class DebugViewThreads {

    private DebugViewThreads() {
    }

    /** Selects the Multitrace session's thread in the Debug view, as a click does (the debug context follows). */
    static void selectMultitraceThread(DebugSession session) throws Exception {
        click(multitraceThreadItem(session));
        Workbench.waitUntil("the debug context is the Multitrace thread", Duration.ofSeconds(10), () -> {
            // the thread itself: the process's element adapts to the session too
            Object context = DebugUITools.getDebugContext();
            SessionThread t = context == null ? null : Adapters.adapt(context, SessionThread.class);
            return t != null && t.session() == session && context instanceof IDMVMContext vmc
                    && vmc.getDMContext() instanceof dev.multitrace.dsf.ThreadContext;
        });
    }

    /** Selects the row of the Multitrace session's process in the Debug view, as a click does. */
    static void selectProcess(DebugSession session) throws Exception {
        click(sessionRow(session, "process", dm -> dm instanceof dev.multitrace.dsf.ProcessContext p && p.pid() == session.pid()));
        Workbench.waitUntil("the debug context is the Multitrace process", Duration.ofSeconds(10), () ->
                DebugUITools.getDebugContext() instanceof IDMVMContext vmc && vmc.getDMContext() instanceof dev.multitrace.dsf.ProcessContext);
    }

    static TreeItem multitraceThreadItem(DebugSession session) throws Exception {
        return sessionRow(session, "thread", dm -> dm instanceof dev.multitrace.dsf.ThreadContext t && t.tid() == session.pid());
    }

    /** The Debug view's row of an element of {@code session} whose DSF context is {@code wanted}, waited for at most 20 s. */
    private static TreeItem sessionRow(DebugSession session, String what, Predicate<IDMContext> wanted) throws Exception {
        Tree tree = debugTree();
        return Workbench.waitFor(Duration.ofSeconds(20), "the Debug view shows the Multitrace " + what, () -> {
            for (TreeItem i : TreeItems.expandAll(tree)) {
                if (i.getData() instanceof IDMVMContext vmc && wanted.test(vmc.getDMContext())
                        && Adapters.adapt(vmc, SessionThread.class) instanceof SessionThread st && st.session() == session) {
                    return i;
                }
            }
            return null;
        });
    }

    /** A click on {@code row}: selected, and the tree tells its listeners (the viewer, then the debug context). */
    private static void click(TreeItem row) {
        Tree tree = row.getParent();
        tree.setSelection(row);
        Event e = new Event();
        e.item = row;
        tree.notifyListeners(SWT.Selection, e);
    }

    private static Tree debugTree() throws Exception {
        IDebugView debug = (IDebugView) Workbench.page().showView(IDebugUIConstants.ID_DEBUG_VIEW);
        return (Tree) debug.getViewer().getControl();
    }

    /** The Debug view's row of a launch's {@code IProcess} (the program's console), waited for at most 20 s. */
    static TreeItem processItem(IProcess process) throws Exception {
        Tree tree = debugTree();
        return Workbench.waitFor(Duration.ofSeconds(20), "the Debug view shows the process " + process.getLabel(), () -> {
            for (TreeItem i : TreeItems.expandAll(tree)) {
                if (i.getData() == process) {
                    return i;
                }
            }
            return null;
        });
    }

    /** The pids of the process rows the Debug view shows now (a launch's own and the fork children it followed). */
    static java.util.Set<Integer> shownProcesses() throws Exception {
        java.util.Set<Integer> out = new java.util.TreeSet<>();
        for (TreeItem i : TreeItems.expandAll(debugTree())) {
            if (i.getData() instanceof IDMVMContext vmc && vmc.getDMContext() instanceof dev.multitrace.dsf.ProcessContext p) {
                out.add(p.pid());
            }
        }
        return out;
    }

    /** The thread ids the Debug view shows for {@code session} (its rows, expanded as a user expands them). */
    static java.util.Set<Integer> shownThreads(DebugSession session) throws Exception {
        Tree tree = debugTree();
        java.util.Set<Integer> out = new java.util.TreeSet<>();
        for (TreeItem i : TreeItems.expandAll(tree)) {
            if (i.getData() instanceof IDMVMContext vmc && vmc.getDMContext() instanceof dev.multitrace.dsf.ThreadContext t
                    && Adapters.adapt(vmc, SessionThread.class) instanceof SessionThread st && st.session() == session) {
                out.add(t.tid());
            }
        }
        return out;
    }

    /** Runs a workbench command (as its toolbar button or key does), retrying while it is not enabled yet. */
    static void runCommand(String id) {
        IHandlerService handlers = PlatformUI.getWorkbench().getService(IHandlerService.class);
        AtomicReference<Exception> last = new AtomicReference<>();
        Workbench.waitUntil(id + " ran", Duration.ofSeconds(10), () -> {
            try {
                handlers.executeCommand(id, null);
                return true;
            } catch (Exception e) {
                last.set(e);
                return false;
            }
        });
    }
}
