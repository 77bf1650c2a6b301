package dev.multitrace.debug.ui.presentation;

import org.eclipse.core.filesystem.EFS;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.runtime.IPath;
import org.eclipse.debug.core.model.IValue;
import org.eclipse.debug.core.sourcelookup.containers.LocalFileStorage;
import org.eclipse.debug.ui.IDebugModelPresentation;
import org.eclipse.debug.ui.IValueDetailListener;
import org.eclipse.jface.viewers.LabelProvider;
import org.eclipse.swt.graphics.Image;
import org.eclipse.ui.IEditorDescriptor;
import org.eclipse.ui.IEditorInput;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.ide.FileStoreEditorInput;
import org.eclipse.ui.ide.IDE;
import org.eclipse.ui.part.FileEditorInput;

import dev.multitrace.debug.core.breakpoints.MultitraceBreakpoint;
import dev.multitrace.debug.core.breakpoints.MultitraceWatchpoint;
import dev.multitrace.debug.core.model.MultitraceStackFrame;
import dev.multitrace.debug.ui.MultitraceUi;

/**
 * Labels of Multitrace debug elements and the editors their sources open in. Images are the
 * platform's defaults (running/suspended threads, frames), which the Debug view supplies when this
 * returns none.
 */
public final class MultitraceModelPresentation extends LabelProvider implements IDebugModelPresentation {

    /** The text editor: the ruler toggles Multitrace breakpoints in it and it needs no C tooling. */
    static final String TEXT_EDITOR = "org.eclipse.ui.DefaultTextEditor";

    @Override
    public void setAttribute(String attribute, Object value) {
        // no presentation options (type names, etc.) apply to this model
    }

    @Override
    public Image getImage(Object element) {
        return null;
    }

    /**
     * Threads and targets label themselves (a thread's name says why it is stopped and which other
     * engines hold it); a frame adds its pc, which instruction stepping needs.
     */
    @Override
    public String getText(Object element) {
        if (element instanceof MultitraceStackFrame frame) {
            return frame.getName() + "  [0x" + Long.toHexString(frame.pc()) + "]";
        }
        if (element instanceof MultitraceWatchpoint w) {
            return "watch " + w.getExpression() + (w.isAccess() ? " [reads and writes]" : " [writes]");
        }
        if (element instanceof MultitraceBreakpoint bp) {
            return BreakpointLabels.of(bp);
        }
        return null;
    }

    @Override
    public void computeDetail(IValue value, IValueDetailListener listener) {
        String detail;
        try {
            detail = value.getValueString();
        } catch (org.eclipse.debug.core.DebugException e) {
            detail = e.getStatus().getMessage();
        }
        listener.detailComputed(value, detail);
    }

    @Override
    public IEditorInput getEditorInput(Object element) {
        element = sourceOf(element);
        if (element instanceof IFile file) {
            return new FileEditorInput(file);
        }
        if (element instanceof LocalFileStorage storage) {
            return new FileStoreEditorInput(EFS.getLocalFileSystem().getStore(IPath.fromFile(storage.getFile())));
        }
        return null;
    }

    @Override
    public String getEditorId(IEditorInput input, Object element) {
        element = sourceOf(element);
        if (element instanceof IFile file) {
            try {
                IEditorDescriptor d = IDE.getEditorDescriptor(file, true, true);
                if (d != null && !d.isOpenExternal() && !d.isOpenInPlace()) {
                    return d.getId();
                }
            } catch (PartInitException e) {
                MultitraceUi.log(e.getStatus());
            }
        }
        return input == null ? null : TEXT_EDITOR;
    }

    /**
     * A line breakpoint stands for its source (the Breakpoints view opens it): the workspace file
     * its marker is on, or, for a file outside the workspace (marker on the root), that file.
     */
    private static Object sourceOf(Object element) {
        if (element instanceof dev.multitrace.debug.core.breakpoints.MultitraceLineBreakpoint lb && lb.getMarker() != null) {
            if (lb.getMarker().getResource() instanceof IFile file) {
                return file;
            }
            java.nio.file.Path path = lb.getSourcePath();
            return path == null ? element : new LocalFileStorage(path.toFile());
        }
        return element;
    }
}
