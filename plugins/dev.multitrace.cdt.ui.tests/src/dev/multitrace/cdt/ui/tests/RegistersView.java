package dev.multitrace.cdt.ui.tests;

import java.time.Duration;

import org.eclipse.debug.ui.IDebugUIConstants;
import org.eclipse.debug.ui.IDebugView;
import org.eclipse.swt.widgets.Tree;
import org.eclipse.swt.widgets.TreeItem;
import org.eclipse.ui.IWorkbenchPage;

/** What CDT's Registers view shows for the Debug view's selected frame, read from its real tree (UI thread). */
final class RegistersView {

    private RegistersView() {
    }

    /**
     * The value of {@code rip} as the view shows it, waited for at most 20 s, with the view maximized for a
     * screenshot named {@code screenshot} (then restored).
     */
    static long rip(String screenshot) throws Exception {
        IDebugView registers = (IDebugView) Workbench.page().showView(IDebugUIConstants.ID_REGISTER_VIEW);
        Workbench.page().setPartState(Workbench.page().getReference(registers), IWorkbenchPage.STATE_MAXIMIZED);
        Tree registerTree = (Tree) registers.getViewer().getControl();
        long rip = Workbench.waitFor(Duration.ofSeconds(20), "the Registers view shows rip", () -> {
            TreeItem item = TreeItems.named(registerTree, "rip");
            return item == null ? null : TreeItems.number(item);
        });
        Workbench.page().activate(registers);
        Workbench.screenshot(screenshot);
        Workbench.page().setPartState(Workbench.page().getReference(registers), IWorkbenchPage.STATE_RESTORED);
        return rip;
    }
}
