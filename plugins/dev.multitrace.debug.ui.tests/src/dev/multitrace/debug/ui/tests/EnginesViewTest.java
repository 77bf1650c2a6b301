package dev.multitrace.debug.ui.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.debug.ui.EnginesView;
import dev.multitrace.debug.ui.EnginesView.EngineRow;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

/** Runs in the real workbench (Tycho UI harness, under Xvfb). */
public class EnginesViewTest {

    @Test
    void enginesViewOpensInTheWorkbenchAndShowsRows() throws Exception {
        IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
        EnginesView view = (EnginesView) page.showView(EnginesView.ID);
        Table table = view.viewer().getTable();
        String[] titles = Arrays.stream(table.getColumns()).map(TableColumn::getText).toArray(String[]::new);
        assertArrayEquals(new String[] {"Thread", "Engine", "Events", "Holds stop"}, titles);

        view.setRows(List.of(new EngineRow(4242, "debugger", "QUIESCE|SIGNAL", true),
                new EngineRow(4242, "syscall tracer", "SYSCALL_ENTRY|SYSCALL_EXIT", false)));
        spin();
        assertEquals(2, table.getItemCount());
        assertEquals("debugger", table.getItem(0).getText(1));
        assertEquals("yes", table.getItem(0).getText(3));
        assertEquals("", table.getItem(1).getText(3));

        Path png = screenshot("workbench-engines-view.png");
        assertTrue(Files.size(png) > 1000, "screenshot written: " + png);
    }

    @Test
    void multitraceBundlesAreActiveInTheWorkbench() {
        Bundle ui = FrameworkUtil.getBundle(EnginesView.class);
        assertEquals(Bundle.ACTIVE, ui.getState(), "dev.multitrace.debug.ui is active");
        for (String name : List.of("dev.multitrace.linux", "dev.multitrace.core", "dev.multitrace.debug.core")) {
            Bundle b = Arrays.stream(ui.getBundleContext().getBundles())
                    .filter(x -> x.getSymbolicName().equals(name)).findFirst().orElseThrow(() -> new AssertionError(name + " installed"));
            assertTrue((b.getState() & (Bundle.RESOLVED | Bundle.ACTIVE | Bundle.STARTING)) != 0, name + " resolved");
        }
    }

    private static void spin() {
        Display d = Display.getCurrent();
        while (d.readAndDispatch()) {
            // drain pending UI work so the table shows the new input
        }
    }

    /** Saves the active workbench window as a PNG for a reviewer to look at. */
    static Path screenshot(String name) throws Exception {
        spin();
        Shell shell = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell();
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
