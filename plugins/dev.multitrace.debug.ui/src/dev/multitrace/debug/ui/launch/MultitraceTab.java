package dev.multitrace.debug.ui.launch;

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
import org.eclipse.swt.widgets.Spinner;

/** Where the program stops first, which extra engines start with it, and all-stop or non-stop. */
public final class MultitraceTab extends AbstractLaunchConfigurationTab {

    private Button stopAtMain;
    private Button stopAtEntry;
    private Button stopNone;
    private Button syscallTracer;
    private Button gdbStub;
    private Spinner gdbPort;
    private Button nonStop;

    @Override
    public void createControl(Composite parent) {
        Composite top = new Composite(parent, SWT.NONE);
        top.setLayout(new GridLayout(1, false));
        setControl(top);

        Group stop = group(top, "Stop", 1);
        stopAtMain = radio(stop, "Stop at &main", "stopAtMain");
        stopAtEntry = radio(stop, "Stop at the &first instruction", "stopAtEntry");
        stopNone = radio(stop, "&Do not stop (run until a breakpoint or a signal)", "stopNone");

        Group engines = group(top, "Extra engines attached with the debugger", 3);
        syscallTracer = check(engines, "&Syscall tracer", "syscallTracer");
        ((GridData) syscallTracer.getLayoutData()).horizontalSpan = 3;
        gdbStub = check(engines, "&GDB stub (remote protocol) on port", "gdbStub");
        gdbPort = new Spinner(engines, SWT.BORDER);
        gdbPort.setData("name", "gdbPort");
        gdbPort.setValues(LaunchKeys.DEFAULT_GDB_STUB_PORT, 1, 65535, 0, 1, 100);
        gdbPort.addModifyListener(e -> updateLaunchConfigurationDialog());
        new Label(engines, SWT.NONE).setText("(gdb: target extended-remote :port)");
        gdbStub.addListener(SWT.Selection, e -> gdbPort.setEnabled(gdbStub.getSelection()));

        Group mode = group(top, "Threads", 1);
        nonStop = check(mode, "&Non-stop: a thread that stops does not stop the others", "nonStop");
    }

    private static Group group(Composite parent, String title, int columns) {
        Group g = new Group(parent, SWT.NONE);
        g.setText(title);
        g.setLayout(new GridLayout(columns, false));
        g.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        return g;
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
        configuration.setAttribute(LaunchKeys.STOP_AT, LaunchKeys.STOP_AT_MAIN);
    }

    @Override
    public void initializeFrom(ILaunchConfiguration configuration) {
        String stopAt = string(configuration, LaunchKeys.STOP_AT, LaunchKeys.STOP_AT_MAIN);
        stopAtMain.setSelection(LaunchKeys.STOP_AT_MAIN.equals(stopAt));
        stopAtEntry.setSelection(LaunchKeys.STOP_AT_ENTRY.equals(stopAt));
        stopNone.setSelection(LaunchKeys.STOP_NONE.equals(stopAt));
        syscallTracer.setSelection(bool(configuration, LaunchKeys.SYSCALL_TRACER));
        gdbStub.setSelection(bool(configuration, LaunchKeys.GDB_STUB));
        int port;
        try {
            port = configuration.getAttribute(LaunchKeys.GDB_STUB_PORT, LaunchKeys.DEFAULT_GDB_STUB_PORT);
        } catch (CoreException e) {
            port = LaunchKeys.DEFAULT_GDB_STUB_PORT;
        }
        gdbPort.setSelection(port);
        gdbPort.setEnabled(gdbStub.getSelection());
        nonStop.setSelection(bool(configuration, LaunchKeys.NON_STOP));
    }

    private static String string(ILaunchConfiguration configuration, String key, String fallback) {
        try {
            return configuration.getAttribute(key, fallback);
        } catch (CoreException e) {
            return fallback;
        }
    }

    private static boolean bool(ILaunchConfiguration configuration, String key) {
        try {
            return configuration.getAttribute(key, false);
        } catch (CoreException e) {
            return false;
        }
    }

    @Override
    public void performApply(ILaunchConfigurationWorkingCopy configuration) {
        String stopAt = stopAtEntry.getSelection() ? LaunchKeys.STOP_AT_ENTRY
                : stopNone.getSelection() ? LaunchKeys.STOP_NONE : LaunchKeys.STOP_AT_MAIN;
        configuration.setAttribute(LaunchKeys.STOP_AT, stopAt);
        configuration.setAttribute(LaunchKeys.SYSCALL_TRACER, syscallTracer.getSelection());
        configuration.setAttribute(LaunchKeys.GDB_STUB, gdbStub.getSelection());
        configuration.setAttribute(LaunchKeys.GDB_STUB_PORT, gdbPort.getSelection());
        configuration.setAttribute(LaunchKeys.NON_STOP, nonStop.getSelection());
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
