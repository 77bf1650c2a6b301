package dev.multitrace.debug.core;

/**
 * The attributes of a "Multitrace Application" launch configuration ({@link MultitraceDebug#LAUNCH_TYPE_ID}).
 * Environment variables use the platform's {@code ILaunchManager.ATTR_ENVIRONMENT_VARIABLES}
 * (a {@code Map<String,String>}) and {@code ILaunchManager.ATTR_APPEND_ENVIRONMENT_VARIABLES}
 * (true: added to the IDE's environment; false: replace it); the common tab's attributes work as usual.
 */
public final class LaunchAttributes {

    private static final String P = MultitraceDebug.PLUGIN_ID + ".";

    /** String: the program's path (absolute, or relative to the workspace root). Required. */
    public static final String PROGRAM = P + "program";
    /** String: the arguments, split as a shell would (quotes and backslashes; no expansion). Default: none. */
    public static final String ARGUMENTS = P + "arguments";
    /** String: the working directory. Default: the program's directory. */
    public static final String WORKING_DIRECTORY = P + "workingDirectory";
    /** String: one of {@link #STOP_AT_MAIN}, {@link #STOP_AT_ENTRY}, {@link #STOP_NONE}. Default: main. Debug mode only. */
    public static final String STOP_MODE = P + "stopMode";
    public static final String STOP_AT_MAIN = "main";
    public static final String STOP_AT_ENTRY = "entry";
    public static final String STOP_NONE = "none";
    /** Boolean: also attach the syscall tracer engine (its output goes to its own console). Default false. */
    public static final String SYSCALL_TRACER = P + "syscallTracer";
    /**
     * Int: also attach a GDB remote stub engine listening on this TCP port of the loopback
     * interface; 0 for none (default). As gdbserver, it holds the threads until a GDB client
     * connects ({@code target remote :PORT}) and continues them; its log is a console of the launch.
     */
    public static final String GDB_STUB_PORT = P + "gdbStubPort";
    /** Boolean: non-stop mode (a thread stops alone); false is all-stop. Default false. */
    public static final String NON_STOP = P + "nonStop";
    /**
     * Boolean: start the program with address space randomization disabled
     * ({@code personality(ADDR_NO_RANDOMIZE)}), so its stack, heap and load addresses are the same in
     * every run, as gdb's {@code set disable-randomization on} and CDT's option of the same name.
     * Default true, as in both.
     */
    public static final String DISABLE_RANDOMIZATION = P + "disableRandomization";
    /** Int: attach to this running process instead of launching (set by the attach action); absent or 0: launch. */
    public static final String ATTACH_PID = P + "attachPid";

    private LaunchAttributes() {
    }
}
