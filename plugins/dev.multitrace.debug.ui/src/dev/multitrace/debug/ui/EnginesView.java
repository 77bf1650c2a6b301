package dev.multitrace.debug.ui;

import java.util.List;
import java.util.function.Function;

import org.eclipse.debug.core.DebugEvent;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.IDebugEventSetListener;
import org.eclipse.debug.ui.DebugUITools;
import org.eclipse.debug.ui.contexts.DebugContextEvent;
import org.eclipse.debug.ui.contexts.IDebugContextListener;
import org.eclipse.debug.ui.contexts.IDebugContextService;
import org.eclipse.jface.action.Action;
import org.eclipse.jface.action.IToolBarManager;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.ISelection;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Table;
import org.eclipse.ui.part.ViewPart;

/**
 * The Engines view: for the thread selected in the Debug view, every engine attached to it (the
 * debugger, a syscall tracer, a GDB stub...), its event mask, whether it holds the thread stopped,
 * its last resume action and how many callbacks it got. Refreshes on debug events and twice a
 * second while visible, so counts move while the thread runs.
 */
public final class EnginesView extends ViewPart {

    public static final String ID = "dev.multitrace.debug.ui.EnginesView";

    /** Refresh period while the view is visible, in milliseconds. */
    private static final int PERIOD_MS = 500;

    /** One engine on one thread, as the view shows it. */
    public record EngineRow(int tid, String engine, String events, boolean holdsStop, String lastAction, long callbacks) {
    }

    /** The event mask is long: it comes last, so the short columns stay visible in a narrow view. */
    static final String[] COLUMNS = {"Thread", "Engine", "Holds stop", "Last action", "Callbacks", "Events"};

    private TableViewer viewer;
    /** The debug context element shown (a thread, or its frame); null when none. Touched on the UI thread only. */
    private Object context;
    private final IDebugContextListener contextListener = this::contextChanged;
    private final IDebugEventSetListener eventListener = this::debugEvents;
    private final Runnable tick = this::tick;
    private Action attachTracer;
    private Action attachStub;
    private Action detach;

    @Override
    public void createPartControl(Composite parent) {
        viewer = new TableViewer(parent, SWT.FULL_SELECTION | SWT.H_SCROLL | SWT.V_SCROLL);
        Table table = viewer.getTable();
        table.setHeaderVisible(true);
        table.setLinesVisible(true);
        column(COLUMNS[0], 70, r -> Integer.toString(r.tid()));
        column(COLUMNS[1], 120, EngineRow::engine);
        column(COLUMNS[2], 80, r -> r.holdsStop() ? "yes" : "");
        column(COLUMNS[3], 90, EngineRow::lastAction);
        column(COLUMNS[4], 80, r -> Long.toString(r.callbacks()));
        column(COLUMNS[5], 420, EngineRow::events);
        viewer.setContentProvider(ArrayContentProvider.getInstance());
        viewer.setInput(List.of());
        viewer.addSelectionChangedListener(e -> updateActions());
        createActions();

        IDebugContextService service = DebugUITools.getDebugContextManager().getContextService(getSite().getWorkbenchWindow());
        service.addDebugContextListener(contextListener);
        DebugPlugin.getDefault().addDebugEventListener(eventListener);
        show(service.getActiveContext());
        Display.getCurrent().timerExec(PERIOD_MS, tick);
    }

    private void createActions() {
        attachTracer = new Action("Attach Syscall Tracer") {
            @Override
            public void run() {
                EngineActions.attachSyscallTracer(getSite().getShell(), context);
                refresh();
            }
        };
        attachTracer.setToolTipText("Attach a syscall tracer engine to the selected thread");
        attachStub = new Action("Attach GDB Stub...") {
            @Override
            public void run() {
                EngineActions.attachGdbStub(getSite().getShell(), context);
                refresh();
            }
        };
        attachStub.setToolTipText("Serve the thread's process to gdb on a TCP port (target extended-remote :PORT)");
        detach = new Action("Detach Engine") {
            @Override
            public void run() {
                EngineRow row = selectedRow();
                if (row != null) {
                    EngineActions.detach(getSite().getShell(), context, row);
                    refresh();
                }
            }
        };
        detach.setToolTipText("Detach the selected engine from the thread (the debugger itself cannot be detached here)");
        IToolBarManager bar = getViewSite().getActionBars().getToolBarManager();
        bar.add(attachTracer);
        bar.add(attachStub);
        bar.add(detach);
        updateActions();
    }

