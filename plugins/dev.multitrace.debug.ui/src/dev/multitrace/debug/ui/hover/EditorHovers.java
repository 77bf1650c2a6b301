package dev.multitrace.debug.ui.hover;

import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.ITextOperationTarget;
import org.eclipse.jface.text.ITextViewerExtension2;
import org.eclipse.ui.IEditorPart;
import org.eclipse.ui.IPartListener2;
import org.eclipse.ui.IStartup;
import org.eclipse.ui.IWindowListener;
import org.eclipse.ui.IWorkbench;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.IWorkbenchPartReference;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.texteditor.ITextEditor;

/**
 * Puts the {@link VariableHover} on the text editors of C sources. The product opens C files in the platform's
 * text editor (no C editor is installed), whose hovers come from its fixed viewer configuration; so the hover is
 * set on each such editor's viewer when it opens, as the text hover of its default content type.
 */
public final class EditorHovers implements IStartup {

    /** The file name endings of C and C++ sources (as the cSource content type). */
    private static final Set<String> C_SOURCES = Set.of("c", "h", "cc", "cpp", "cxx", "hpp", "hh");

    private static final Map<ITextEditor, VariableHover> INSTALLED = new WeakHashMap<>();

    @Override
    public void earlyStartup() {
        IWorkbench workbench = PlatformUI.getWorkbench();
        workbench.getDisplay().asyncExec(() -> {
            workbench.addWindowListener(new IWindowListener() {
                @Override
                public void windowOpened(IWorkbenchWindow window) {
                    watch(window);
                }

                @Override
                public void windowActivated(IWorkbenchWindow window) {
                    // nothing: windows are watched from when they open
                }

                @Override
                public void windowDeactivated(IWorkbenchWindow window) {
                    // nothing
                }

                @Override
                public void windowClosed(IWorkbenchWindow window) {
                    // its pages and editors go with it
                }
            });
            for (IWorkbenchWindow window : workbench.getWorkbenchWindows()) {
                watch(window);
            }
        });
    }

    private static void watch(IWorkbenchWindow window) {
        for (IWorkbenchPage page : window.getPages()) {
            for (var ref : page.getEditorReferences()) {
                install(ref.getEditor(false));
            }
        }
        window.getPartService().addPartListener(new IPartListener2() {
            @Override
            public void partOpened(IWorkbenchPartReference ref) {
                if (ref.getPart(false) instanceof IEditorPart editor) {
                    install(editor);
                }
            }
        });
    }

    /** Sets the hover on {@code part} if it is a text editor of a C source. */
    static void install(IEditorPart part) {
        if (!(part instanceof ITextEditor editor) || !isCSource(editor.getEditorInput().getName())) {
            return;
        }
        synchronized (INSTALLED) {
            if (INSTALLED.containsKey(editor)) {
                return;
            }
        }
        if (editor.getAdapter(ITextOperationTarget.class) instanceof ITextViewerExtension2 viewer) {
            VariableHover hover = new VariableHover();
            viewer.setTextHover(hover, IDocument.DEFAULT_CONTENT_TYPE, ITextViewerExtension2.DEFAULT_HOVER_STATE_MASK);
            synchronized (INSTALLED) {
                INSTALLED.put(editor, hover);
            }
        }
    }

    private static boolean isCSource(String name) {
        int dot = name.lastIndexOf('.');
        return dot >= 0 && C_SOURCES.contains(name.substring(dot + 1));
    }

    /** The hover set on {@code editor}, or null (for tests, and to see that an editor has one). */
    public static VariableHover hoverOf(ITextEditor editor) {
        synchronized (INSTALLED) {
            return INSTALLED.get(editor);
        }
    }
}
