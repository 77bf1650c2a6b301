package dev.multitrace.debug.ui;

import java.util.function.Function;

import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;

/** Table columns whose cells show one text per row, as the Engines and Signals views and the attach dialog use them. */
public final class TableColumns {

    private TableColumns() {
    }

    /**
     * Adds a column titled {@code title}, {@code width} pixels wide, aligned by {@code style}
     * (SWT.LEFT, SWT.CENTER), whose cell shows {@code text} of the row; the viewer's rows must be
     * of {@code rowType}.
     */
    public static <R> TableViewerColumn text(TableViewer viewer, int style, String title, int width, Class<R> rowType,
            Function<? super R, String> text) {
        TableViewerColumn c = new TableViewerColumn(viewer, style);
        c.getColumn().setText(title);
        c.getColumn().setWidth(width);
        c.setLabelProvider(new ColumnLabelProvider() {
            @Override
            public String getText(Object element) {
                return text.apply(rowType.cast(element));
            }
        });
        return c;
    }
}