    private EngineRow selectedRow() {
        return (EngineRow) ((IStructuredSelection) viewer.getSelection()).getFirstElement();
    }

    private void updateActions() {
        boolean session = DebugContexts.canAttachEngines(context);
        attachTracer.setEnabled(session);
        attachStub.setEnabled(session);
        EngineRow row = selectedRow();
        detach.setEnabled(session && row != null && EngineActions.canDetach(row));
    }

    private void column(String title, int width, Function<EngineRow, String> text) {
        TableColumns.text(viewer, SWT.LEFT, title, width, EngineRow.class, text);
    }

    private void contextChanged(DebugContextEvent event) {
        if ((event.getFlags() & DebugContextEvent.ACTIVATED) != 0) {
            show(event.getContext());
        }
    }

    private void show(ISelection selection) {
        Object element = selection instanceof IStructuredSelection s ? s.getFirstElement() : null;
        if (DebugContexts.hasEngines(element)) {
            context = element;
        } else if (element != null) {
            context = null;
        }
        refresh();
    }

    /** Debug events arrive on any thread; the refresh goes to the UI thread. */
    private void debugEvents(DebugEvent[] events) {
        Display display = viewer.getControl().getDisplay();
        if (!display.isDisposed()) {
            display.asyncExec(() -> {
                if (!viewer.getControl().isDisposed()) {
                    refresh();
                }
            });
        }
    }

    private void tick() {
        if (viewer.getControl().isDisposed()) {
            return;
        }
        if (viewer.getControl().isVisible()) {
            refresh();
        }
        viewer.getControl().getDisplay().timerExec(PERIOD_MS, tick);
    }

    /** Re-reads the engines of the shown thread; call on the UI thread. */
    public void refresh() {
        EngineRow selected = selectedRow();
        List<EngineRow> rows = context == null ? List.of() : DebugContexts.engines(context);
        setContentDescription(context == null ? "Select a thread of a Multitrace session in the Debug view." : DebugContexts.describe(context));
        viewer.setInput(rows);
        if (selected != null) {
            rows.stream().filter(r -> r.engine().equals(selected.engine())).findFirst()
                    .ifPresent(r -> viewer.setSelection(new org.eclipse.jface.viewers.StructuredSelection(r)));
        }
        updateActions();
    }

    /** Replaces the rows shown until the next refresh; call on the UI thread. */
    public void setRows(List<EngineRow> rows) {
        viewer.setInput(List.copyOf(rows));
    }

    /** Does what "Attach GDB Stub..." does once the port is entered (tests; no dialog). */
    public boolean attachGdbStub(int port) {
        boolean attached = EngineActions.attachGdbStub(getSite().getShell(), DebugContexts.launchEngines(context), port) != null;
        refresh();
        return attached;
    }

    /** The toolbar's "Attach Syscall Tracer" (tests run it as a click would). */
    public Action attachTracerAction() {
        return attachTracer;
    }

    /** The toolbar's "Detach Engine". */
    public Action detachAction() {
        return detach;
    }

    public TableViewer viewer() {
        return viewer;
    }

    @Override
    public void setFocus() {
        viewer.getControl().setFocus();
    }

    @Override
    public void dispose() {
        DebugPlugin.getDefault().removeDebugEventListener(eventListener);
        DebugUITools.getDebugContextManager().getContextService(getSite().getWorkbenchWindow())
                .removeDebugContextListener(contextListener);
        super.dispose();
    }
}
