package dev.multitrace.debug.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.multitrace.core.HostProcess;
import dev.multitrace.debug.ui.attach.AttachDialog;
import dev.multitrace.debug.ui.attach.AttachHandler;

/** The attach dialog over the real process table: rows, filter, who traces what, the remembered choice. */
public class AttachDialogTest {

    @BeforeAll
    static void prepare() throws Exception {
        Workbench.prepareForDebugging();
    }

    @Test
    void listsFiltersShowsTracerAndRemembersTheChoice() throws Exception {
        Path dir = Files.createTempDirectory("attach-dialog");
        try (Orphans orphans = new Orphans()) {
            long free = orphans.start(dir.resolve("free.log"), Programs.binary("spinner").toString());
            long traced = orphans.start(dir.resolve("traced.log"), Programs.binary("spinner").toString());
            long strace = orphans.start(dir.resolve("strace.log"), "strace", "-o", "/dev/null", "-p", Long.toString(traced));
            Workbench.waitUntil("strace traces " + traced, Duration.ofSeconds(10), () -> AttachTest.tracerOf(traced) == strace);

            HostProcess tracedProcess;
            AttachDialog dialog = new AttachDialog(Workbench.shell());
            dialog.setBlockOnOpen(false);
            dialog.create(); // the shell exists before open() so the watchdog knows it is expected
            Workbench.expectedShells.add(dialog.getShell());
            dialog.open();
            try {
                dialog.filterText().setText("spinner");
                Workbench.spin();
                Table table = dialog.viewer().getTable();
                TableItem freeRow = row(table, free);
                TableItem tracedRow = row(table, traced);
                assertNotNull(freeRow, "the free spinner is listed");
                assertNotNull(tracedRow, "the traced spinner is listed");
                assertEquals("spinner", freeRow.getText(1));
                assertEquals("root", freeRow.getText(2), "user");
                assertEquals("", freeRow.getText(3), "nobody traces the free one");
                assertTrue(freeRow.getText(4).endsWith("/spinner"), freeRow.getText(4));
                assertEquals("strace (" + strace + ")", tracedRow.getText(3));
                for (TableItem item : table.getItems()) {
                    assertTrue(item.getText(1).contains("spinner") || item.getText(4).contains("spinner"),
                            "filter lets through only spinners: " + item.getText(4));
                }

                Button attach = dialog.getButtonFor(IDialogConstants.OK_ID);
                assertTrue(dialog.select((int) traced));
                assertFalse(attach.isEnabled(), "a process another tracer holds cannot be chosen");
                assertTrue(dialog.getErrorMessageText().contains("strace (" + strace + ")"), dialog.getErrorMessageText());
                assertTrue(dialog.select((int) free));
                assertTrue(attach.isEnabled());
                Workbench.screenshot("attach-dialog.png");
                tracedProcess = (HostProcess) dialog.viewer().getElementAt(indexOf(table, traced));
                dialog.pressOk();
                assertEquals(free, dialog.chosen().pid());
            } finally {
                dialog.close();
            }

            // Attaching to the process strace holds anyway: the error dialog names the other tracer.
            int before = Workbench.closedDialogs().size();
            AttachHandler.attach(tracedProcess, Workbench.shell().getDisplay());
            String error = Workbench.waitFor("the refusal's error dialog", Duration.ofSeconds(30), () -> Workbench.closedDialogs()
                    .stream().skip(before).filter(t -> t.startsWith("Attach to Process")).findFirst().orElse(null));
            assertTrue(error.contains("Cannot attach to spinner (" + traced + ")"), error);
            assertTrue(error.contains("strace") || error.contains(Long.toString(strace)), "names the other tracer: " + error);
            assertTrue(Orphans.alive(traced), "the refused process is untouched");

            AttachDialog again = new AttachDialog(Workbench.shell());
            again.setBlockOnOpen(false);
            again.create();
            Workbench.expectedShells.add(again.getShell());
            again.open();
            try {
                Workbench.spin();
                HostProcess remembered = (HostProcess) ((IStructuredSelection) again.viewer().getSelection()).getFirstElement();
                assertNotNull(remembered, "the last choice is selected again");
                assertEquals(free, remembered.pid());
                assertEquals("spinner", again.filterText().getText(), "the filter is remembered too");
            } finally {
                again.close();
            }
        }
    }

    private static int indexOf(Table table, long pid) {
        for (int i = 0; i < table.getItemCount(); i++) {
            if (table.getItem(i).getText(0).equals(Long.toString(pid))) {
                return i;
            }
        }
        throw new AssertionError("no row for " + pid);
    }

    private static TableItem row(Table table, long pid) {
        for (TableItem item : table.getItems()) {
            if (item.getText(0).equals(Long.toString(pid))) {
                return item;
            }
        }
        return null;
    }
}
