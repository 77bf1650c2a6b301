package dev.multitrace.debug.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.jface.viewers.Viewer;
import org.eclipse.swt.widgets.Tree;
import org.eclipse.swt.widgets.TreeItem;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.views.IViewDescriptor;
import org.junit.jupiter.api.Test;
import org.osgi.framework.FrameworkUtil;

/**
 * The platform's Error Log view, which the product ships (org.eclipse.ui.views.log): it is offered
 * under Window > Show View, opens in the workbench, and shows what is logged while it is open.
 */
public class ErrorLogViewTest {

    /** The Error Log's view id (a PDE-era name the platform kept). */
    static final String ERROR_LOG = "org.eclipse.pde.runtime.LogView";

    @Test
    void theErrorLogOpensAndShowsAnEntryLoggedWhileItIsOpen() throws Exception {
        IViewDescriptor descriptor = PlatformUI.getWorkbench().getViewRegistry().find(ERROR_LOG);
        assertNotNull(descriptor, "the Error Log is in the view registry (Window > Show View)");
        assertEquals("Error Log", descriptor.getLabel());

        IViewPart view = Workbench.showView(ERROR_LOG);
        assertEquals("org.eclipse.ui.views.log", FrameworkUtil.getBundle(view.getClass()).getSymbolicName());

        String message = "ErrorLogViewTest entry " + System.nanoTime();
        ILog log = ILog.of(ErrorLogViewTest.class);
        log.log(new Status(IStatus.ERROR, "dev.multitrace.debug.ui.tests", message));
        Tree tree = tree(view);
        Workbench.waitUntil("the logged entry appears in the Error Log", Duration.ofSeconds(20),
                () -> texts(tree).stream().anyMatch(t -> t.contains(message)));
        Workbench.maximized(ERROR_LOG, () -> Workbench.screenshot("error-log.png"));
    }

    /** The view's entry tree: the control of the viewer it publishes as its selection provider. */
    private static Tree tree(IViewPart view) {
        Object provider = view.getSite().getSelectionProvider();
        assertInstanceOf(Viewer.class, provider, "the Error Log's selection provider");
        return assertInstanceOf(Tree.class, ((Viewer) provider).getControl());
    }

    private static List<String> texts(Tree tree) {
        List<String> out = new ArrayList<>();
        for (TreeItem item : tree.getItems()) {
            for (int c = 0; c < Math.max(1, tree.getColumnCount()); c++) {
                out.add(item.getText(c));
            }
        }
        return out;
    }
}
