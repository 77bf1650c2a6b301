package dev.multitrace.debug.ui.stepping;

import org.eclipse.debug.core.DebugEvent;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.IDebugEventSetListener;
import org.eclipse.debug.core.model.IDebugTarget;

import dev.multitrace.debug.core.model.MultitraceDebugTarget;

/**
 * The workbench's instruction-stepping mode: while on, Step Into and Step Over of every Multitrace
 * session step one machine instruction (into or over calls) instead of one source line. Like the
 * toolbar button that shows it, the mode is one for the workbench: it is set on the sessions
 * running now and on each session created later.
 * <p>
 * Synchronization: {@link #on} is volatile; the debug event listener runs on the platform's event
 * dispatch thread and only reads it.
 */
public final class InstructionStepping {

    /** The command ("Instruction Stepping Mode"), a toggle in the Debug view's toolbar and the Run menu. */
    public static final String COMMAND_ID = "dev.multitrace.debug.ui.instructionStepping";

    private static volatile boolean on;
    private static boolean listening;

    private InstructionStepping() {
    }

    public static boolean isOn() {
        return on;
    }

    /** Switches the mode for the sessions running now and those started later. */
    public static synchronized void set(boolean enabled) {
        on = enabled;
        if (!listening) {
            listening = true;
            DebugPlugin.getDefault().addDebugEventListener(NEW_TARGETS);
        }
        for (IDebugTarget t : DebugPlugin.getDefault().getLaunchManager().getDebugTargets()) {
            if (t instanceof MultitraceDebugTarget m) {
                m.setInstructionStepping(enabled);
            }
        }
    }

    /** Sessions created after the mode changed start in it. */
    private static final IDebugEventSetListener NEW_TARGETS = events -> {
        for (DebugEvent e : events) {
            if (e.getKind() == DebugEvent.CREATE && e.getSource() instanceof MultitraceDebugTarget m) {
                m.setInstructionStepping(on);
            }
        }
    };
}
