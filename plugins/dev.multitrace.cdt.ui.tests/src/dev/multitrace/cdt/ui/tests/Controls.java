package dev.multitrace.cdt.ui.tests;

import org.eclipse.swt.custom.StyledText;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;

/** Texts shown in a window's widgets, read as a user reads them. */
final class Controls {

    private Controls() {
    }

    /** The first line of a visible styled text (an editor-like view) under {@code root} containing {@code text}; null if none. */
    static String lineContaining(Composite root, String text) {
        return lineContaining(root, line -> line.contains(text));
    }

    /** The line with the caret of a visible styled text under {@code root} that {@code wanted} accepts; null if none. */
    static String caretLine(Composite root, java.util.function.Predicate<String> wanted) {
        for (Control c : root.getChildren()) {
            if (c instanceof StyledText st && st.isVisible() && st.getCharCount() > 0) {
                String line = st.getLine(st.getLineAtOffset(st.getCaretOffset()));
                if (wanted.test(line)) {
                    return line;
                }
            }
            if (c instanceof Composite comp) {
                String found = caretLine(comp, wanted);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /** The first line of a visible styled text under {@code root} that {@code wanted} accepts; null if none. */
    static String lineContaining(Composite root, java.util.function.Predicate<String> wanted) {
        for (Control c : root.getChildren()) {
            if (c instanceof StyledText st && st.isVisible()) {
                for (String line : st.getText().split("\n")) {
                    if (wanted.test(line)) {
                        return line;
                    }
                }
            }
            if (c instanceof Composite comp) {
                String found = lineContaining(comp, wanted);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}
