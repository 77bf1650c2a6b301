package dev.multitrace.debug.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.Test;

import dev.multitrace.debug.core.breakpoints.MultitraceFunctionBreakpoint;
import dev.multitrace.debug.ui.breakpoints.BreakpointPropertyPage;

/** The breakpoint properties page: it shows a breakpoint's filters, saves good input, refuses bad input with the reason. */
public class BreakpointPropertyPageTest {

    @Test
    void editsConditionHitCountThreadsAndRefusesBadInput() throws Exception {
        MultitraceFunctionBreakpoint bp = new MultitraceFunctionBreakpoint("square", true);
        Shell shell = new Shell(Workbench.shell(), SWT.SHELL_TRIM);
        shell.setLayout(new FillLayout());
        try {
            bp.setHitCount(2);
            BreakpointPropertyPage page = new BreakpointPropertyPage();
            page.setElement(bp);
            page.createControl(shell);
            Control root = page.getControl();
            assertEquals("2", Controls.named(root, "hitCount", Text.class).getText(), "the page shows the saved hit count");

            Controls.named(root, "condition", Text.class).setText("rax ==");
            assertFalse(page.isValid(), "a condition that does not parse is refused");
            assertTrue(page.getErrorMessage().startsWith("Condition:"), page.getErrorMessage());
            Controls.named(root, "condition", Text.class).setText("$rdi == 3");
            Controls.named(root, "hitCount", Text.class).setText("-1");
            assertFalse(page.isValid());
            assertTrue(page.getErrorMessage().startsWith("Hit count"), page.getErrorMessage());
            Controls.named(root, "hitCount", Text.class).setText("4");
            Controls.named(root, "threads", Text.class).setText("12, x");
            assertFalse(page.isValid());
            assertTrue(page.getErrorMessage().startsWith("Threads"), page.getErrorMessage());
            assertFalse(page.performOk(), "nothing is saved while a field is wrong");
            assertEquals(2, bp.getHitCount());

            Controls.named(root, "threads", Text.class).setText("12, 34");
            assertTrue(page.isValid(), String.valueOf(page.getErrorMessage()));
            assertTrue(page.performOk());
            assertEquals("$rdi == 3", bp.getCondition());
            assertEquals(4, bp.getHitCount());
            assertEquals(Set.of(12, 34), bp.getThreadFilter());
        } finally {
            shell.dispose();
            bp.delete();
        }
    }
}
