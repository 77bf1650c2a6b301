package dev.multitrace.debug.core;

import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;

/** Identifiers of the Multitrace debug model and small helpers shared by its classes. */
public final class MultitraceDebug {

    /** This bundle. */
    public static final String PLUGIN_ID = "dev.multitrace.debug.core";
    /** The debug model identifier of every Multitrace debug element and breakpoint. */
    public static final String MODEL_ID = "dev.multitrace.debug.core.model";
    /** The launch configuration type "Multitrace Application" (modes run and debug). */
    public static final String LAUNCH_TYPE_ID = "dev.multitrace.debug.core.launchType";
    /** The source locator that launches of {@link #LAUNCH_TYPE_ID} use. */
    public static final String SOURCE_LOCATOR_ID = "dev.multitrace.debug.core.sourceLocator";
    /** The source path computer of {@link #LAUNCH_TYPE_ID}. */
    public static final String SOURCE_PATH_COMPUTER_ID = "dev.multitrace.debug.core.sourcePathComputer";
    /** Marker types of the three breakpoint kinds (persistent). */
    public static final String LINE_BREAKPOINT_MARKER = "dev.multitrace.debug.core.lineBreakpointMarker";
    public static final String FUNCTION_BREAKPOINT_MARKER = "dev.multitrace.debug.core.functionBreakpointMarker";
    public static final String ADDRESS_BREAKPOINT_MARKER = "dev.multitrace.debug.core.addressBreakpointMarker";
    /** Marker type of watchpoints (persistent). */
    public static final String WATCHPOINT_MARKER = "dev.multitrace.debug.core.watchpointMarker";

    private MultitraceDebug() {
    }

    public static IStatus error(String message, Throwable cause) {
        return new Status(IStatus.ERROR, PLUGIN_ID, message, cause);
    }

    /** A message for the user from a failure of the layers below: its message, else its type. */
    public static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }
}
