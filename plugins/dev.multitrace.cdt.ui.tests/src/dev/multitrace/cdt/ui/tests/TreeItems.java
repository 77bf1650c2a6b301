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

    /** The number in a row of a variables-like view: its value column, or "name = value" without columns. */
    static Long number(TreeItem item) {
        for (int c = 1; c < Math.max(2, item.getParent().getColumnCount()); c++) {
            String v = item.getText(c).strip();
            Long n = parse(v);
            if (n != null) {
                return n;
            }
        }
        String label = item.getText(0);
        int eq = label.indexOf('=');
        return eq < 0 ? null : parse(label.substring(eq + 1).strip());
    }

    private static Long parse(String v) {
        try {
            if (v.startsWith("0x")) {
                return Long.parseUnsignedLong(v.substring(2).split("\\s")[0], 16);
            }
            return v.isEmpty() ? null : Long.parseUnsignedLong(v.split("\\s")[0]);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
