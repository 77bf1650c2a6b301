package dev.multitrace.cdt.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.multitrace.debug.ui.EnginesView;
import dev.multitrace.dsf.ui.DebuggerSettings;
import dev.multitrace.dsf.ui.DebuggerTab;
import dev.multitrace.dsf.ui.MultitraceLaunch;
import dev.multitrace.session.AttachedEngine;
import dev.multitrace.session.DebugSession;
import dev.multitrace.testing.TestPrograms;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.eclipse.cdt.debug.core.ICDTLaunchConfigurationConstants;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.core.ILaunchManager;
import org.eclipse.debug.ui.IDebugUIConstants;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.CTabFolder;
import org.eclipse.swt.custom.CTabItem;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Link;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Debug Configurations dialog on a "C/C++ Application" configuration: the Multitrace debugger chosen with the
 * dialog's "Select other..." link, its Debugger tab's controls changed as a user changes them (a bad port refused
 * with the tab's message and no Apply or Debug), Apply, and Debug: the program waits for a gdb on the stub's port,
 * then stops at the tab's function, non-stop, with the syscall tracer on its thread in the Engines view.
 */
@SuppressWarnings("restriction")
class DebuggerTabTest {

    private static final String MULTITRACE = "dev.multitrace.dsf.ui.localApplicationDelegate";
    private static final String MULTITRACE_NAME = "Multitrace (in-process, several engines)";
    private static final Duration LAUNCH = Duration.ofSeconds(60);

    private static final java.util.function.Predicate<org.eclipse.swt.widgets.Shell> CONFIGURATIONS = Dialogs.titled("Debug Configurations");

    private ILaunchConfiguration config;
    private org.eclipse.debug.internal.ui.launchConfigurations.LaunchConfigurationsDialog dialog;

    @BeforeEach
    void prepare() throws Exception {
        Workbench.prepare();
    }

    @AfterEach
    void cleanUp() throws Exception {
        Workbench.awaitedDialogs.remove(CONFIGURATIONS);
        if (dialog != null && dialog.getShell() != null && !dialog.getShell().isDisposed()) {
            dialog.close();
        }
        ILaunchManager manager = DebugPlugin.getDefault().getLaunchManager();
        for (ILaunch l : manager.getLaunches()) {
            if (config != null && config.equals(l.getLaunchConfiguration())) {
                if (l.canTerminate()) {
                    l.terminate();
                }
                manager.removeLaunch(l);
            }
        }
        if (config != null) {
            config.delete();
        }
    }

    @Test
    void theMultitraceDebuggerTabSetsTheConfigurationAndTheLaunchHonoursIt() throws Exception {
        assumeTrue(Gdb.available(), "no gdb here: the GDB stub holds the program until a gdb lets it go");
        Path loop = TestPrograms.path("loop");
        ILaunchConfigurationWorkingCopy wc = DebugPlugin.getDefault().getLaunchManager()
                .getLaunchConfigurationType(ICDTLaunchConfigurationConstants.ID_LAUNCH_C_APP).newInstance(null, "loop, Debugger tab");
        wc.setAttribute(ICDTLaunchConfigurationConstants.ATTR_PROGRAM_NAME, loop.toString());
        config = wc.doSave();

        // Run > Debug Configurations..., opened on the configuration.
        var group = org.eclipse.debug.internal.ui.DebugUIPlugin.getDefault().getLaunchConfigurationManager()
                .getLaunchGroup(IDebugUIConstants.ID_DEBUG_LAUNCH_GROUP);
        dialog = new org.eclipse.debug.internal.ui.launchConfigurations.LaunchConfigurationsDialog(Workbench.shell(), group);
        dialog.setOpenMode(org.eclipse.debug.internal.ui.launchConfigurations.LaunchConfigurationsDialog.LAUNCH_CONFIGURATION_DIALOG_OPEN_ON_SELECTION);
        dialog.setInitialSelection(new StructuredSelection(config));
        dialog.setBlockOnOpen(false);
        // told before open(): GTK runs the event loop (and the watchdog's timer) while it shows the shell
        Workbench.awaitedDialogs.add(CONFIGURATIONS);
        dialog.open();
        Composite shell = dialog.getShell();

        // The debugger: the link under the tabs opens the platform's launcher choice, where Multitrace is picked.
        Link selectOther = Workbench.waitFor(Duration.ofSeconds(20), "the dialog offers to choose the launcher", () -> Dialogs
                .all(shell, Link.class).stream().filter(l -> l.getText().contains("Select other") || l.getText().contains("Select one"))
                .findFirst().orElse(null));
        CompletableFuture<List<String>> launchers = Dialogs.whenOpen("the launcher choice", Dialogs.titled("Select Preferred Launcher"),
                Duration.ofSeconds(20), chooser -> {
                    Button specific = Dialogs.button(chooser, "Use configuration specific settings");
                    specific.setSelection(true);
                    specific.notifyListeners(SWT.Selection, new Event());
                    Table table = Dialogs.all(chooser, Table.class).get(0);
                    List<String> names = Arrays.stream(table.getItems()).map(TableItem::getText).toList();
                    TableItem ours = Arrays.stream(table.getItems()).filter(i -> i.getText().startsWith(MULTITRACE_NAME)).findFirst()
                            .orElseThrow(() -> new AssertionError("no Multitrace launcher among " + names));
                    table.setSelection(ours);
                    Event e = new Event();
                    e.item = ours;
                    table.notifyListeners(SWT.Selection, e);
                    Workbench.spin(200);
                    screenshot("select-launcher-multitrace.png", chooser);
                    Dialogs.press(chooser, "OK");
                    return names;
                });
        Event click = new Event();
        click.text = "Select other...";
        selectOther.notifyListeners(SWT.Selection, click);
        List<String> offered = Dialogs.await("the launcher was chosen", Duration.ofSeconds(30), launchers);
        assertTrue(offered.stream().anyMatch(n -> n.contains("GDB")), "DSF-GDB is offered beside it: " + offered);

        // The Debugger tab of the Multitrace debugger, clicked.
        DebuggerTab tab = Workbench.waitFor(Duration.ofSeconds(20), "the dialog shows Multitrace's Debugger tab", () -> Arrays
                .stream(dialog.getTabs()).filter(DebuggerTab.class::isInstance).map(DebuggerTab.class::cast).findFirst().orElse(null));
        CTabFolder folder = Dialogs.all(shell, CTabFolder.class).get(0);
        // DSF-GDB's tabs in its order: what the user fills in first, first
        assertEquals(List.of("Main", "Arguments", "Environment", "Debugger", "Source", "Common"),
                Arrays.stream(folder.getItems()).map(CTabItem::getText).toList(), "the Multitrace debugger's tabs");
        CTabItem debuggerItem = Arrays.stream(folder.getItems()).filter(i -> i.getText().equals("Debugger")).findFirst().orElseThrow();
        folder.setSelection(debuggerItem);
        Event select = new Event();
        select.item = debuggerItem;
        folder.notifyListeners(SWT.Selection, select);
        Workbench.waitUntil("the Debugger tab is the active one", Duration.ofSeconds(10), () -> dialog.getActiveTab() == tab);
        Composite page = (Composite) tab.getControl();

        // Its controls, found by their labels, with the defaults of a new configuration.
        Button stop = Dialogs.button(page, "Stop on startup at:");
        Text symbol = Dialogs.after(page, "Stop on startup at:", Text.class);
        Button tracer = Dialogs.button(page, "Syscall tracer: strace's lines in a console of the launch");
        Button stub = Dialogs.button(page, "GDB stub on loopback port:");
        Text port = Dialogs.after(page, "GDB stub on loopback port:", Text.class);
        Button nonStop = Dialogs.button(page, "Non-stop mode: a thread that stops stops alone");
        Button forks = Dialogs.button(page, "Debug forked processes: each child is a process of this launch, suspended where fork returns");
        assertTrue(stop.getSelection());
        assertEquals("main", symbol.getText());
        assertFalse(tracer.getSelection());
        assertFalse(stub.getSelection());
        assertFalse(port.isEnabled(), "no port without the stub");
        assertFalse(nonStop.getSelection());
        assertFalse(forks.getSelection(), "fork children are let go by default, as gdb's detach-on-fork");
        screenshot("debugger-tab-multitrace-defaults.png", shell);

        // Changed as a user changes them.
        symbol.setText("square");
        check(tracer);
        check(stub);
        assertTrue(port.isEnabled(), "the port is editable with the stub on");
        check(nonStop);
        check(forks);

        // A port that is not one: the tab says so, and neither Apply nor Debug can be pressed.
        port.setText("70000");
        expectError(shell, "GDB stub port 70000 is not a TCP port (1-65535)", "debugger-tab-port-out-of-range.png");
        port.setText("23x");
        expectError(shell, "GDB stub port \"23x\" is not a number", "debugger-tab-port-not-a-number.png");

        int free;
        try (ServerSocket s = new ServerSocket(0)) {
            free = s.getLocalPort();
        }
        port.setText(Integer.toString(free));
        Workbench.waitUntil("Apply is enabled with a good port", Duration.ofSeconds(10),
                () -> Dialogs.button(shell, "Apply").isEnabled() && Dialogs.button(shell, "Debug").isEnabled());
        assertFalse(Dialogs.texts(shell).contains("GDB stub port"), "the error went away:\n" + Dialogs.texts(shell));
        screenshot("debugger-tab-multitrace-changed.png", shell);
        Dialogs.press(shell, "Apply");
        Workbench.spin(300);

        // The configuration has the tab's values, and Multitrace as its debugger.
        assertEquals(MULTITRACE, config.getPreferredDelegate(Set.of(ILaunchManager.DEBUG_MODE)).getId());
        assertTrue(config.getAttribute(ICDTLaunchConfigurationConstants.ATTR_DEBUGGER_STOP_AT_MAIN, false));
        assertEquals("square", config.getAttribute(ICDTLaunchConfigurationConstants.ATTR_DEBUGGER_STOP_AT_MAIN_SYMBOL, ""));
        assertTrue(config.getAttribute(DebuggerSettings.SYSCALL_TRACER, false));
        assertEquals(free, config.getAttribute(DebuggerSettings.GDB_STUB_PORT, 0));
        assertTrue(config.getAttribute(DebuggerSettings.NON_STOP, false));
        assertTrue(config.getAttribute(DebuggerSettings.FOLLOW_FORKS, false), "CDT's DEBUG_ON_FORK, as DSF-GDB's tab sets it");

        // Debug: as under gdbserver the program waits on the port for a gdb, which lets it go; it stops at square.
        Dialogs.press(shell, "Debug");
        MultitraceLaunch launch = assertInstanceOf(MultitraceLaunch.class, Workbench.waitFor(LAUNCH, "the launch of the configuration",
                () -> Arrays.stream(DebugPlugin.getDefault().getLaunchManager().getLaunches())
                        .filter(l -> config.equals(l.getLaunchConfiguration())).findFirst().orElse(null)));
        DebugSession s = Sessions.of(launch, LAUNCH);
        Workbench.waitUntil("the stub listens on 127.0.0.1:" + free, Duration.ofSeconds(20), () -> listening(free));
        assertTrue(s.isNonStop(), "non-stop, as the tab said");
        String gdb = Gdb.batch(loop, "target remote :" + free, "info registers rip", "detach");
        assertTrue(gdb.matches("(?s).*rip\\s+0x[0-9a-f]+.*"), "gdb read the waiting program's pc through the stub: " + gdb);
        Workbench.waitUntil("stopped at square (" + s.stateLabel(s.pid()) + ")", LAUNCH,
                () -> s.isHeld(s.pid()) && s.stateLabel(s.pid()).startsWith("breakpoint"));
        assertEquals("square", s.frames(s.pid()).get(0).function().orElseThrow().name(), "stopped on startup at the tab's function");

        // The syscall tracer is on the thread, beside the debugger, as the Engines view shows.
        String tracerName = s.attachedEngines().stream().map(AttachedEngine::name).filter(n -> !n.startsWith("gdbserver"))
                .findFirst().orElseThrow(() -> new AssertionError("no syscall tracer attached: " + s.attachedEngines()));
        DebugViewThreads.selectMultitraceThread(s);
        EnginesView engines = (EnginesView) Workbench.page().showView(EnginesView.ID);
        Workbench.waitUntil("the Engines view lists " + tracerName + " and the debugger on the thread", Duration.ofSeconds(10), () -> {
            engines.refresh();
            List<String> names = Arrays.stream(engines.viewer().getTable().getItems()).map(r -> r.getText(1)).toList();
            return names.contains(tracerName) && names.contains(DebugSession.DEBUGGER);
        });
        // maximized: its engine column is what the picture is for
        Workbench.page().setPartState(Workbench.page().getReference(engines), org.eclipse.ui.IWorkbenchPage.STATE_MAXIMIZED);
        Workbench.screenshot("engines-view-syscall-tracer-from-debugger-tab.png");
        Workbench.page().setPartState(Workbench.page().getReference(engines), org.eclipse.ui.IWorkbenchPage.STATE_RESTORED);
        assertTrue(Arrays.stream(launch.getProcesses()).anyMatch(p -> p.getLabel().startsWith("syscall tracer: ")),
                "the tracer's console is a process of the launch");
        launch.terminate();
        Workbench.waitUntil("the launch ended", Duration.ofSeconds(30), launch::isTerminated);
    }

    /** A click on a check box that is not checked yet. */
    private static void check(Button box) {
        assertFalse(box.getSelection(), box.getText() + " was already checked");
        box.setSelection(true);
        box.notifyListeners(SWT.Selection, new Event());
        Workbench.spin(100);
    }

    /** The dialog shows {@code message} (the tab's error) and its Apply and Debug buttons are disabled. */
    private static void expectError(Composite shell, String message, String screenshot) throws Exception {
        Workbench.waitUntil("the dialog says: " + message, Duration.ofSeconds(10), () -> Dialogs.texts(shell).contains(message));
        assertFalse(Dialogs.button(shell, "Apply").isEnabled(), "Apply is disabled: " + message);
        assertFalse(Dialogs.button(shell, "Debug").isEnabled(), "Debug is disabled: " + message);
        screenshot(screenshot, shell);
    }

    private static void screenshot(String name, Composite shell) {
        try {
            Workbench.screenshot(name, shell.getShell());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Whether a socket listens on 127.0.0.1:{@code port}: /proc/net/tcp, or tcp6 for Java's dual-stack sockets (the
     * address mapped, ::ffff:127.0.0.1); state 0A is LISTEN.
     */
    private static boolean listening(int port) {
        String local = String.format("0100007F:%04X", port);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] f = line.strip().split("\\s+");
                    if (f.length > 3 && f[1].endsWith(local) && f[3].equals("0A")) {
                        return true;
                    }
                }
            } catch (IOException e) {
                // no IPv6 here
            }
        }
        return false;
    }
}
