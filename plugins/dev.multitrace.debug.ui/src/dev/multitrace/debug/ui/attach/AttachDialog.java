package dev.multitrace.debug.ui.attach;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.dialogs.IDialogSettings;
import org.eclipse.jface.dialogs.TitleAreaDialog;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.Viewer;
import org.eclipse.jface.viewers.ViewerFilter;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.Text;

import dev.multitrace.core.HostProcess;
import dev.multitrace.debug.core.Attach;
import dev.multitrace.debug.ui.MultitraceUi;
import dev.multitrace.debug.ui.TableColumns;

/**
 * "Attach to Process...": the machine's processes with who traces each one now, a filter box and
 * a refresh button. Remembers the last process chosen (by pid, else by name) in the dialog settings.
 */
public final class AttachDialog extends TitleAreaDialog {

    private static final String SETTINGS = "AttachDialog";
    private static final String LAST_PID = "lastPid";
    private static final String LAST_NAME = "lastName";
    private static final String LAST_FILTER = "lastFilter";

    private TableViewer viewer;
    private Text filter;
    private HostProcess chosen;
    /** Why the selected process cannot be attached; null when it can (or nothing is selected). */
    private String problem;

    public AttachDialog(Shell parent) {
        super(parent);
        setShellStyle(getShellStyle() | SWT.RESIZE);
    }

    @Override
    protected void configureShell(Shell shell) {
        super.configureShell(shell);
        shell.setText("Attach to Process");
    }

