package dev.multitrace.dsf.ui;

import org.eclipse.cdt.debug.core.ICDTLaunchConfigurationConstants;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;

/**
 * What the Multitrace Debugger tab sets in a CDT launch configuration. Stopping on startup uses CDT's own
 * attributes (so a configuration switched between GDB and Multitrace keeps it); the engines and non-stop
 * are Multitrace's.
 *
 * @param stopOnStartup    stop when the program reaches {@code stopSymbol} (a launch) or stay suspended where the
 *                         attach caught it (an attach)
 * @param stopSymbol       the function a launch stops in, {@code main} by default
 * @param syscallTracer    the syscall tracer engine on every thread, its lines in a console of the launch
 * @param gdbStubPort      a GDB remote stub on this loopback port (0: none) that a real gdb can join
 * @param nonStop          a thread stops alone (false: all-stop)
 * @param followForks      the program's fork children are debugged too, each a process of the launch held where its
 *                         fork returns (gdb's {@code detach-on-fork off}); false: they are let go (gdb's default)
 */
public record DebuggerSettings(boolean stopOnStartup, String stopSymbol, boolean syscallTracer, int gdbStubPort,
        boolean nonStop, boolean followForks) {

    private static final String P = MultitraceDsfUiPlugin.PLUGIN_ID + ".";
    /** Boolean, default false. */
    public static final String SYSCALL_TRACER = P + "syscallTracer";
    /** Int, default 0 (none): the GDB stub's TCP port on the loopback interface. */
    public static final String GDB_STUB_PORT = P + "gdbStubPort";
    /** Boolean, default false. */
    public static final String NON_STOP = P + "nonStop";
    /**
     * Boolean, default false: CDT's own attribute for DSF-GDB's "Automatically debug forked processes", so that a
     * configuration switched between GDB and Multitrace keeps it.
     */
    public static final String FOLLOW_FORKS = "org.eclipse.cdt.dsf.gdb.DEBUG_ON_FORK";
    /** Boolean, default false: an attached process stays suspended where the attach caught it (else it runs on). */
    public static final String SUSPEND_AFTER_ATTACH = P + "suspendAfterAttach";

    public static final String DEFAULT_STOP_SYMBOL = "main";

    /** The settings of a launch of a program. */
    public static DebuggerSettings ofLaunch(ILaunchConfiguration c) throws CoreException {
        return read(c, c.getAttribute(ICDTLaunchConfigurationConstants.ATTR_DEBUGGER_STOP_AT_MAIN, true));
    }

    /** The settings of an attach: "stop on startup" is whether the attached process stays suspended. */
    public static DebuggerSettings ofAttach(ILaunchConfiguration c) throws CoreException {
        return read(c, c.getAttribute(SUSPEND_AFTER_ATTACH, false));
    }

    private static DebuggerSettings read(ILaunchConfiguration c, boolean stop) throws CoreException {
        String symbol = c.getAttribute(ICDTLaunchConfigurationConstants.ATTR_DEBUGGER_STOP_AT_MAIN_SYMBOL, DEFAULT_STOP_SYMBOL).strip();
        int port = c.getAttribute(GDB_STUB_PORT, 0);
        if (port < 0 || port > 65535) {
            throw new CoreException(SessionAdapters.error("GDB stub port " + port + " is not a TCP port (1-65535, or 0 for no stub)", null));
        }
        if (stop && symbol.isEmpty()) {
            throw new CoreException(SessionAdapters.error("stop on startup names no function to stop in", null));
        }
        return new DebuggerSettings(stop, symbol.isEmpty() ? DEFAULT_STOP_SYMBOL : symbol, c.getAttribute(SYSCALL_TRACER, false),
                port, c.getAttribute(NON_STOP, false), c.getAttribute(FOLLOW_FORKS, false));
    }

    /** Writes these settings; {@code attach} says which attribute "stop on startup" is. */
    public void write(ILaunchConfigurationWorkingCopy c, boolean attach) {
        if (attach) {
            c.setAttribute(SUSPEND_AFTER_ATTACH, stopOnStartup);
        } else {
            c.setAttribute(ICDTLaunchConfigurationConstants.ATTR_DEBUGGER_STOP_AT_MAIN, stopOnStartup);
            c.setAttribute(ICDTLaunchConfigurationConstants.ATTR_DEBUGGER_STOP_AT_MAIN_SYMBOL, stopSymbol);
        }
        c.setAttribute(SYSCALL_TRACER, syscallTracer);
        c.setAttribute(GDB_STUB_PORT, gdbStubPort);
        c.setAttribute(NON_STOP, nonStop);
        c.setAttribute(FOLLOW_FORKS, followForks);
    }

    public static DebuggerSettings defaults(boolean attach) {
        return new DebuggerSettings(!attach, DEFAULT_STOP_SYMBOL, false, 0, false, false);
    }
}
