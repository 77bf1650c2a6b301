package dev.multitrace.debug.core;

import dev.multitrace.session.DebugSession;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/** Ends the live debug sessions when the bundle stops (IDE shutdown): attached processes are detached cleanly. */
public final class MultitraceDebugActivator implements BundleActivator {

    @Override
    public void start(BundleContext context) {
        // nothing: sessions start with launches
    }

    /** How long the IDE's shutdown waits for the sessions to end (a stuck tracer thread must not hold File > Exit). */
    static final long END_WAIT_MS = 5000;

    @Override
    public void stop(BundleContext context) throws InterruptedException {
        // Ending a session asks its tracer thread (kill or detach); that thread may be stuck. Wait a
        // bounded time: programs the IDE launched die with it anyway (the service traces them with
        // PTRACE_O_EXITKILL).
        Thread ender = new Thread(DebugSession::endAll, "multitrace-end-sessions");
        ender.setDaemon(true);
        ender.start();
        ender.join(END_WAIT_MS);
    }
}
