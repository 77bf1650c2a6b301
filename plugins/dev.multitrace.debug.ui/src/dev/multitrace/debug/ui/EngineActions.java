package dev.multitrace.debug.ui;

import org.eclipse.debug.core.DebugException;
import org.eclipse.jface.dialogs.ErrorDialog;
import org.eclipse.jface.dialogs.InputDialog;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.window.Window;
import org.eclipse.swt.widgets.Shell;

import dev.multitrace.session.AttachedEngine;
import dev.multitrace.session.DebugSession;
import dev.multitrace.debug.core.model.LaunchEngines;
import dev.multitrace.debug.ui.EnginesView.EngineRow;

/** The Engines view's actions: attach a syscall tracer or a GDB stub to a running session (either debug model's), detach an engine. */
final class EngineActions {

    private EngineActions() {
    }

    /** Attaches a syscall tracer to every thread of the session (its lines go to a console of the launch). */
    static AttachedEngine attachSyscallTracer(Shell shell, Object context) {
        LaunchEngines engines = DebugContexts.launchEngines(context);
        if (engines == null) {
            return null;
        }
        try {
            return engines.attachSyscallTracer();
        } catch (DebugException e) {
            ErrorDialog.openError(shell, "Attach Syscall Tracer", "Cannot attach a syscall tracer to process " + engines.session().pid(),
                    e.getStatus());
            return null;
        }
    }

    /** Asks for a TCP port and serves the session's process to gdb on it ({@code target extended-remote :PORT}). */
    static AttachedEngine attachGdbStub(Shell shell, Object context) {
        LaunchEngines engines = DebugContexts.launchEngines(context);
        if (engines == null) {
            return null;
        }
        InputDialog dialog = new InputDialog(shell, "Attach GDB Stub",
                "TCP port for gdb (then in gdb: target extended-remote :PORT):", "2345", EngineActions::portProblem);
        if (dialog.open() != Window.OK) {
            return null;
        }
        return attachGdbStub(shell, engines, Integer.parseInt(dialog.getValue().strip()));
    }

    static AttachedEngine attachGdbStub(Shell shell, LaunchEngines engines, int port) {
        if (engines == null) {
            return null;
        }
        try {
            return engines.attachGdbStub(port);
        } catch (DebugException e) {
            ErrorDialog.openError(shell, "Attach GDB Stub", "Cannot serve process " + engines.session().pid() + " on port " + port,
                    e.getStatus());
            return null;
        }
    }

    static String portProblem(String text) {
        try {
            int p = Integer.parseInt(text.strip());
            return p >= 1 && p <= 65535 ? null : "A TCP port is 1-65535";
        } catch (NumberFormatException e) {
            return "Not a port number: '" + text.strip() + "'";
        }
    }

    /** The debugger engine goes with the session (Disconnect), not from here. */
    static boolean canDetach(EngineRow row) {
        return !DebugSession.DEBUGGER.equals(row.engine());
    }

    /** Detaches the engine of {@code row} (by name) from every thread of the session. */
    static void detach(Shell shell, Object context, EngineRow row) {
        LaunchEngines engines = DebugContexts.launchEngines(context);
        if (engines == null || !canDetach(row)) {
            return;
        }
        for (AttachedEngine a : engines.attached()) {
            // The row names the service engine (its data); an attached engine's own name may say more ("gdb stub :2345").
            var onThread = a.engine(row.tid());
            if (a.name().equals(row.engine()) || onThread != null && row.engine().equals(String.valueOf(onThread.data()))) {
                try {
                    engines.detach(a);
                } catch (DebugException e) {
                    ErrorDialog.openError(shell, "Detach Engine", "Cannot detach " + row.engine(), e.getStatus());
                }
                return;
            }
        }
        MessageDialog.openInformation(shell, "Detach Engine",
                row.engine() + " was not attached by this session (another client owns it), so it is not detached from here.");
    }
}
