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
 * Which editors show a C/C++ source a line breakpoint can be set in: text editors (plain text
 * editors included) on a file with a C/C++ extension, in the workspace or outside it (File &gt;
 * Open File: an editor input with a {@code file:} URI). The breakpoint's marker goes on the
 * workspace file, or on the workspace root for an outside file (as CDT does); it carries the
 * file's absolute path, by which the debug model resolves it.
 */
public final class SourceFiles {

    static final Set<String> EXTENSIONS = Set.of("c", "h", "cc", "cpp", "cxx", "c++", "hh", "hpp", "hxx", "s", "S");

    /**
     * Where a breakpoint in an editor's source goes.
     *
     * @param file the workspace file, null for a file outside the workspace
     * @param path the file's absolute path
     */
    public record Source(IFile file, Path path) {

        /** The resource the breakpoint's marker goes on. */
        public IResource markerResource() {
            return file != null ? file : ResourcesPlugin.getWorkspace().getRoot();
        }
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
        if (input instanceof IURIEditorInput uriInput && uriInput.getURI() != null
                && "file".equals(uriInput.getURI().getScheme())) {
            Path path = Path.of(uriInput.getURI()).toAbsolutePath().normalize();
            return isSource(path) ? new Source(null, path) : null;
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
