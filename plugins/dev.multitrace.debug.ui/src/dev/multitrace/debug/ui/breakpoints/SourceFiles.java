package dev.multitrace.debug.ui.breakpoints;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.Adapters;
import org.eclipse.ui.IEditorInput;
import org.eclipse.ui.IURIEditorInput;
import org.eclipse.ui.IWorkbenchPart;
import org.eclipse.ui.texteditor.ITextEditor;

/**
 * Which editors show a C/C++ source a line breakpoint can be set in, and where that source is: the
 * workspace file (its marker goes on it) or a file outside the workspace (its marker goes on the
 * workspace root, with the path as an attribute, so the Breakpoints view lists it).
 */
public final class SourceFiles {

    static final Set<String> EXTENSIONS = Set.of("c", "h", "cc", "cpp", "cxx", "c++", "hh", "hpp", "hxx", "s", "S");

    /** Where a breakpoint in an editor's source goes. */
    public record Source(IResource markerResource, Path path) {
    }

    private SourceFiles() {
    }

    /** The source shown by {@code part}, or null when it is not a text editor on a C/C++ file. */
    public static Source of(IWorkbenchPart part) {
        if (!(part instanceof ITextEditor editor)) {
            return null;
        }
        return of(editor.getEditorInput());
    }

    static Source of(IEditorInput input) {
        IFile file = Adapters.adapt(input, IFile.class);
        if (file != null && file.getLocation() != null) {
            Path path = file.getLocation().toPath();
            return isSource(path) ? new Source(file, path) : null;
        }
        if (input instanceof IURIEditorInput u && "file".equals(u.getURI().getScheme())) {
            Path path = Path.of(u.getURI());
            return isSource(path) ? new Source(ResourcesPlugin.getWorkspace().getRoot(), path) : null;
        }
        return null;
    }

    static boolean isSource(Path path) {
        String name = path.getFileName().toString();
        int dot = name.lastIndexOf('.');
        if (dot < 0) {
            return false;
        }
        String ext = name.substring(dot + 1);
        return EXTENSIONS.contains(ext) || EXTENSIONS.contains(ext.toLowerCase(Locale.ROOT));
    }
}
