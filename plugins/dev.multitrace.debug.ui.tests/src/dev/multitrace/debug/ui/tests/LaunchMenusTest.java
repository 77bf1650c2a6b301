package dev.multitrace.debug.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.eclipse.core.resources.IFile;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;
import org.eclipse.swt.widgets.Tree;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.navigator.CommonNavigator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

/**
 * Where a newcomer looks for Debug As / Run As > Multitrace Application: the context menu of the
 * program in the Project Explorer, and the Run menu, in the Resource perspective a new workspace
 * opens in. The menus are the real ones, filled as SWT fills them when they are shown.
 */
public class LaunchMenusTest {

    private static final String RESOURCE_PERSPECTIVE = "org.eclipse.ui.resourcePerspective";
    private static final String PROJECT_EXPLORER = "org.eclipse.ui.navigator.ProjectExplorer";
    private static final String ENTRY = "Multitrace Application";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @BeforeEach
    void resourcePerspective() throws Exception {
        // The platform shows Debug As / Run As for any resource while org.eclipse.debug.core is not
        // yet active, and from its activation on (the first launch, the first breakpoint) only for
        // elements with an ILaunchable adapter: test the menus as they are for the rest of a session.
        DebugPlugin.getDefault().getLaunchManager();
        assertEquals(Bundle.ACTIVE, FrameworkUtil.getBundle(DebugPlugin.class).getState(), "org.eclipse.debug.core is active");
        IWorkbenchWindow window = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
        PlatformUI.getWorkbench().showPerspective(RESOURCE_PERSPECTIVE, window);
        Workbench.spin();
    }

    /** Selects {@code file} in the Project Explorer and returns the explorer's tree. */
    private static Tree selectInProjectExplorer(IFile file) throws Exception {
        CommonNavigator explorer = Workbench.showView(PROJECT_EXPLORER);
        explorer.selectReveal(new StructuredSelection(file));
        Workbench.page().activate(explorer);
        Workbench.waitUntil(file.getName() + " is selected in the Project Explorer", WAIT,
                () -> explorer.getCommonViewer().getStructuredSelection().getFirstElement() instanceof IFile f && f.equals(file));
        return explorer.getCommonViewer().getTree();
    }

    @Test
    void theProjectExplorerContextMenuOfAnExecutableOffersDebugAsAndRunAs() throws Exception {
        IFile binary = SampleProject.binary("sample");
        Tree tree = selectInProjectExplorer(binary);
        Menu context = tree.getMenu();
        assertNotNull(context, "the Project Explorer has a context menu");
        show(context);
        for (String submenu : List.of("Debug As", "Run As")) {
            MenuItem as = item(context, submenu);
            assertNotNull(as, submenu + " in the context menu of " + binary.getName() + ": " + texts(context));
            Menu entries = as.getMenu();
            show(entries);
            assertTrue(texts(entries).stream().anyMatch(t -> t.endsWith(ENTRY)), submenu + " offers " + ENTRY + ": " + texts(entries));
        }
        screenshotWithMenuOpen(tree, context);
        hide(context);

        // Its C source is no program: no Multitrace entry there.
        Tree again = selectInProjectExplorer(SampleProject.source("sample"));
        Menu sourceMenu = again.getMenu();
        show(sourceMenu);
        MenuItem debugAs = item(sourceMenu, "Debug As");
        if (debugAs != null) {
            show(debugAs.getMenu());
            assertFalse(texts(debugAs.getMenu()).stream().anyMatch(t -> t.endsWith(ENTRY)), texts(debugAs.getMenu()).toString());
        }
        hide(sourceMenu);
    }

    @Test
    void theRunMenuOfTheResourcePerspectiveOffersDebugAsAndRunAs() throws Exception {
        selectInProjectExplorer(SampleProject.binary("sample"));
        Menu bar = Workbench.shell().getMenuBar();
        MenuItem run = item(bar, "Run");
        assertNotNull(run, "a Run menu: " + texts(bar));
        Menu runMenu = run.getMenu();
        show(runMenu);
        for (String submenu : List.of("Debug As", "Run As")) {
            MenuItem as = item(runMenu, submenu);
            assertNotNull(as, submenu + " in the Run menu of the Resource perspective: " + texts(runMenu));
            show(as.getMenu());
            assertTrue(texts(as.getMenu()).stream().anyMatch(t -> t.endsWith(ENTRY)),
                    "Run > " + submenu + " offers " + ENTRY + ": " + texts(as.getMenu()));
            hide(as.getMenu());
        }
        hide(runMenu);
    }

    /** Fills a menu as SWT does just before it appears (menu managers and launch menus fill on SWT.Show). */
    private static void show(Menu menu) {
        menu.notifyListeners(SWT.Show, new Event());
        Workbench.spin();
    }

    private static void hide(Menu menu) {
        menu.notifyListeners(SWT.Hide, new Event());
        Workbench.spin();
    }

    /** The item whose text, without mnemonics and accelerators, is {@code text}; null if none. */
    private static MenuItem item(Menu menu, String text) {
        return Arrays.stream(menu.getItems()).filter(i -> plain(i.getText()).equals(text)).findFirst().orElse(null);
    }

    private static List<String> texts(Menu menu) {
        List<String> out = new ArrayList<>();
        for (MenuItem i : menu.getItems()) {
            out.add(plain(i.getText()));
        }
        return out;
    }

    private static String plain(String text) {
        int tab = text.indexOf('\t');
        return (tab >= 0 ? text.substring(0, tab) : text).replace("&", "").strip();
    }

    /**
     * Opens the context menu on screen over the selected item and takes the screenshot: a user's
     * right-click, as a reviewer would see it. Then the Debug As submenu is opened with the keyboard
     * (real key events through Display.post: down to it, right into it).
     */
    private static void screenshotWithMenuOpen(Tree tree, Menu context) throws Exception {
        Display display = tree.getDisplay();
        Point at = tree.toDisplay(tree.getSelection()[0].getBounds().x + 20, tree.getSelection()[0].getBounds().y + 8);
        context.setLocation(at);
        context.setVisible(true);
        Workbench.spin(500);
        int steps = 0;
        for (MenuItem i : context.getItems()) {
            if ((i.getStyle() & SWT.SEPARATOR) != 0 || !i.isEnabled()) {
                continue;
            }
            steps++;
            if (plain(i.getText()).equals("Debug As")) {
                break;
            }
        }
        for (int i = 0; i < steps; i++) {
            key(display, SWT.ARROW_DOWN);
        }
        key(display, SWT.ARROW_RIGHT);
        Workbench.spin(500);
        Workbench.screenshot("project-explorer-debug-as.png");
        key(display, SWT.ESC);
        key(display, SWT.ESC);
        context.setVisible(false);
        Workbench.spin(200);
    }

    private static void key(Display display, int keyCode) {
        Event down = new Event();
        down.type = SWT.KeyDown;
        down.keyCode = keyCode;
        display.post(down);
        Event up = new Event();
        up.type = SWT.KeyUp;
        up.keyCode = keyCode;
        display.post(up);
        Workbench.spin(100);
    }
}
