package dev.multitrace.debug.ui.tests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.core.runtime.preferences.IEclipsePreferences;
import org.eclipse.core.runtime.preferences.InstanceScope;
import org.eclipse.debug.ui.IDebugUIConstants;
import org.eclipse.jface.dialogs.MessageDialogWithToggle;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.PlatformUI;

/** What UI tests do with the real workbench: run its event loop, wait for conditions, take screenshots. */
final class Workbench {

    private Workbench() {
    }

    /**
     * Makes the workbench fit for unattended debugging: the Debug perspective without the
     * "switch perspective?" prompts (they are modal and would block the UI thread the tests run
     * on), and a window as large as the screen so screenshots show the views readably.
     */
    static void prepareForDebugging() throws Exception {
        IEclipsePreferences debugUi = InstanceScope.INSTANCE.getNode("org.eclipse.debug.ui");
        debugUi.put("org.eclipse.debug.ui.switch_perspective_on_suspend", MessageDialogWithToggle.ALWAYS);
        debugUi.put("org.eclipse.debug.ui.switch_to_perspective", MessageDialogWithToggle.ALWAYS);
        // Launch at once: waiting for a workspace build (there is nothing to build) only delays it.
        debugUi.putBoolean("org.eclipse.debug.ui.build_before_launch", false);
        debugUi.put("org.eclipse.debug.ui.wait_for_build", MessageDialogWithToggle.NEVER);
        debugUi.flush();
        IWorkbenchWindow window = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
        Shell shell = window.getShell();
        Rectangle screen = shell.getDisplay().getPrimaryMonitor().getClientArea();
        shell.setBounds(screen);
        PlatformUI.getWorkbench().showPerspective(IDebugUIConstants.ID_DEBUG_PERSPECTIVE, window);
        if (!watchdogStarted) {
            watchdogStarted = true;
            shell.getDisplay().timerExec(WATCHDOG_MS, Workbench::closeUnexpectedDialogs);
        }
        spin();
    }

    /**
     * Clicks {@code path} (launch, target, thread[, frame]) in the Debug view as a user does: the twisty of each
     * closed row on the way, then the last row, through the tree's own events. A programmatic selection of the
     * viewer is not used: the platform's selection policy refuses one that moves off a suspended frame (a user's
     * click it always takes), and on this kind of machine the view sometimes neither selects the stopped thread
     * after a stop nor takes a selection set by path (its row stays closed: docs/cdt.md, "Not yet").
     * Done when the debug context is the last element or, for a thread or target, an element under it.
     */
    static void selectInDebugView(Object... path) throws PartInitException {
        org.eclipse.debug.ui.IDebugView dv = showView(IDebugUIConstants.ID_DEBUG_VIEW);
        page().activate(dv);
        org.eclipse.swt.widgets.Tree tree = (org.eclipse.swt.widgets.Tree) dv.getViewer().getControl();
        Object last = path[path.length - 1];
        waitUntil("a click in the Debug view selects " + last, Duration.ofSeconds(30), () -> {
            if (isUnder(org.eclipse.debug.ui.DebugUITools.getDebugContext(), last)) {
                return true;
            }
            org.eclipse.swt.widgets.TreeItem[] rows = tree.getItems();
            for (int i = 0; i < path.length; i++) {
                org.eclipse.swt.widgets.TreeItem row = rowOf(rows, path[i]);
                if (row == null) {
                    spin(50); // not shown yet
                    return false;
                }
                if (i == path.length - 1) {
                    tree.setSelection(row);
                    org.eclipse.swt.widgets.Event click = new org.eclipse.swt.widgets.Event();
                    click.item = row;
                    tree.notifyListeners(SWT.Selection, click);
                } else if (!row.getExpanded()) {
                    org.eclipse.swt.widgets.Event twisty = new org.eclipse.swt.widgets.Event();
                    twisty.item = row;
                    tree.notifyListeners(SWT.Expand, twisty);
                    row.setExpanded(true);
                    spin(50);
                    return false;
                }
                rows = row.getItems();
            }
            spin(50);
            return false;
        });
    }

    private static org.eclipse.swt.widgets.TreeItem rowOf(org.eclipse.swt.widgets.TreeItem[] rows, Object element) {
        for (org.eclipse.swt.widgets.TreeItem row : rows) {
            if (element.equals(row.getData())) {
                return row;
            }
        }
        return null;
    }

    /** Whether the debug context {@code context} is {@code element} or, for a thread or target, under it. */
    private static boolean isUnder(Object context, Object element) {
        if (context == null) {
            return false;
        }
        if (context.equals(element)) {
            return true;
        }
        if (element instanceof org.eclipse.debug.core.model.IThread t) {
            return context instanceof org.eclipse.debug.core.model.IStackFrame f && f.getThread() == t;
        }
        return element instanceof org.eclipse.debug.core.model.IDebugTarget t
                && context instanceof org.eclipse.debug.core.model.IDebugElement e && e.getDebugTarget() == t;
    }

