package dev.multitrace.dsf.ui;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.ILaunchesListener2;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/** The bundle's activator: keeps the UI adapters of each Multitrace launch (live or postmortem), and drops them with the launch. */
public final class MultitraceDsfUiPlugin implements BundleActivator {

    public static final String PLUGIN_ID = "dev.multitrace.dsf.ui";

    private static volatile MultitraceDsfUiPlugin instance;

    private final Map<SessionLaunch, SessionAdapters> adapters = new HashMap<>();
    /**
     * Launches removed from the manager (weakly held): a listener after ours (the platform's perspective manager)
     * still asks a removed launch for its adapters; made again they would keep the launch for good.
     */
    private final Set<SessionLaunch> removedLaunches = Collections.newSetFromMap(new WeakHashMap<>());
    private final ILaunchesListener2 launches = new ILaunchesListener2() {
        @Override
        public void launchesRemoved(ILaunch[] removed) {
            for (ILaunch l : removed) {
                SessionAdapters a;
                synchronized (adapters) {
                    a = adapters.remove(l);
                    if (l instanceof SessionLaunch sl) {
                        removedLaunches.add(sl);
                    }
                }
                if (a != null) {
                    a.dispose();
                }
            }
        }

        @Override
        public void launchesAdded(ILaunch[] added) {
        }

        @Override
        public void launchesChanged(ILaunch[] changed) {
        }

        @Override
        public void launchesTerminated(ILaunch[] terminated) {
        }
    };

    @Override
    public void start(BundleContext context) {
        instance = this;
        DebugPlugin.getDefault().getLaunchManager().addLaunchListener(launches);
    }

    @Override
    public void stop(BundleContext context) {
        DebugPlugin.getDefault().getLaunchManager().removeLaunchListener(launches);
        synchronized (adapters) {
            adapters.values().forEach(SessionAdapters::dispose);
            adapters.clear();
        }
        instance = null;
    }

    static MultitraceDsfUiPlugin get() {
        MultitraceDsfUiPlugin p = instance;
        if (p == null) {
            throw new IllegalStateException(PLUGIN_ID + " is not active");
        }
        return p;
    }

    /**
     * The adapters of {@code launch}, made at the first ask (the Debug view asks as soon as it is added); null for a
     * launch removed from the manager, or one whose session ended before anybody asked (its executor takes no more
     * work: they could not be made).
     */
    SessionAdapters adapters(SessionLaunch launch) {
        synchronized (adapters) {
            SessionAdapters a = adapters.get(launch);
            if (a == null && !removedLaunches.contains(launch) && !launch.executor.isShutdown()) {
                a = new SessionAdapters(launch);
                adapters.put(launch, a);
            }
            return a;
        }
    }
}
