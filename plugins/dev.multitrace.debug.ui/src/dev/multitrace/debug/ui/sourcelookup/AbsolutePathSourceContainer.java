package dev.multitrace.debug.ui.sourcelookup;

import java.io.File;
import java.nio.file.Path;

import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.debug.core.sourcelookup.ISourceContainerType;
import org.eclipse.debug.core.sourcelookup.containers.AbstractSourceContainer;
import org.eclipse.debug.core.sourcelookup.containers.LocalFileStorage;

/**
 * Finds a source by the absolute path DWARF recorded for it (compile directory + file name): the
 * workspace file at that location when there is one (so the workspace editor and its ruler
 * breakpoints are used), else the file on disk.
 */
public final class AbsolutePathSourceContainer extends AbstractSourceContainer {

    public static final String TYPE_ID = "dev.multitrace.debug.ui.absolutePathContainer";

    @Override
    public Object[] findSourceElements(String name) throws CoreException {
        if (name == null || !name.startsWith("/")) {
            return EMPTY;
        }
        File file = Path.of(name).normalize().toFile();
        if (!file.isFile()) {
            return EMPTY;
        }
        IFile[] inWorkspace = ResourcesPlugin.getWorkspace().getRoot().findFilesForLocationURI(file.toURI());
        for (IFile f : inWorkspace) {
            if (f.exists()) {
                return new Object[] {f};
            }
        }
        return new Object[] {new LocalFileStorage(file)};
    }

    @Override
    public String getName() {
        return "Absolute paths from the debug information";
    }

    @Override
    public ISourceContainerType getType() {
        return getSourceContainerType(TYPE_ID);
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof AbsolutePathSourceContainer;
    }

    @Override
    public int hashCode() {
        return AbsolutePathSourceContainer.class.hashCode();
    }
}
