package dev.multitrace.debug.ui.sourcelookup;

import org.eclipse.debug.core.sourcelookup.ISourceContainer;
import org.eclipse.debug.core.sourcelookup.containers.AbstractSourceContainerTypeDelegate;

/** Persists {@link AbsolutePathSourceContainer} in launch configurations (it has no state). */
public final class AbsolutePathSourceContainerType extends AbstractSourceContainerTypeDelegate {

    @Override
    public ISourceContainer createSourceContainer(String memento) {
        return new AbsolutePathSourceContainer();
    }

    @Override
    public String getMemento(ISourceContainer container) {
        return "absolute";
    }
}
