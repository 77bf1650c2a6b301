package dev.multitrace.debug.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunchConfigurationType;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.core.ILaunchManager;
import org.eclipse.debug.ui.CommonTab;
import org.eclipse.debug.ui.EnvironmentTab;
import org.eclipse.debug.ui.ILaunchConfigurationTab;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Spinner;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.Test;

import dev.multitrace.debug.core.LaunchAttributes;
import dev.multitrace.debug.core.MultitraceDebug;
import dev.multitrace.debug.ui.launch.MainTab;
import dev.multitrace.debug.ui.launch.MultitraceTab;
import dev.multitrace.debug.ui.launch.MultitraceTabGroup;

/** The "Multitrace Application" tabs: what they show, what they save, what they refuse. */
public class LaunchTabsTest {

    @Test
    void tabGroupHasMainMultitraceEnvironmentCommon() {
        MultitraceTabGroup group = new MultitraceTabGroup();
        group.createTabs(null, ILaunchManager.DEBUG_MODE);
        List<String> kinds = Arrays.stream(group.getTabs()).map(t -> t.getClass().getSimpleName()).toList();
        assertEquals(List.of(MainTab.class.getSimpleName(), MultitraceTab.class.getSimpleName(),
                EnvironmentTab.class.getSimpleName(), CommonTab.class.getSimpleName()), kinds);
        group.dispose();
    }

    @Test
    void tabsEditTheLaunchAttributesAndRefuseBadInput() throws Exception {
        ILaunchConfigurationType type = DebugPlugin.getDefault().getLaunchManager().getLaunchConfigurationType(MultitraceDebug.LAUNCH_TYPE_ID);
        assertNotNull(type, "the Multitrace Application launch type is installed");
        ILaunchConfigurationWorkingCopy copy = type.newInstance(null, "tabs-test");
        Shell shell = new Shell(Workbench.shell(), SWT.SHELL_TRIM);
        shell.setLayout(new FillLayout());
        try {
            MainTab main = new MainTab();
            MultitraceTab multitrace = new MultitraceTab();
            for (ILaunchConfigurationTab tab : List.of(main, multitrace)) {
                tab.createControl(shell);
                tab.setDefaults(copy);
                tab.initializeFrom(copy);
            }
            assertFalse(main.isValid(copy), "no program yet");
            assertEquals("Choose the program to debug.", main.getErrorMessage());

            Controls.named(main.getControl(), "program", Text.class).setText(Programs.source("sample").toString());
            assertFalse(main.isValid(copy), "a C source is not executable");
            assertTrue(main.getErrorMessage().contains("not executable"), main.getErrorMessage());
            Controls.named(main.getControl(), "program", Text.class).setText("/no/such/program");
            assertFalse(main.isValid(copy));
            assertTrue(main.getErrorMessage().startsWith("Program not found"), main.getErrorMessage());

            String program = Programs.binary("sample").toString();
            Controls.named(main.getControl(), "program", Text.class).setText(program);
            Controls.named(main.getControl(), "arguments", Text.class).setText("one 'two words'");
            Controls.named(main.getControl(), "workingDirectory", Text.class).setText("/no/such/dir");
            assertFalse(main.isValid(copy));
            assertTrue(main.getErrorMessage().startsWith("Working directory does not exist"), main.getErrorMessage());
            Controls.named(main.getControl(), "workingDirectory", Text.class).setText("/tmp");
            assertTrue(main.isValid(copy), String.valueOf(main.getErrorMessage()));
            assertNull(main.getErrorMessage());

            assertTrue(Controls.named(multitrace.getControl(), "disableRandomization", Button.class).getSelection(),
                    "address space randomization is disabled by default, as in gdb and CDT");
            Controls.named(multitrace.getControl(), "disableRandomization", Button.class).setSelection(false);
            Controls.named(multitrace.getControl(), "stopAtEntry", Button.class).setSelection(true);
            Controls.named(multitrace.getControl(), "stopAtMain", Button.class).setSelection(false);
            Controls.named(multitrace.getControl(), "syscallTracer", Button.class).setSelection(true);
            Controls.named(multitrace.getControl(), "nonStop", Button.class).setSelection(true);
            Controls.named(multitrace.getControl(), "gdbStub", Button.class).setSelection(true);
            Controls.named(multitrace.getControl(), "gdbPort", Spinner.class).setSelection(4321);

            main.performApply(copy);
            multitrace.performApply(copy);
            assertEquals(program, copy.getAttribute(LaunchAttributes.PROGRAM, ""));
            assertEquals("one 'two words'", copy.getAttribute(LaunchAttributes.ARGUMENTS, ""));
            assertEquals("/tmp", copy.getAttribute(LaunchAttributes.WORKING_DIRECTORY, ""));
            assertEquals(LaunchAttributes.STOP_AT_ENTRY, copy.getAttribute(LaunchAttributes.STOP_MODE, ""));
            assertTrue(copy.getAttribute(LaunchAttributes.SYSCALL_TRACER, false));
            assertEquals(4321, copy.getAttribute(LaunchAttributes.GDB_STUB_PORT, 0));
            assertTrue(copy.getAttribute(LaunchAttributes.NON_STOP, false));
            assertFalse(copy.getAttribute(LaunchAttributes.DISABLE_RANDOMIZATION, true));

            // And back: a fresh tab shows what was saved.
            MultitraceTab again = new MultitraceTab();
            again.createControl(shell);
            again.initializeFrom(copy);
            assertTrue(Controls.named(again.getControl(), "stopAtEntry", Button.class).getSelection());
            assertFalse(Controls.named(again.getControl(), "stopAtMain", Button.class).getSelection());
            assertTrue(Controls.named(again.getControl(), "nonStop", Button.class).getSelection());
            assertTrue(Controls.named(again.getControl(), "gdbStub", Button.class).getSelection());
            assertEquals(4321, Controls.named(again.getControl(), "gdbPort", Spinner.class).getSelection());
            assertFalse(Controls.named(again.getControl(), "disableRandomization", Button.class).getSelection());

            Controls.named(again.getControl(), "gdbStub", Button.class).setSelection(false);
            again.performApply(copy);
            assertEquals(0, copy.getAttribute(LaunchAttributes.GDB_STUB_PORT, -1), "stub off: port 0");
        } finally {
            shell.dispose();
        }
    }
}
