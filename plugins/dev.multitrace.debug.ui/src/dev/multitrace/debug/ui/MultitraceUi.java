package dev.multitrace.debug.ui;

import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;

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
}
