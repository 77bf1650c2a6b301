package dev.multitrace.debug.ui.tests;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;

/**
 * Finding the project's own widgets under a parent: they carry a {@code "name"} data key (set by
 * the launch tabs and property pages for this purpose), which stays stable when labels change.
 */
final class Controls {

    private Controls() {
    }

    /** The control named {@code name} under {@code root}, of the given type; fails the test if absent. */
    static <T extends Control> T named(Control root, String name, Class<T> type) {
        Control c = find(root, name);
        assertNotNull(c, "no control named " + name);
        return type.cast(c);
    }

    private static Control find(Control root, String name) {
        if (name.equals(root.getData("name"))) {
            return root;
        }
        if (root instanceof Composite c) {
            for (Control child : c.getChildren()) {
                Control found = find(child, name);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}
