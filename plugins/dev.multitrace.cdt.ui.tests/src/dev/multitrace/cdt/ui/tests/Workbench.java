package dev.multitrace.cdt.ui.tests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

import org.eclipse.core.runtime.preferences.IEclipsePreferences;
import org.eclipse.core.runtime.preferences.InstanceScope;
import org.eclipse.jface.dialogs.MessageDialogWithToggle;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PlatformUI;

/**
 * What these UI tests do with the real workbench: run its event loop, wait for conditions, close
 * prompts nobody expects, take screenshots (as dev.multitrace.debug.ui.tests does, for a workbench
 * with CDT).
 */
final class Workbench {

    private static final int WATCHDOG_MS = 1000;
    private static boolean watchdogStarted;
    private static final List<String> closedDialogs = new ArrayList<>();

    /** Shells a test opened on purpose (the New C Project wizard); the watchdog leaves them. */
    static final Set<Shell> expectedShells = new HashSet<>();

    /** Dialogs a test waits for (a launch's prompt, its error), as their drivers know them: the watchdog leaves them. */
    static final Set<java.util.function.Predicate<Shell>> awaitedDialogs = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private Workbench() {
    }

    /** No modal "switch perspective?" or "wait for build?" prompts; a window as large as the screen. */
    static void prepare() throws Exception {
        IEclipsePreferences debugUi = InstanceScope.INSTANCE.getNode("org.eclipse.debug.ui");
        debugUi.put("org.eclipse.debug.ui.switch_perspective_on_suspend", MessageDialogWithToggle.ALWAYS);
        debugUi.put("org.eclipse.debug.ui.switch_to_perspective", MessageDialogWithToggle.ALWAYS);
        debugUi.putBoolean("org.eclipse.debug.ui.build_before_launch", false);
        debugUi.put("org.eclipse.debug.ui.wait_for_build", MessageDialogWithToggle.NEVER);
        debugUi.flush();
        IWorkbenchWindow window = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
        Shell shell = window.getShell();
        shell.setBounds(shell.getDisplay().getPrimaryMonitor().getClientArea());
        if (!watchdogStarted) {
            watchdogStarted = true;
            shell.getDisplay().timerExec(WATCHDOG_MS, Workbench::closeUnexpectedDialogs);
        }
        spin();
    }

    /** A modal dialog nobody expects would block the UI thread the test runs on: close it, keep its title. */
    private static void closeUnexpectedDialogs() {
        Display display = Display.getCurrent();
        Shell main = shell();
        for (Shell s : display.getShells()) {
            if (s != main && s.isVisible() && (s.getStyle() & (SWT.APPLICATION_MODAL | SWT.PRIMARY_MODAL | SWT.SYSTEM_MODAL)) != 0
                    && !expectedShells.contains(s) && awaitedDialogs.stream().noneMatch(d -> d.test(s)) && s.getParent() != null) {
                closedDialogs.add(s.getText());
                System.err.println("closing unexpected dialog: " + s.getText());
                s.close();
            }
        }
        display.timerExec(WATCHDOG_MS, Workbench::closeUnexpectedDialogs);
    }

    static IWorkbenchPage page() {
        return PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
    }

    static Shell shell() {
        IWorkbenchWindow w = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
        return w == null ? null : w.getShell();
    }

    static void spin() {
        Display d = Display.getCurrent();
        while (d.readAndDispatch()) {
            // drain
        }
    }

    static void spin(long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        Display d = Display.getCurrent();
        while (System.nanoTime() < end) {
            if (!d.readAndDispatch()) {
                sleepBriefly();
            }
        }
    }

    /** Runs the event loop until {@code condition} holds; fails with {@code what} (and a screenshot) after {@code timeout}. */
    static void waitUntil(String what, Duration timeout, BooleanSupplier condition) {
        waitUntil(() -> what, timeout, condition);
    }

    /** As {@link #waitUntil(String, Duration, BooleanSupplier)}, with the failure's text made when it fails (a state dump). */
    static void waitUntil(java.util.function.Supplier<String> whatNow, Duration timeout, BooleanSupplier condition) {
        long end = System.nanoTime() + timeout.toNanos();
        Display d = Display.getCurrent();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                String what = whatNow.get();
                try {
                    screenshot("timeout-" + what.replaceAll("[^A-Za-z0-9]+", "-").substring(0, Math.min(80, what.length())) + ".png");
                } catch (Exception e) {
                    System.err.println("no screenshot: " + e);
                }
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting until " + what
                        + (closedDialogs.isEmpty() ? "" : "; dialogs closed meanwhile: " + closedDialogs));
            }
            if (!d.readAndDispatch()) {
                sleepBriefly();
            }
        }
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Saves the active window (or {@code shell}) as {@code target/screenshots/NAME}. */
    static Path screenshot(String name) throws Exception {
        return screenshot(name, shell());
    }

    static Path screenshot(String name, Shell shell) throws Exception {
        spin(400); // GTK paints after the events that changed a view
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
        loader.data = new ImageData[] { image.getImageData() };
        loader.save(file.toString(), SWT.IMAGE_PNG);
        image.dispose();
        return file;
    }

    /** The first non-null value of {@code value}, waited for at most 10 s. */
    static <T> T waitFor(java.util.function.Supplier<T> value) {
        return waitFor(Duration.ofSeconds(10), "a value is there", value);
    }

    /** The first non-null value of {@code value}; fails with {@code what} after {@code timeout}. */
    static <T> T waitFor(Duration timeout, String what, java.util.function.Supplier<T> value) {
        Object[] box = new Object[1];
        waitUntil(what, timeout, () -> (box[0] = value.get()) != null);
        @SuppressWarnings("unchecked")
        T t = (T) box[0];
        return t;
    }

    /** Waits at most {@code timeout} for the workbench's jobs of {@code family} (a build) while the UI runs. */
    static void join(Object family, Duration timeout) {
        waitUntil("jobs of " + family + " are done", timeout,
                () -> org.eclipse.core.runtime.jobs.Job.getJobManager().find(family).length == 0);
    }
}
