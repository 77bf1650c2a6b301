package dev.multitrace.dsf;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/** The bundle's activator: DSF services register themselves in the OSGi registry through this bundle's context. */
public final class MultitraceDsfPlugin implements BundleActivator {

    public static final String PLUGIN_ID = "dev.multitrace.dsf";

    private static volatile BundleContext context;

    @Override
    public void start(BundleContext c) {
        context = c;
    }

    @Override
    public void stop(BundleContext c) {
        context = null;
    }

    /** The bundle's context while it is active. */
    public static BundleContext getBundleContext() {
        BundleContext c = context;
        if (c == null) {
            throw new IllegalStateException(PLUGIN_ID + " is not active");
        }
        return c;
    }
}
