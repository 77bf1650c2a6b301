package dev.multitrace.debug.core.sourcelookup;

import dev.multitrace.debug.core.model.MultitraceStackFrame;

import java.io.File;
import java.net.URI;

import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.debug.core.sourcelookup.AbstractSourceLookupParticipant;
import org.eclipse.debug.core.sourcelookup.containers.LocalFileStorage;

/**
 * Finds a frame's source: the line table's path as a workspace file when the workspace has it (so
 * the editor can toggle line breakpoints on it), else the file itself outside the workspace, else
 * by name in the launch's source containers.
 */
public class MultitraceSourceLookupParticipant extends AbstractSourceLookupParticipant {

    @Override
    public String getSourceName(Object object) throws CoreException {
        return object instanceof MultitraceStackFrame f ? f.getSourceName() : null;
    }

    @Override
    public Object[] findSourceElements(Object object) throws CoreException {
        if (object instanceof MultitraceStackFrame f && f.getSourcePath() != null) {
            File file = new File(f.getSourcePath());
            if (file.isAbsolute()) {
                URI uri = file.toURI();
                IFile[] inWorkspace = ResourcesPlugin.getWorkspace().getRoot().findFilesForLocationURI(uri);
                for (IFile w : inWorkspace) {
                    if (w.exists()) {
                        return new Object[] {w};
                    }
                }
                if (file.isFile()) {
                    return new Object[] {new LocalFileStorage(file)};
                }
            }
        }
        return super.findSourceElements(object);
    }
}