    private static final int WATCHDOG_MS = 1000;
    private static boolean watchdogStarted;
    /** Texts of modal dialogs the watchdog closed; touched on the UI thread only. */
    private static final List<String> closedDialogs = new ArrayList<>();
    /** Texts of the unexpected dialogs closed so far (an error dialog a test provokes ends up here). */
    static List<String> closedDialogs() {
        return List.copyOf(closedDialogs);
    }

    /** Shells a test opened on purpose (the attach dialog under test); the watchdog leaves them. */
    static final Set<Shell> expectedShells = new HashSet<>();

    /**
     * A modal dialog nobody expects (an error from a launch, a prompt) would block the UI thread
     * in its own event loop and the test would hang: close it, and keep its text for the failure.
     */
    private static void closeUnexpectedDialogs() {
        Display display = Display.getCurrent();
        Shell main = PlatformUI.getWorkbench().getActiveWorkbenchWindow() == null ? null
                : PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell();
        for (Shell s : display.getShells()) {
            if (s != main && s.isVisible() && (s.getStyle() & (SWT.APPLICATION_MODAL | SWT.PRIMARY_MODAL | SWT.SYSTEM_MODAL)) != 0
                    && !expectedShells.contains(s) && s.getParent() != null) {
                String text = s.getText() + ": " + texts(s);
                closedDialogs.add(text);
                System.err.println("closing unexpected dialog: " + text);
                s.close();
            }
        }
        display.timerExec(WATCHDOG_MS, Workbench::closeUnexpectedDialogs);
    }

    private static String texts(Control c) {
        StringBuilder b = new StringBuilder();
        if (c instanceof Label l) {
            b.append(l.getText()).append(' ');
        } else if (c instanceof Text t) {
            b.append(t.getText()).append(' ');
        }
        if (c instanceof Composite comp) {
            for (Control child : comp.getChildren()) {
                b.append(texts(child));
            }
        }
        return b.toString().strip();
    }

    static IWorkbenchPage page() {
        return PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
    }

    static Shell shell() {
        return PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell();
    }

    @SuppressWarnings("unchecked")
    static <T extends IViewPart> T showView(String id) throws PartInitException {
        return (T) page().showView(id);
    }

    /** Something a test does in the UI that may fail. */
    interface UiWork {
        void run() throws Exception;
    }

    /** Runs {@code work} with view {@code id} maximized (for a readable screenshot), then restores the layout. */
    static void maximized(String id, UiWork work) throws Exception {
        IViewPart view = showView(id);
        IWorkbenchPage page = page();
        page.setPartState(page.getReference(view), IWorkbenchPage.STATE_MAXIMIZED);
        spin();
        try {
            work.run();
        } finally {
            page.setPartState(page.getReference(view), IWorkbenchPage.STATE_RESTORED);
            spin();
        }
    }

    /** Runs pending UI work. */
    static void spin() {
        Display d = Display.getCurrent();
        while (d.readAndDispatch()) {
            // drain
        }
    }

    /** Runs the event loop for {@code millis}. */
    static void spin(long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        Display d = Display.getCurrent();
        while (System.nanoTime() < end) {
            if (!d.readAndDispatch()) {
                sleepBriefly();
            }
        }
    }

