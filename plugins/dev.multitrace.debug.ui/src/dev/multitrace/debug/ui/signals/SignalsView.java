package dev.multitrace.debug.ui.signals;

import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

import org.eclipse.debug.ui.DebugUITools;
import org.eclipse.debug.ui.contexts.DebugContextEvent;
import org.eclipse.debug.ui.contexts.IDebugContextListener;
import org.eclipse.debug.ui.contexts.IDebugContextService;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.CellEditor;
import org.eclipse.jface.viewers.CheckboxCellEditor;
import org.eclipse.jface.viewers.EditingSupport;
import org.eclipse.jface.viewers.ISelection;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Table;
import org.eclipse.ui.part.ViewPart;

import dev.multitrace.session.SignalSettings;
import dev.multitrace.session.SignalSettings.Setting;
import dev.multitrace.debug.ui.DebugContexts;
import dev.multitrace.debug.ui.TableColumns;

/**
 * "Signals": what the debugger does with each signal in the selected session (pass it to the
 * program, stop, notify), editable by clicking a cell. Follows the Debug view's selection.
 */
public final class SignalsView extends ViewPart {

    public static final String ID = "dev.multitrace.debug.ui.SignalsView";

    private TableViewer viewer;
    private SignalSettings settings;
    private final IDebugContextListener contextListener = this::contextChanged;

    @Override
    public void createPartControl(Composite parent) {
        viewer = new TableViewer(parent, SWT.FULL_SELECTION | SWT.H_SCROLL | SWT.V_SCROLL);
        Table table = viewer.getTable();
        table.setHeaderVisible(true);
        table.setLinesVisible(true);
        text("Signal", 150, Setting::name);
        text("Number", 70, s -> Integer.toString(s.signal()));
        flag("Pass", Setting::pass, (s, v) -> settings.set(s.signal(), v, s.stop(), s.print()));
        flag("Stop", Setting::stop, (s, v) -> settings.set(s.signal(), s.pass(), v, s.print() || v));
        flag("Notify", Setting::print, (s, v) -> settings.set(s.signal(), s.pass(), s.stop() && v, v));
        viewer.setContentProvider(ArrayContentProvider.getInstance());
        IDebugContextService service = DebugUITools.getDebugContextManager().getContextService(getSite().getWorkbenchWindow());
        service.addDebugContextListener(contextListener);
        show(service.getActiveContext());
    }

    private void text(String title, int width, Function<Setting, String> text) {
        TableColumns.text(viewer, SWT.LEFT, title, width, Setting.class, text);
    }

    /** A change to one flag of one signal; the settings object applies its own rules (stop implies notify). */
    private interface FlagChange {
        void apply(Setting setting, boolean value);
    }

    private void flag(String title, Predicate<Setting> value, FlagChange change) {
        TableViewerColumn c = TableColumns.text(viewer, SWT.CENTER, title, 70, Setting.class, s -> value.test(s) ? "yes" : "no");
        c.setEditingSupport(new EditingSupport(viewer) {
            @Override
            protected CellEditor getCellEditor(Object element) {
                return new CheckboxCellEditor(viewer.getTable());
            }

            @Override
            protected boolean canEdit(Object element) {
                return settings != null;
            }

            @Override
            protected Object getValue(Object element) {
                return value.test((Setting) element);
            }

            @Override
            protected void setValue(Object element, Object newValue) {
                change.apply((Setting) element, (Boolean) newValue);
                refresh();
            }
        });
    }

    private void contextChanged(DebugContextEvent event) {
        if ((event.getFlags() & DebugContextEvent.ACTIVATED) != 0) {
            show(event.getContext());
        }
    }

    private void show(ISelection context) {
        Object element = context instanceof IStructuredSelection s ? s.getFirstElement() : null;
        SignalSettings found = DebugContexts.signalSettings(element);
        if (found == null && settings != null) {
            return; // keep the last session's table while something unrelated is selected
        }
        settings = found;
        setContentDescription(settings == null ? "Select a Multitrace session in the Debug view." : "");
        refresh();
    }

    /** Changes one signal's settings as a click on its cells would (tests, keyboard users). */
    public void set(int signal, boolean pass, boolean stop, boolean notify) {
        settings.set(signal, pass, stop, notify);
        refresh();
    }

    /** Re-reads the settings. */
    public void refresh() {
        List<Setting> rows = settings == null ? List.of() : settings.all();
        viewer.setInput(rows);
    }

    public TableViewer viewer() {
        return viewer;
    }

    @Override
    public void setFocus() {
        viewer.getControl().setFocus();
    }

    @Override
    public void dispose() {
        DebugUITools.getDebugContextManager().getContextService(getSite().getWorkbenchWindow())
                .removeDebugContextListener(contextListener);
        super.dispose();
    }
}
