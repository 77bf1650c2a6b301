package dev.multitrace.debug.ui;

import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Table;
import org.eclipse.ui.part.ViewPart;

import java.util.List;
import java.util.function.Function;

/**
 * Shows, per traced thread, which engines trace it and which of them hold it stopped.
 * The model behind it is a list of {@link EngineRow}s; the debug model feeds it.
 */
public final class EnginesView extends ViewPart {

    public static final String ID = "dev.multitrace.debug.ui.EnginesView";

    /** One engine on one thread, as the view shows it. */
    public record EngineRow(int tid, String engine, String events, boolean holdsStop) {
    }

    static final String[] COLUMNS = {"Thread", "Engine", "Events", "Holds stop"};

    private TableViewer viewer;

    @Override
    public void createPartControl(Composite parent) {
        viewer = new TableViewer(parent, SWT.FULL_SELECTION | SWT.H_SCROLL | SWT.V_SCROLL);
        Table table = viewer.getTable();
        table.setHeaderVisible(true);
        table.setLinesVisible(true);
        column("Thread", 80, r -> Integer.toString(r.tid()));
        column("Engine", 180, EngineRow::engine);
        column("Events", 260, EngineRow::events);
        column("Holds stop", 90, r -> r.holdsStop() ? "yes" : "");
        viewer.setContentProvider(ArrayContentProvider.getInstance());
        viewer.setInput(List.of());
    }

    private void column(String title, int width, Function<EngineRow, String> text) {
        TableViewerColumn c = new TableViewerColumn(viewer, SWT.LEFT);
        c.getColumn().setText(title);
        c.getColumn().setWidth(width);
        c.setLabelProvider(new ColumnLabelProvider() {
            @Override
            public String getText(Object element) {
                return text.apply((EngineRow) element);
            }
        });
    }

    /** Replaces the rows shown; call on the UI thread. */
    public void setRows(List<EngineRow> rows) {
        viewer.setInput(List.copyOf(rows));
    }

    public TableViewer viewer() {
        return viewer;
    }

    @Override
    public void setFocus() {
        viewer.getControl().setFocus();
    }
}
