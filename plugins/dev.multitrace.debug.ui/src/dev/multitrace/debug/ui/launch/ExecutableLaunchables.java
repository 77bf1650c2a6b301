package dev.multitrace.debug.ui.launch;

import org.eclipse.core.resources.IFile;
import org.eclipse.core.runtime.IAdapterFactory;
import org.eclipse.debug.ui.actions.ILaunchable;

/**
 * Makes workspace files {@link ILaunchable}, which is what puts Debug As and Run As in their
 * context menus (Project Explorer and the other navigators): the platform offers those menus for a
 * selection only if an ILaunchable adapter is registered for it (its
 * {@code org.eclipse.debug.core.launchable} test asks the adapter registry, without loading this
 * factory), and on its own it registers one for editor inputs only. A C/C++ plugin or JDT would
 * register it for their elements; an ELF file may have no extension, so it is registered here for
 * every file, and this factory answers only for executables (the menus' entries are then chosen by
 * each shortcut's own enablement: ours asks {@link ExecutableTester}).
 */
public final class ExecutableLaunchables implements IAdapterFactory {

    /** ILaunchable is a marker: one instance does for every file. */
    private static final ILaunchable LAUNCHABLE = new ILaunchable() {
    };

    @Override
    public <T> T getAdapter(Object adaptableObject, Class<T> adapterType) {
        if (adapterType == ILaunchable.class && adaptableObject instanceof IFile file && file.getLocation() != null
                && ExecutableTester.isElfExecutable(file.getLocation().toPath())) {
            return adapterType.cast(LAUNCHABLE);
        }
        return null;
    }

    @Override
    public Class<?>[] getAdapterList() {
        return new Class<?>[] {ILaunchable.class};
    }
}
