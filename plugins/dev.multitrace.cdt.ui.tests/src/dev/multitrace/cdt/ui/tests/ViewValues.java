package dev.multitrace.cdt.ui.tests;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.debug.ui.IDebugView;
import org.eclipse.swt.widgets.Tree;
import org.eclipse.swt.widgets.TreeItem;
import org.eclipse.ui.IWorkbenchPage;

/** What a variables-like view (Variables, Expressions) shows in its Value column, read as a user reads it. */
final class ViewValues {

    private ViewValues() {
    }

    /**
     * The values of the rows {@code names} of a variables-like view (its "Value" column), read once all of them
     * show a value; a screenshot of the view maximized.
     */
    static Map<String, String> of(String viewId, List<String> names, String screenshot) throws Exception {
        IDebugView view = (IDebugView) Workbench.page().showView(viewId);
        Workbench.page().setPartState(Workbench.page().getReference(view), IWorkbenchPage.STATE_MAXIMIZED);
        Workbench.page().activate(view);
        Tree tree = (Tree) view.getViewer().getControl();
        try {
            Map<String, String> values = Workbench.waitFor(Duration.ofSeconds(30), viewId + " shows " + names, () -> {
                int column = -1;
                for (int c = 0; c < tree.getColumnCount(); c++) {
                    if (tree.getColumn(c).getText().equals("Value")) {
                        column = c;
                    }
                }
                if (column < 0) {
                    return null;
                }
                Map<String, String> found = new HashMap<>();
                for (String n : names) {
                    TreeItem item = TreeItems.named(tree, n);
                    if (item == null || item.getText(column).isBlank()) {
                        return null;
                    }
                    found.put(n, item.getText(column).strip());
                }
                return found;
            });
            Workbench.screenshot(screenshot);
            return values;
        } finally {
            Workbench.page().setPartState(Workbench.page().getReference(view), IWorkbenchPage.STATE_RESTORED);
        }
    }

}
