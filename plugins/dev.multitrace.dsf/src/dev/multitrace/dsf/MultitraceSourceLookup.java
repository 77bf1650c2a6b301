package dev.multitrace.dsf;

import java.io.File;

import org.eclipse.cdt.dsf.concurrent.DataRequestMonitor;
import org.eclipse.cdt.dsf.debug.service.ISourceLookup;
import org.eclipse.cdt.dsf.service.DsfSession;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IStorage;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.debug.core.sourcelookup.ISourceLookupDirector;
import org.eclipse.debug.core.sourcelookup.containers.LocalFileStorage;

/**
 * Source files for the paths the line tables name, as the Disassembly view's mixed mode asks for them: through
 * the launch's source lookup director when the launch gave one ({@link #setSourceLookupDirector}: CDT's, with
 * the user's source containers and path mappings), else the file itself when it exists. The Debug view's editor
 * does not come here (it asks the launch's source locator directly). Live and postmortem sessions alike.
 */
public final class MultitraceSourceLookup extends MultitraceService implements ISourceLookup {

    private ISourceLookupDirector director;

    public MultitraceSourceLookup(DsfSession session) {
        super(session, ISourceLookup.class);
    }

    /** The launch's director, asked first from now on (null: only the files as named). Executor thread. */
    public void setSourceLookupDirector(ISourceLookupDirector director) {
        this.director = director;
    }

    @Override
    public void getSource(ISourceLookupDMContext ctx, String debuggerPath, DataRequestMonitor<Object> rm) {
        if (debuggerPath == null || debuggerPath.isEmpty()) {
            rm.setStatus(DebugSessionService.error(REQUEST_FAILED, "no source path given"));
            rm.done();
            return;
        }
        if (director != null) {
            try {
                Object[] found = director.findSourceElements(debuggerPath);
                if (found.length > 0) {
                    rm.setData(found[0]);
                    rm.done();
                    return;
                }
            } catch (CoreException e) {
                // the director failed on this path: the file itself may still be there
            }
        }
        File file = new File(debuggerPath);
        if (file.isFile()) {
            rm.setData(new LocalFileStorage(file));
        } else {
            rm.setStatus(DebugSessionService.error(REQUEST_FAILED, "source not found: " + debuggerPath));
        }
        rm.done();
    }

    @Override
    public void getDebuggerPath(ISourceLookupDMContext ctx, Object source, DataRequestMonitor<String> rm) {
        String path = null;
        if (source instanceof IFile f && f.getLocation() != null) {
            path = f.getLocation().toOSString();
        } else if (source instanceof IStorage s && s.getFullPath() != null) {
            path = s.getFullPath().toOSString();
        } else if (source instanceof File f) {
            path = f.getAbsolutePath();
        } else if (source instanceof String s) {
            path = s;
        }
        if (path == null) {
            rm.setStatus(DebugSessionService.error(REQUEST_FAILED, "not a source file: " + source));
        } else {
            rm.setData(path);
        }
        rm.done();
    }
}
