package dev.multitrace.debug.ui.launch;

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
import org.eclipse.swt.widgets.Spinner;

import dev.multitrace.debug.core.LaunchAttributes;

/** Where the program stops first, which extra engines start with it, all-stop or non-stop, and randomization. */
public final class MultitraceTab extends AbstractLaunchConfigurationTab {

    /** The port offered when the user turns the GDB stub on (gdbserver's customary one). */
    static final int DEFAULT_GDB_STUB_PORT = 2345;

    private Button stopAtMain;
    private Button stopAtEntry;
    private Button stopNone;
    private Button syscallTracer;
    private Button gdbStub;
    private Spinner gdbPort;
    private Button nonStop;
    private Button disableRandomization;

    @Override
    public void createControl(Composite parent) {
        Composite top = new Composite(parent, SWT.NONE);
        top.setLayout(new GridLayout(1, false));
        setControl(top);

        Group stop = LaunchTabs.group(top, "Stop", 1, SWT.TOP, false);
        stopAtMain = radio(stop, "Stop at &main", "stopAtMain");
        stopAtEntry = radio(stop, "Stop at the &first instruction", "stopAtEntry");
        stopNone = radio(stop, "&Do not stop (run until a breakpoint or a signal)", "stopNone");

        Group engines = LaunchTabs.group(top, "Extra engines attached with the debugger", 3, SWT.TOP, false);
        syscallTracer = check(engines, "&Syscall tracer", "syscallTracer");
        ((GridData) syscallTracer.getLayoutData()).horizontalSpan = 3;
        gdbStub = check(engines, "&GDB stub (remote protocol) on port", "gdbStub");
        gdbPort = new Spinner(engines, SWT.BORDER);
        gdbPort.setData("name", "gdbPort");
        gdbPort.setValues(DEFAULT_GDB_STUB_PORT, 1, 65535, 0, 1, 100);
        gdbPort.addModifyListener(e -> updateLaunchConfigurationDialog());
        new Label(engines, SWT.NONE).setText("(gdb: target extended-remote :port)");
        gdbStub.addListener(SWT.Selection, e -> gdbPort.setEnabled(gdbStub.getSelection()));

        Group mode = LaunchTabs.group(top, "Threads", 1, SWT.TOP, false);
        nonStop = check(mode, "&Non-stop: a thread that stops does not stop the others", "nonStop");

        Group program = LaunchTabs.group(top, "Program", 1, SWT.TOP, false);
        disableRandomization = check(program, "Disable &address space randomization (the same addresses in every run)",
                "disableRandomization");
    }

    private Button radio(Composite parent, String text, String name) {
        Button b = new Button(parent, SWT.RADIO);
        b.setText(text);
        b.setData("name", name);
        b.addListener(SWT.Selection, e -> updateLaunchConfigurationDialog());
        return b;
    }

    private Button check(Composite parent, String text, String name) {
        Button b = new Button(parent, SWT.CHECK);
        b.setText(text);
        b.setData("name", name);
        b.setLayoutData(new GridData());
        b.addListener(SWT.Selection, e -> updateLaunchConfigurationDialog());
        return b;
    }

    @Override
    public void setDefaults(ILaunchConfigurationWorkingCopy configuration) {
        configuration.setAttribute(LaunchAttributes.STOP_MODE, LaunchAttributes.STOP_AT_MAIN);
        configuration.setAttribute(LaunchAttributes.DISABLE_RANDOMIZATION, true);
    }

    @Override
    public void initializeFrom(ILaunchConfiguration configuration) {
        String stopAt = LaunchTabs.string(configuration, LaunchAttributes.STOP_MODE, LaunchAttributes.STOP_AT_MAIN);
        stopAtMain.setSelection(LaunchAttributes.STOP_AT_MAIN.equals(stopAt));
        stopAtEntry.setSelection(LaunchAttributes.STOP_AT_ENTRY.equals(stopAt));
        stopNone.setSelection(LaunchAttributes.STOP_NONE.equals(stopAt));
        syscallTracer.setSelection(LaunchTabs.bool(configuration, LaunchAttributes.SYSCALL_TRACER));
        int port = LaunchTabs.integer(configuration, LaunchAttributes.GDB_STUB_PORT, 0);
        gdbStub.setSelection(port > 0);
        gdbPort.setSelection(port > 0 ? port : DEFAULT_GDB_STUB_PORT);
        gdbPort.setEnabled(gdbStub.getSelection());
        nonStop.setSelection(LaunchTabs.bool(configuration, LaunchAttributes.NON_STOP));
        disableRandomization.setSelection(LaunchTabs.bool(configuration, LaunchAttributes.DISABLE_RANDOMIZATION, true));
    }

    @Override
    public void performApply(ILaunchConfigurationWorkingCopy configuration) {
        String stopAt = stopAtEntry.getSelection() ? LaunchAttributes.STOP_AT_ENTRY
                : stopNone.getSelection() ? LaunchAttributes.STOP_NONE : LaunchAttributes.STOP_AT_MAIN;
        configuration.setAttribute(LaunchAttributes.STOP_MODE, stopAt);
        configuration.setAttribute(LaunchAttributes.SYSCALL_TRACER, syscallTracer.getSelection());
        configuration.setAttribute(LaunchAttributes.GDB_STUB_PORT, gdbStub.getSelection() ? gdbPort.getSelection() : 0);
        configuration.setAttribute(LaunchAttributes.NON_STOP, nonStop.getSelection());
        configuration.setAttribute(LaunchAttributes.DISABLE_RANDOMIZATION, disableRandomization.getSelection());
    }

    @Override
    public boolean isValid(ILaunchConfiguration configuration) {
        setErrorMessage(null);
        return true;
    }

    @Override
    public String getName() {
        return "Multitrace";
    }

    @Override
    public String getId() {
        return "dev.multitrace.debug.ui.multitraceTab";
    }
}
