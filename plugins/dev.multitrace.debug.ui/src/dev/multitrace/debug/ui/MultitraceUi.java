package dev.multitrace.debug.ui;

import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.jface.dialogs.IDialogSettings;
import org.eclipse.ui.PlatformUI;
import org.osgi.framework.FrameworkUtil;

/** The bundle's id, statuses and log; the bundle needs no activator. */
public final class MultitraceUi {

    public static final String PLUGIN_ID = "dev.multitrace.debug.ui";

    private MultitraceUi() {
    }

    public static IStatus error(String message, Throwable cause) {
        return new Status(IStatus.ERROR, PLUGIN_ID, message, cause);
    }

    public static void log(IStatus status) {
        ILog.of(MultitraceUi.class).log(status);
    }

    public static void log(String message, Throwable cause) {
        log(error(message, cause));
    }

    /** The section {@code name} of this bundle's dialog settings (what a dialog remembers between openings), created on first use. */
    public static IDialogSettings dialogSettings(String name) {
        IDialogSettings root = PlatformUI.getDialogSettingsProvider(FrameworkUtil.getBundle(MultitraceUi.class)).getDialogSettings();
        IDialogSettings section = root.getSection(name);
        return section != null ? section : root.addNewSection(name);
    }
}
