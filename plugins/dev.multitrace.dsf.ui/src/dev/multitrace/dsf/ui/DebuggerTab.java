package dev.multitrace.dsf.ui;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.ui.AbstractLaunchConfigurationTab;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Group;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;

/**
 * The Debugger tab of the Multitrace delegates ({@link DebuggerSettings}): stop on startup (at main or another
 * function; for an attach, whether the process stays suspended), the engines beside the debugger (the syscall
 * tracer, a GDB stub a real gdb can join) and non-stop mode.
 */
public class DebuggerTab extends AbstractLaunchConfigurationTab {

    /** gdbserver's customary port, offered when the stub is switched on. */
    private static final int DEFAULT_PORT = 2345;

    private final boolean attach;
    private Button stop;
    private Text symbol;
    private Button syscallTracer;
    private Button gdbStub;
    private Text port;
    private Button nonStop;
    private Button followForks;

    /** The tab of the "C/C++ Application" delegate. */
    public DebuggerTab() {
        this(false);
    }

    protected DebuggerTab(boolean attach) {
        this.attach = attach;
    }

    /** The tab of the "C/C++ Attach to Application" delegate. */
    public static final class ForAttach extends DebuggerTab {
        public ForAttach() {
            super(true);
        }
    }

    @Override
    public String getName() {
        return "Debugger";
    }

    @Override
    public String getId() {
        return MultitraceDsfUiPlugin.PLUGIN_ID + (attach ? ".attachDebuggerTab" : ".debuggerTab");
    }

    @Override
    public void createControl(Composite parent) {
        Composite top = new Composite(parent, SWT.NONE);
        top.setLayout(new GridLayout(1, false));
        setControl(top);

        Group startup = group(top, "Startup");
        if (attach) {
            stop = check(startup, "Keep the process suspended where the attach caught it (else it runs on to its breakpoints)", 2);
        } else {
            stop = check(startup, "Stop on startup at:", 1);
            symbol = new Text(startup, SWT.BORDER);
            symbol.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
            symbol.addModifyListener(e -> updateLaunchConfigurationDialog());
            stop.addListener(SWT.Selection, e -> symbol.setEnabled(stop.getSelection()));
        }

        Group engines = group(top, "Engines beside the debugger (on the same tracer thread)");
        syscallTracer = check(engines, "Syscall tracer: strace's lines in a console of the launch", 2);
        gdbStub = check(engines, "GDB stub on loopback port:", 1);
        // A text checked by isValid, not a spinner: a port typed wrong gets the tab's error message (and no
        // Apply) instead of the spinner's own silent correction.
        port = new Text(engines, SWT.BORDER);
        port.setText(Integer.toString(DEFAULT_PORT));
        port.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        port.addModifyListener(e -> updateLaunchConfigurationDialog());
        gdbStub.addListener(SWT.Selection, e -> port.setEnabled(gdbStub.getSelection()));
        Label note = new Label(engines, SWT.WRAP);
        note.setText("As under gdbserver, the program waits for a gdb to connect (target remote :PORT) and continue it.");
        note.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 2, 1));

        Group mode = group(top, "Run control");
        nonStop = check(mode, "Non-stop mode: a thread that stops stops alone", 2);
        followForks = check(mode, "Debug forked processes: each child is a process of this launch, suspended where fork returns", 2);
    }

    private Group group(Composite parent, String title) {
        Group g = new Group(parent, SWT.NONE);
        g.setText(title);
        g.setLayout(new GridLayout(2, false));
        g.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        return g;
    }

    private Button check(Composite parent, String text, int span) {
        Button b = new Button(parent, SWT.CHECK);
        b.setText(text);
        b.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, span == 2, false, span, 1));
        b.addListener(SWT.Selection, e -> updateLaunchConfigurationDialog());
        return b;
    }

    @Override
    public void setDefaults(ILaunchConfigurationWorkingCopy configuration) {
        DebuggerSettings.defaults(attach).write(configuration, attach);
    }

    @Override
    public void initializeFrom(ILaunchConfiguration configuration) {
        DebuggerSettings s;
        try {
            s = attach ? DebuggerSettings.ofAttach(configuration) : DebuggerSettings.ofLaunch(configuration);
        } catch (CoreException e) {
            setErrorMessage(e.getMessage());
            s = DebuggerSettings.defaults(attach);
        }
        stop.setSelection(s.stopOnStartup());
        if (symbol != null) {
            symbol.setText(s.stopSymbol());
            symbol.setEnabled(s.stopOnStartup());
        }
        syscallTracer.setSelection(s.syscallTracer());
        gdbStub.setSelection(s.gdbStubPort() > 0);
        port.setText(Integer.toString(s.gdbStubPort() > 0 ? s.gdbStubPort() : DEFAULT_PORT));
        port.setEnabled(s.gdbStubPort() > 0);
        nonStop.setSelection(s.nonStop());
        followForks.setSelection(s.followForks());
    }

    @Override
    public void performApply(ILaunchConfigurationWorkingCopy configuration) {
        String fn = symbol == null ? DebuggerSettings.DEFAULT_STOP_SYMBOL : symbol.getText().strip();
        int stubPort = gdbStub.getSelection() && portProblem() == null ? Integer.parseInt(port.getText().strip()) : 0;
        new DebuggerSettings(stop.getSelection(), fn.isEmpty() ? DebuggerSettings.DEFAULT_STOP_SYMBOL : fn,
                syscallTracer.getSelection(), stubPort, nonStop.getSelection(), followForks.getSelection())
                .write(configuration, attach);
    }

    /** What is wrong with the stub's port as typed, null if nothing (or if there is no stub). */
    private String portProblem() {
        if (!gdbStub.getSelection()) {
            return null;
        }
        String typed = port.getText().strip();
        int p;
        try {
            p = Integer.parseInt(typed);
        } catch (NumberFormatException e) {
            return "GDB stub port \"" + typed + "\" is not a number";
        }
        if (p < 1 || p > 65535) {
            return "GDB stub port " + p + " is not a TCP port (1-65535)";
        }
        return null;
    }

    /** An unusable port cannot be applied either: the configuration would keep another one than the field shows. */
    @Override
    public boolean canSave() {
        return portProblem() == null;
    }

    @Override
    public boolean isValid(ILaunchConfiguration launchConfig) {
        setErrorMessage(null);
        if (symbol != null && stop.getSelection() && symbol.getText().isBlank()) {
            setErrorMessage("Name the function to stop in on startup (main, or another)");
            return false;
        }
        String problem = portProblem();
        if (problem != null) {
            setErrorMessage(problem);
            return false;
        }
        return true;
    }
}
