package dev.multitrace.debug.ui.breakpoints;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

import org.eclipse.core.resources.IFile;
import org.eclipse.core.runtime.Adapters;
import org.eclipse.ui.IEditorInput;
import org.eclipse.ui.IWorkbenchPart;
import org.eclipse.ui.texteditor.ITextEditor;

/**
 * Which editors show a C/C++ source a line breakpoint can be set in: text editors on a workspace
 * file with a C/C++ extension (the breakpoint's marker goes on that file, and the debug model
 * resolves it by the file's location). Files outside the workspace get none: link their folder
 * into a project.
 */
public final class SourceFiles {

    static final Set<String> EXTENSIONS = Set.of("c", "h", "cc", "cpp", "cxx", "c++", "hh", "hpp", "hxx", "s", "S");

    /** Where a breakpoint in an editor's source goes. */
    public record Source(IFile file, Path path) {
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
