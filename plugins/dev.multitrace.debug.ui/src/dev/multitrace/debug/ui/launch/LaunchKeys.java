package dev.multitrace.debug.ui.launch;

/**
 * The launch configuration attributes the tabs edit. They are the debug model's keys (its launch
 * delegate reads them); kept in one place here so the tabs, the shortcut and the tests agree.
 */
public final class LaunchKeys {

    /** The "Multitrace Application" launch configuration type. */
    public static final String TYPE_ID = "dev.multitrace.debug.core.launchType";

    public static final String PROGRAM = "dev.multitrace.debug.core.program";
    public static final String ARGUMENTS = "dev.multitrace.debug.core.arguments";
    public static final String WORKING_DIRECTORY = "dev.multitrace.debug.core.workingDirectory";
    /** One of {@link #STOP_AT_MAIN}, {@link #STOP_AT_ENTRY}, {@link #STOP_NONE}. */
    public static final String STOP_AT = "dev.multitrace.debug.core.stopAt";
    public static final String STOP_AT_MAIN = "main";
    public static final String STOP_AT_ENTRY = "entry";
    public static final String STOP_NONE = "none";
    public static final String SYSCALL_TRACER = "dev.multitrace.debug.core.syscallTracer";
    public static final String GDB_STUB = "dev.multitrace.debug.core.gdbStub";
    public static final String GDB_STUB_PORT = "dev.multitrace.debug.core.gdbStubPort";
    public static final int DEFAULT_GDB_STUB_PORT = 2345;
    public static final String NON_STOP = "dev.multitrace.debug.core.nonStop";

    private LaunchKeys() {
    }
}
