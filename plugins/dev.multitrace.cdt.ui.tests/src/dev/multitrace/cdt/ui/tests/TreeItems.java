package dev.multitrace.cdt.ui.tests;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.swt.widgets.Tree;
import org.eclipse.swt.widgets.TreeItem;

/** The rows of a view's tree as a user reads them: each expanded, with the texts of its columns. */
final class TreeItems {

    private TreeItems() {
    }

    /** Every row, depth first, expanding collapsed ones (their children appear at a later call). */
    static List<TreeItem> expandAll(Tree tree) {
        List<TreeItem> out = new ArrayList<>();
        walk(tree, tree.getItems(), out);
        return out;
    }

    private static void walk(Tree tree, TreeItem[] items, List<TreeItem> out) {
        for (TreeItem i : items) {
            out.add(i);
            if (i.getItemCount() > 0 && !i.getExpanded()) {
                i.setExpanded(true);
                // The debug views' viewers fill a row's children when it is expanded (SWT.Expand).
                org.eclipse.swt.widgets.Event e = new org.eclipse.swt.widgets.Event();
                e.item = i;
                tree.notifyListeners(org.eclipse.swt.SWT.Expand, e);
            }
            walk(tree, i.getItems(), out);
        }
    }

    /** The first row whose first column is {@code name}; null if none yet. */
    static TreeItem named(Tree tree, String name) {
        for (TreeItem i : expandAll(tree)) {
            if (name.equals(i.getText(0))) {
                return i;
            }
        }
        return null;
    }
}
