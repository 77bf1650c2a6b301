package dev.multitrace.debug.ui.tests;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.debug.ui.IDebugView;
import org.eclipse.jface.viewers.AbstractTreeViewer;
import org.eclipse.jface.viewers.TreeViewer;
import org.eclipse.jface.viewers.Viewer;
import org.eclipse.swt.widgets.Tree;
import org.eclipse.swt.widgets.TreeItem;
import org.eclipse.ui.PartInitException;

/** Reading the platform's debug views (Debug, Registers, Breakpoints) the way a user sees them: their tree items. */
final class Views {

    private Views() {
    }

    static Tree tree(String viewId) throws PartInitException {
        IDebugView view = Workbench.showView(viewId);
        Viewer viewer = view.getViewer();
        return (Tree) viewer.getControl();
    }

    /** Expands every node of a debug view (its items fill in asynchronously). */
    static void expandAll(String viewId) throws PartInitException {
        IDebugView view = Workbench.showView(viewId);
        if (view.getViewer() instanceof TreeViewer tv) {
            tv.expandToLevel(AbstractTreeViewer.ALL_LEVELS);
        }
        Workbench.spin();
    }

    /** Every item's text (all columns joined by " | "), depth first, of the expanded tree. */
    static List<String> texts(Tree tree) {
        List<String> out = new ArrayList<>();
        for (TreeItem item : tree.getItems()) {
            collect(item, tree.getColumnCount(), out);
        }
        return out;
    }

    private static void collect(TreeItem item, int columns, List<String> out) {
        if (columns <= 1) {
            out.add(item.getText());
        } else {
            StringBuilder b = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                if (c > 0) {
                    b.append(" | ");
                }
                b.append(item.getText(c));
            }
            out.add(b.toString());
        }
        if (item.getExpanded()) {
            for (TreeItem child : item.getItems()) {
                collect(child, columns, out);
            }
        }
    }

    /** Expands the view until an item's text satisfies {@code match}; returns that text. */
    static String awaitItem(String viewId, String what, Duration timeout, java.util.function.Predicate<String> match) throws PartInitException {
        Tree tree = tree(viewId);
        return Workbench.waitFor(what + " in " + viewId, timeout, () -> {
            try {
                expandAll(viewId);
            } catch (PartInitException e) {
                throw new IllegalStateException(e);
            }
            return texts(tree).stream().filter(match).findFirst().orElse(null);
        });
    }
}
