package dev.multitrace.cdt.ui.tests;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.cdt.ui.wizards.CProjectWizard;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.jface.wizard.WizardDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;
import org.eclipse.swt.widgets.Tree;
import org.eclipse.swt.widgets.TreeItem;
import org.eclipse.ui.PlatformUI;

/**
 * CDT's New C Project wizard (File > New > C Project), filled in as a user does: the project's name,
 * Executable > "Hello World ANSI C Project", the "Linux GCC" tool chain, Finish.
 */
final class NewCProjectWizard {

    private NewCProjectWizard() {
    }

    /** Creates the project through the wizard's pages; {@code screenshot} names the picture of its first page. */
    static IProject create(String name, String screenshot) throws Exception {
        CProjectWizard wizard = new CProjectWizard();
        wizard.init(PlatformUI.getWorkbench(), StructuredSelection.EMPTY);
        WizardDialog dialog = new WizardDialog(Workbench.shell(), wizard);
        dialog.setBlockOnOpen(false);
        dialog.create();
        Workbench.expectedShells.add(dialog.getShell());
        try {
            dialog.open();
            Workbench.spin(300);
            Composite page = dialog.getShell();
            Text projectName = first(page, Text.class);
            projectName.setText(name);
            Tree tree = first(page, Tree.class);
            TreeItem hello = Workbench.waitFor(() -> find(tree.getItems(), "Hello World ANSI C Project"));
            tree.setSelection(hello);
            select(tree, hello);
            Workbench.spin(300);
            // The tool chains of the selected project type: GCC's on Linux.
            Workbench.waitUntil("the wizard lists Linux GCC", Duration.ofSeconds(10), () -> toolChain(page) != null);
            Table chains = toolChain(page).getParent();
            chains.setSelection(toolChain(page));
            select(chains, toolChain(page));
            Workbench.spin(300);
            Workbench.screenshot(screenshot, dialog.getShell());
            Button finish = button(page, "Finish");
            Workbench.waitUntil("Finish is enabled", Duration.ofSeconds(10), finish::isEnabled);
            finish.notifyListeners(SWT.Selection, new Event());
            Workbench.waitUntil("the wizard has closed", Duration.ofSeconds(60),
                    () -> dialog.getShell() == null || dialog.getShell().isDisposed());
        } finally {
            if (dialog.getShell() != null && !dialog.getShell().isDisposed()) {
                dialog.close();
            }
        }
        return ResourcesPlugin.getWorkspace().getRoot().getProject(name);
    }

    private static TableItem toolChain(Composite page) {
        for (Table t : all(page, Table.class)) {
            for (TableItem i : t.getItems()) {
                if (i.getText().equals("Linux GCC")) {
                    return i;
                }
            }
        }
        return null;
    }

    private static void select(Control widget, Object item) {
        Event e = new Event();
        e.item = (org.eclipse.swt.widgets.Widget) item;
        widget.notifyListeners(SWT.Selection, e);
    }

    private static TreeItem find(TreeItem[] items, String text) {
        for (TreeItem i : items) {
            if (i.getText().equals(text)) {
                return i;
            }
            i.setExpanded(true);
            TreeItem below = find(i.getItems(), text);
            if (below != null) {
                return below;
            }
        }
        return null;
    }

    private static Button button(Composite root, String label) {
        for (Button b : all(root, Button.class)) {
            if (b.getText().replace("&", "").equals(label)) {
                return b;
            }
        }
        throw new AssertionError("no button " + label + " in the wizard");
    }

    private static <T extends Control> T first(Composite root, Class<T> type) {
        List<T> found = all(root, type);
        if (found.isEmpty()) {
            throw new AssertionError("no " + type.getSimpleName() + " in the wizard");
        }
        return found.get(0);
    }

    private static <T extends Control> List<T> all(Composite root, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (Control c : root.getChildren()) {
            if (type.isInstance(c) && c.isVisible()) {
                out.add(type.cast(c));
            }
            if (c instanceof Composite comp) {
                out.addAll(all(comp, type));
            }
        }
        return out;
    }
}
