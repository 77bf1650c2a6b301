package dev.multitrace.debug.ui.hover;

import dev.multitrace.debug.core.MultitraceDebug;
import dev.multitrace.debug.core.model.MultitraceStackFrame;

import org.eclipse.core.runtime.IAdaptable;
import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.model.IValue;
import org.eclipse.debug.ui.DebugUITools;
import org.eclipse.jface.text.BadLocationException;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.IRegion;
import org.eclipse.jface.text.ITextHover;
import org.eclipse.jface.text.ITextSelection;
import org.eclipse.jface.text.ITextViewer;
import org.eclipse.jface.text.Region;
import org.eclipse.swt.widgets.Display;

/**
 * The editor hover of a C source while a Multitrace thread is suspended: the value of the identifier under
 * the mouse (with the member accesses before it, {@code head->next->count} when over {@code count}), or of the
 * selected text when the mouse is over the selection, evaluated as C in the frame selected in the Debug view:
 * {@code head->next = 0x4088 <chain+24>}. Nothing is shown when no Multitrace frame is selected, or for an
 * identifier that names nothing there (a keyword, a type, a function of another scope); a selected expression
 * that cannot be evaluated shows why.
 */
public final class VariableHover implements ITextHover {

    @Override
    public IRegion getHoverRegion(ITextViewer viewer, int offset) {
        if (viewer.getSelectionProvider() != null && viewer.getSelectionProvider().getSelection() instanceof ITextSelection s
                && s.getLength() > 0 && offset >= s.getOffset() && offset <= s.getOffset() + s.getLength()) {
            return new Region(s.getOffset(), s.getLength());
        }
        return expressionAt(viewer.getDocument(), offset);
    }

    /** The identifier at {@code offset} with the {@code .}/{@code ->} accesses in front of it, or null. */
    static IRegion expressionAt(IDocument doc, int offset) {
        try {
            if (doc == null || offset < 0 || offset > doc.getLength()) {
                return null;
            }
            int end = offset;
            while (end < doc.getLength() && isIdentifierPart(doc.getChar(end))) {
                end++;
            }
            int start = offset;
            while (true) {
                while (start > 0 && isIdentifierPart(doc.getChar(start - 1))) {
                    start--;
                }
                if (start >= 1 && doc.getChar(start - 1) == '.' && start >= 2 && isIdentifierPart(doc.getChar(start - 2))) {
                    start--;
                } else if (start >= 2 && doc.getChar(start - 1) == '>' && doc.getChar(start - 2) == '-' && start >= 3
                        && isIdentifierPart(doc.getChar(start - 3))) {
                    start -= 2;
                } else {
                    break;
                }
            }
            if (start == end || Character.isDigit(doc.getChar(start))) {
                return null;
            }
            return new Region(start, end - start);
        } catch (BadLocationException e) {
            return null;
        }
    }

    private static boolean isIdentifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    @Override
    @SuppressWarnings("deprecation") // ITextHover's own method; the information-control variant adds nothing for text
    public String getHoverInfo(ITextViewer viewer, IRegion region) {
        if (region == null) {
            return null;
        }
        String expression;
        try {
            expression = viewer.getDocument().get(region.getOffset(), region.getLength()).strip();
        } catch (BadLocationException e) {
            return null;
        }
        boolean selected = viewer.getSelectionProvider() != null && viewer.getSelectionProvider().getSelection() instanceof ITextSelection s
                && s.getOffset() == region.getOffset() && s.getLength() == region.getLength() && s.getLength() > 0;
        return describe(expression, selectedFrame(), selected);
    }

    /**
     * What the hover says for {@code expression} in {@code frame}: {@code expression = value}, the evaluator's
     * message for a {@code selected} expression that cannot be evaluated, else null (no hover).
     */
    public static String describe(String expression, MultitraceStackFrame frame, boolean selected) {
        if (frame == null || expression.isEmpty() || !frame.isSuspended()) {
            return null;
        }
        try {
            IValue v = frame.evaluate(expression);
            return expression + " = " + v.getValueString();
        } catch (DebugException e) {
            return selected ? expression + ": " + MultitraceDebug.describe(e) : null;
        }
    }

    /** The frame selected in the Debug view (read on the UI thread: hovers are computed on another). */
    private static MultitraceStackFrame selectedFrame() {
        MultitraceStackFrame[] frame = new MultitraceStackFrame[1];
        Runnable read = () -> {
            IAdaptable context = DebugUITools.getDebugContext();
            if (context != null) {
                frame[0] = context.getAdapter(MultitraceStackFrame.class);
                if (frame[0] == null && context instanceof MultitraceStackFrame f) {
                    frame[0] = f;
                }
            }
        };
        Display display = Display.getDefault();
        if (Display.getCurrent() == display) {
            read.run();
        } else {
            display.syncExec(read);
        }
        return frame[0];
    }
}
