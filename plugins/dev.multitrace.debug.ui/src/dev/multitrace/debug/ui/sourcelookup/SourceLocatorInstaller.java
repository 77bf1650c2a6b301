package dev.multitrace.debug.ui.sourcelookup;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.ILaunchListener;
import org.eclipse.ui.IStartup;

import dev.multitrace.debug.ui.MultitraceUi;
import dev.multitrace.debug.core.LaunchAttributes;
import dev.multitrace.debug.core.MultitraceDebug;

/**
 * Gives every Multitrace launch (launched or attached) this bundle's source lookup when its launch
 * configuration type names none. A launch is added before its delegate creates the debug target,
 * so the locator is in place before the first frame needs a source.
 */
public final class SourceLocatorInstaller implements ILaunchListener, IStartup {

    @Override
    public void earlyStartup() {
        DebugPlugin.getDefault().getLaunchManager().addLaunchListener(this);
    }

    @Override
    public void launchAdded(ILaunch launch) {
        ILaunchConfiguration configuration = launch.getLaunchConfiguration();
        if (launch.getSourceLocator() != null || configuration == null) {
            return;
        }
        try {
            if (!MultitraceDebug.LAUNCH_TYPE_ID.equals(configuration.getType().getIdentifier())) {
                return;
            }
            MultitraceSourceLookupDirector director = new MultitraceSourceLookupDirector();
            director.setSourcePathComputer(DebugPlugin.getDefault().getLaunchManager()
                    .getSourcePathComputer(MultitraceSourcePathComputer.ID));
            director.initializeDefaults(configuration);
            launch.setSourceLocator(director);
        } catch (CoreException e) {
            MultitraceUi.log(e.getStatus());
        }
    }

    @Override
    public void launchRemoved(ILaunch launch) {
        // nothing kept per launch
    }

    @Override
    public void launchChanged(ILaunch launch) {
        // the locator is set once, when the launch is added
    }
}