    /** Runs the event loop until {@code condition} holds; fails with {@code what} after {@code timeout}. */
    static void waitUntil(String what, Duration timeout, BooleanSupplier condition) {
        long end = System.nanoTime() + timeout.toNanos();
        Display d = Display.getCurrent();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                dumpThreads(what);
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting until " + what
                        + (closedDialogs.isEmpty() ? "" : "; dialogs closed meanwhile: " + closedDialogs));
            }
            if (!d.readAndDispatch()) {
                sleepBriefly();
            }
        }
    }

    /** On a timeout, every thread's stack to stderr (the test report keeps it): what was everyone doing? */
    private static void dumpThreads(String what) {
        StringBuilder b = new StringBuilder("---- threads when waiting until " + what + " timed out ----\n");
        Thread.getAllStackTraces().forEach((t, stack) -> {
            b.append('"').append(t.getName()).append("\" ").append(t.getState()).append('\n');
            for (StackTraceElement e : stack) {
                b.append("    at ").append(e).append('\n');
            }
        });
        b.append(debugState());
        System.err.println(b);
        try {
            screenshot("timeout-" + what.replaceAll("[^A-Za-z0-9]+", "-") + ".png");
        } catch (Exception e) {
            System.err.println("no screenshot: " + e);
        }
    }

    /**
     * The debug context and every launch's threads as the Debug view's model proxies see them (suspended, top
     * frame or why there is none): on a timeout, why did the view not select what the test waited for?
     */
    private static String debugState() {
        StringBuilder b = new StringBuilder("---- debug state ----\n");
        b.append("debug context: ").append(org.eclipse.debug.ui.DebugUITools.getDebugContext()).append('\n');
        try {
            IViewPart v = page().findView(IDebugUIConstants.ID_DEBUG_VIEW);
            if (v instanceof org.eclipse.debug.ui.IDebugView dv && dv.getViewer() != null) {
                for (Object o : ((org.eclipse.jface.viewers.IStructuredSelection) dv.getViewer().getSelection()).toList()) {
                    b.append("Debug view selection: ").append(o);
                    if (o instanceof org.eclipse.debug.core.model.IStackFrame f) {
                        b.append(" suspended ").append(f.isSuspended()).append(" terminated ").append(f.isTerminated())
                                .append(" of ").append(f.getLaunch().getLaunchConfiguration().getName());
                    }
                    b.append('\n');
                }
            }
            if (v instanceof org.eclipse.debug.ui.IDebugView dv && dv.getViewer() != null
                    && dv.getViewer().getControl() instanceof org.eclipse.swt.widgets.Tree tree) {
                appendItems(b, tree.getItems(), "  ");
            }
        } catch (Exception e) {
            b.append("Debug view selection: ").append(e).append('\n');
        }
        for (org.eclipse.debug.core.ILaunch l : org.eclipse.debug.core.DebugPlugin.getDefault().getLaunchManager().getLaunches()) {
            b.append("launch @").append(Integer.toHexString(System.identityHashCode(l))).append(' ').append(l.getLaunchConfiguration() == null ? "?" : l.getLaunchConfiguration().getName())
                    .append(l.isTerminated() ? " (terminated)" : "").append(", processes ")
                    .append(java.util.Arrays.stream(l.getProcesses()).map(p -> p.getLabel() + (p.isTerminated() ? " ended" : "")).toList())
                    .append('\n');
            for (org.eclipse.debug.core.model.IDebugTarget t : l.getDebugTargets()) {
                try {
                    b.append("  target ").append(t.getClass().getSimpleName()).append('@')
                            .append(Integer.toHexString(System.identityHashCode(t))).append('\n');
                    for (org.eclipse.debug.core.model.IThread th : t.getThreads()) {
                        b.append("  thread object @").append(Integer.toHexString(System.identityHashCode(th))).append('\n');
                        b.append("  ").append(th.getName()).append(" suspended ").append(th.isSuspended()).append(", top frame ");
                        try {
                            b.append(th.getTopStackFrame());
                        } catch (Exception e) {
                            b.append("none: ").append(e.getMessage());
                        }
                        b.append('\n');
                    }
                } catch (Exception e) {
                    b.append("  threads: ").append(e.getMessage()).append('\n');
                }
            }
        }
        try { // what the workbench logged last (an exception in a launch delegate or a view ends up there)
            List<String> log = Files.readAllLines(org.eclipse.core.runtime.Platform.getLogFileLocation().toFile().toPath());
            b.append("---- last lines of the error log ----\n");
            log.subList(Math.max(0, log.size() - 40), log.size()).forEach(l -> b.append(l).append('\n'));
        } catch (Exception e) {
            b.append("no error log: ").append(e).append('\n');
        }
        return b.toString();
    }

    /** The Debug view's rows: label, the element behind it, expanded or not (is the view's map of items right?). */
    private static void appendItems(StringBuilder b, org.eclipse.swt.widgets.TreeItem[] items, String indent) {
        for (org.eclipse.swt.widgets.TreeItem item : items) {
            Object data = item.getData();
            b.append(indent).append("row '").append(item.getText()).append("' data ")
                    .append(data == null ? "null" : data.getClass().getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(data)))
                    .append(item.getExpanded() ? " expanded" : "")
                    .append(" selected ").append(java.util.Arrays.asList(item.getParent().getSelection()).contains(item)).append('\n');
            appendItems(b, item.getItems(), indent + "  ");
        }
    }

    /** Like {@link #waitUntil} but returns the first non-null value of {@code value}. */
    static <T> T waitFor(String what, Duration timeout, Supplier<T> value) {
        Object[] box = new Object[1];
        waitUntil(what, timeout, () -> (box[0] = value.get()) != null);
        @SuppressWarnings("unchecked")
        T t = (T) box[0];
        return t;
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Saves the active workbench window as {@code target/screenshots/NAME} for a reviewer to look at. */
    static Path screenshot(String name) throws Exception {
        // GTK paints after the events that change a view: give it a moment so the capture shows them.
        spin(400);
        Shell shell = shell();
        Display display = shell.getDisplay();
        Rectangle r = shell.getBounds();
        Image image = new Image(display, r.width, r.height);
        GC gc = new GC(display);
        try {
            gc.copyArea(image, r.x, r.y);
        } finally {
            gc.dispose();
        }
        Path dir = Path.of(System.getProperty("multitrace.screenshot.dir", "target/screenshots"));
        Files.createDirectories(dir);
        Path file = dir.resolve(name);
        ImageLoader loader = new ImageLoader();
        loader.data = new ImageData[] {image.getImageData()};
        loader.save(file.toString(), SWT.IMAGE_PNG);
        image.dispose();
        return file;
    }
}
