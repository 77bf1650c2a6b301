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

    @Override
    public void stop(BundleContext context) {
        DebugSession.endAll();
    }
}
