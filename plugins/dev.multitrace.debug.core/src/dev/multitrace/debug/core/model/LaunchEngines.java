package dev.multitrace.debug.core.model;

import dev.multitrace.core.ExitStatus;
import dev.multitrace.debug.core.MultitraceDebug;
import dev.multitrace.debug.core.ServiceCalls;
import dev.multitrace.session.AttachedEngine;
import dev.multitrace.session.DebugSession;
import dev.multitrace.session.SessionListener;

import java.util.List;

import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.ILaunch;

/**
 * The engines a user attaches to a launch's session from the Engines view, beside the debugger: a syscall tracer and
 * a GDB stub, each with a console of the launch for its lines, closed when the session ends. The same for both debug
 * models: the platform model's target and a CDT (DSF) launch's process. The calls wait for the tracing service a
 * bounded time ({@link ServiceCalls}): the views call them on the UI thread.
 */
public final class LaunchEngines {

    private final ILaunch launch;
    private final DebugSession session;
    private final String name;

    /** @param name what the consoles are named after ({@code loop (pid 1234)}) */
    public LaunchEngines(ILaunch launch, DebugSession session, String name) {
        this.launch = launch;
        this.session = session;
        this.name = name;
    }

    public DebugSession session() {
        return session;
    }

    /** The engines attached for this session besides the debugger (syscall tracer, GDB stub...). */
    public List<AttachedEngine> attached() {
        return session.attachedEngines();
    }

    /** Attaches a syscall tracer to every thread; its lines go to a new console ("syscall tracer: NAME") of the launch. */
    public AttachedEngine attachSyscallTracer() throws DebugException {
        EngineLog log = new EngineLog(launch, "syscall tracer: " + name);
        try {
            AttachedEngine e = ServiceCalls.call(session, "Attach a syscall tracer to " + name, () -> session.attachSyscallTracer(log));
            closeWithSession(log);
            return e;
        } catch (RuntimeException e) {
            log.close();
            throw MultitraceDebugElement.failure("cannot attach a syscall tracer", e);
        } catch (DebugException e) {
            log.close();
            throw e;
        }
    }

    /**
     * Attaches the GDB stub engine on a loopback TCP port (0: any free one; the engine's name says which); its log
     * goes to a new console of the launch. It holds the threads until a gdb connects and continues them.
     */
    public AttachedEngine attachGdbStub(int port) throws DebugException {
        EngineLog log = new EngineLog(launch, "gdbserver: " + name);
        try {
            AttachedEngine e = ServiceCalls.call(session, "Attach a GDB stub on port " + port + " to " + name,
                    () -> session.attachGdbStub(port, log));
            closeWithSession(log);
            return e;
        } catch (DebugException e) {
            log.close();
            throw e;
        } catch (RuntimeException e) {
            log.close();
            throw new DebugException(MultitraceDebug.error("cannot start the GDB stub on port " + port + ": "
                    + MultitraceDebug.describe(e), e));
        }
    }

    /** Detaches an engine from every thread (its holds go with it). */
    public void detach(AttachedEngine engine) throws DebugException {
        try {
            ServiceCalls.run(session, "Detach " + engine.name() + " from " + name, () -> session.detachEngine(engine));
        } catch (RuntimeException e) {
            throw MultitraceDebugElement.failure("cannot detach " + engine.name(), e);
        }
    }

    private void closeWithSession(EngineLog log) {
        session.addListener(new SessionListener() {
            @Override
            public void sessionEnded(ExitStatus status) {
                log.close();
            }
        });
    }
}
