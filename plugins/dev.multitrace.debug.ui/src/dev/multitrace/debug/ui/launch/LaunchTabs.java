package dev.multitrace.debug.ui.launch;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Group;

/** What the Main and Multitrace launch tabs both do: titled groups, and reading attributes that may be unreadable. */
final class LaunchTabs {

    private LaunchTabs() {
    }

    /**
     * A titled group of {@code columns} columns filling the tab's width; {@code verticalAlignment}
     * (SWT.FILL, SWT.TOP) and {@code grabVertical} say how it takes the tab's height.
     */
    static Group group(Composite parent, String title, int columns, int verticalAlignment, boolean grabVertical) {
        Group g = new Group(parent, SWT.NONE);
        g.setText(title);
        g.setLayout(new GridLayout(columns, false));
        g.setLayoutData(new GridData(SWT.FILL, verticalAlignment, true, grabVertical));
        return g;
    }

    /*
     * A configuration whose attribute cannot be read (a corrupt file) shows the fallback, so the
     * user can fix it in the tab instead of getting a tab that fails to open.
     */

    static String string(ILaunchConfiguration configuration, String key, String fallback) {
        try {
            return configuration.getAttribute(key, fallback);
        } catch (CoreException e) {
            return fallback;
        }
    }

    static boolean bool(ILaunchConfiguration configuration, String key) {
        return bool(configuration, key, false);
    }

    static boolean bool(ILaunchConfiguration configuration, String key, boolean fallback) {
        try {
            return configuration.getAttribute(key, fallback);
        } catch (CoreException e) {
            return fallback;
        }
    }

    static int integer(ILaunchConfiguration configuration, String key, int fallback) {
        try {
            return configuration.getAttribute(key, fallback);
        } catch (CoreException e) {
            return fallback;
        }
    }
}