    @Override
    protected Control createDialogArea(Composite parent) {
        Composite area = (Composite) super.createDialogArea(parent);
        setTitle("Attach to Process");
        setMessage("Choose a process to debug. A process another tracer holds cannot be attached (see 'Traced by').");
        Composite body = new Composite(area, SWT.NONE);
        body.setLayout(new GridLayout(2, false));
        body.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));

        filter = new Text(body, SWT.SEARCH | SWT.ICON_SEARCH | SWT.ICON_CANCEL | SWT.BORDER);
        filter.setMessage("Filter by pid, name, user or command line");
        filter.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        filter.setData("name", "filter");
        Button refresh = new Button(body, SWT.PUSH);
        refresh.setText("&Refresh");
        refresh.setData("name", "refresh");
        refresh.addListener(SWT.Selection, e -> refresh());

        viewer = new TableViewer(body, SWT.SINGLE | SWT.FULL_SELECTION | SWT.BORDER | SWT.V_SCROLL | SWT.H_SCROLL);
        Table table = viewer.getTable();
        table.setHeaderVisible(true);
        table.setLinesVisible(true);
        GridData tableData = new GridData(SWT.FILL, SWT.FILL, true, true, 2, 1);
        tableData.heightHint = 380;
        tableData.widthHint = 860;
        table.setLayoutData(tableData);
        column("PID", 70, p -> Integer.toString(p.pid()));
        column("Name", 140, HostProcess::name);
        column("User", 90, HostProcess::user);
        column("Traced by", 150, AttachDialog::tracedBy);
        column("Command line", 400, p -> String.join(" ", p.commandLine()));
        viewer.setContentProvider(ArrayContentProvider.getInstance());
        viewer.addFilter(new ViewerFilter() {
            @Override
            public boolean select(Viewer v, Object parentElement, Object element) {
                return matches((HostProcess) element, filter.getText());
            }
        });
        filter.addModifyListener(e -> viewer.refresh());
        viewer.addSelectionChangedListener(e -> validate());
        viewer.addDoubleClickListener(e -> {
            if (getButton(IDialogConstants.OK_ID).isEnabled()) {
                okPressed();
            }
        });

        String lastFilter = settings().get(LAST_FILTER);
        if (lastFilter != null) {
            filter.setText(lastFilter);
        }
        refresh();
        return area;
    }

    @Override
    protected void createButtonsForButtonBar(Composite parent) {
        createButton(parent, IDialogConstants.OK_ID, "&Attach", true);
        createButton(parent, IDialogConstants.CANCEL_ID, IDialogConstants.CANCEL_LABEL, false);
        validate();
    }

    private void column(String title, int width, Function<HostProcess, String> text) {
        TableColumns.text(viewer, SWT.LEFT, title, width, HostProcess.class, text);
    }

    static String tracedBy(HostProcess p) {
        if (!p.traced()) {
            return "";
        }
        return p.tracerName().isEmpty() ? Integer.toString(p.tracerPid()) : p.tracerName() + " (" + p.tracerPid() + ")";
    }

    /** Case-insensitive match of every word of {@code text} against pid, name, user or command line. */
    static boolean matches(HostProcess p, String text) {
        String haystack = (p.pid() + " " + p.name() + " " + p.user() + " " + String.join(" ", p.commandLine()))
                .toLowerCase(Locale.ROOT);
        for (String word : text.trim().toLowerCase(Locale.ROOT).split("\\s+")) {
            if (!word.isEmpty() && !haystack.contains(word)) {
                return false;
            }
        }
        return true;
    }

    /** Re-reads the process list, keeping the selection (or the remembered choice) when it is still there. */
    public void refresh() {
        HostProcess selected = selection();
        List<HostProcess> all = Attach.processes();
        viewer.setInput(all);
        HostProcess again = null;
        if (selected != null) {
            again = find(all, selected.pid(), selected.name());
        } else {
            IDialogSettings s = settings();
            String pid = s.get(LAST_PID);
            String name = s.get(LAST_NAME);
            if (pid != null) {
                again = find(all, Integer.parseInt(pid), name);
            }
        }
        if (again != null) {
            viewer.setSelection(new StructuredSelection(again), true);
        }
        validate();
    }

    private static HostProcess find(List<HostProcess> all, int pid, String name) {
        HostProcess byName = null;
        for (HostProcess p : all) {
            if (p.pid() == pid && (name == null || p.name().equals(name))) {
                return p;
            }
            if (byName == null && name != null && p.name().equals(name)) {
                byName = p;
            }
        }
        return byName;
    }

    private HostProcess selection() {
        if (viewer == null) {
            return null;
        }
        Object first = ((IStructuredSelection) viewer.getSelection()).getFirstElement();
        return (HostProcess) first;
    }

    private void validate() {
        Button ok = getButton(IDialogConstants.OK_ID);
        HostProcess p = selection();
        problem = null;
        if (p == null) {
            problem = null;
        } else if (p.pid() == ProcessHandle.current().pid()) {
            problem = "That is this workbench's own process.";
        } else if (p.traced()) {
            problem = "Process " + p.pid() + " is already traced by " + tracedBy(p) + "; detach that tracer first.";
        } else if (p.commandLine().isEmpty()) {
            problem = "Process " + p.pid() + " is a kernel thread or a zombie.";
        }
        setErrorMessage(problem);
        if (ok != null) {
            ok.setEnabled(p != null && problem == null);
        }
    }

    /** Selects the process {@code pid} if listed (for tests and for "attach to this one"). */
    public boolean select(int pid) {
        @SuppressWarnings("unchecked")
        List<HostProcess> all = (List<HostProcess>) viewer.getInput();
        for (HostProcess p : all) {
            if (p.pid() == pid) {
                viewer.setSelection(new StructuredSelection(p), true);
                validate();
                return true;
            }
        }
        return false;
    }

    /** The dialog's button {@code id} (IDialogConstants.OK_ID is "Attach"). */
    public Button getButtonFor(int id) {
        return getButton(id);
    }

    /** The error line shown above the table; empty when none. */
    public String getErrorMessageText() {
        return problem == null ? "" : problem;
    }

    /** Presses "Attach" as a click would (it must be enabled). */
    public void pressOk() {
        if (getButton(IDialogConstants.OK_ID).isEnabled()) {
            okPressed();
        }
    }

    public TableViewer viewer() {
        return viewer;
    }

    public Text filterText() {
        return filter;
    }

    @Override
    protected void okPressed() {
        chosen = selection();
        if (chosen != null) {
            IDialogSettings s = settings();
            s.put(LAST_PID, chosen.pid());
            s.put(LAST_NAME, chosen.name());
            s.put(LAST_FILTER, filter.getText());
        }
        super.okPressed();
    }

    /** The process the user chose; null if cancelled. */
    public HostProcess chosen() {
        return chosen;
    }

    private static IDialogSettings settings() {
        return MultitraceUi.dialogSettings(SETTINGS);
    }
}
