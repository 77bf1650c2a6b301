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
        System.err.println(b);
        try {
            screenshot("timeout-" + what.replaceAll("[^A-Za-z0-9]+", "-") + ".png");
        } catch (Exception e) {
            System.err.println("no screenshot: " + e);
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
