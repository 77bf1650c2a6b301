package dev.multitrace.debug.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eclipse.core.commands.Command;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.swt.widgets.Button;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.commands.ICommandService;
import org.junit.jupiter.api.Test;

import dev.multitrace.debug.ui.signals.SignalChooserDialog;

/** The "Resume with Signal..." dialog takes names, short names and numbers, refuses the rest; the commands are installed. */
public class SignalChooserDialogTest {

    @Test
    void choosesBySignalNameOrNumberAndRefusesNonsense() {
        SignalChooserDialog dialog = new SignalChooserDialog(Workbench.shell(), "thread 1");
        dialog.setBlockOnOpen(false);
        dialog.create();
        Workbench.expectedShells.add(dialog.getShell());
        dialog.open();
        try {
            Button ok = dialog.getButtonFor(IDialogConstants.OK_ID);
            dialog.setSignalText("SIGBOGUS");
            assertFalse(ok.isEnabled(), "not a signal");
            dialog.setSignalText("12");
            assertTrue(ok.isEnabled());
            dialog.setSignalText("usr1");
            assertTrue(ok.isEnabled());
            dialog.pressOk();
            assertEquals(10, dialog.chosen());
        } finally {
            dialog.close();
        }
    }

    @Test
    void commandsAreInstalledWithHandlers() {
        ICommandService commands = PlatformUI.getWorkbench().getService(ICommandService.class);
        for (String id : new String[] {"dev.multitrace.debug.ui.attach", "dev.multitrace.debug.ui.resumeWithSignal",
                "dev.multitrace.debug.ui.addFunctionBreakpoint", "dev.multitrace.debug.ui.addAddressBreakpoint"}) {
            Command c = commands.getCommand(id);
            assertTrue(c.isDefined(), id + " defined");
            assertTrue(c.isHandled(), id + " has its handler");
        }
    }
}
