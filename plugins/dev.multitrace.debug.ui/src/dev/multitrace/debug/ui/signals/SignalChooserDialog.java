package dev.multitrace.debug.ui.signals;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.dialogs.IDialogSettings;
import org.eclipse.jface.dialogs.TitleAreaDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;

import dev.multitrace.core.Signals;
import dev.multitrace.debug.ui.MultitraceUi;

/**
 * "Resume with Signal...": picks the signal a stopped thread resumes with (by name or number).
 * Remembers the last signal chosen.
 */
public final class SignalChooserDialog extends TitleAreaDialog {

    private static final String SETTINGS = "SignalChooserDialog";
    private static final String LAST = "lastSignal";

    private final String threadLabel;
    private Combo combo;
    private int chosen = -1;

    public SignalChooserDialog(Shell parent, String threadLabel) {
        super(parent);
        this.threadLabel = threadLabel;
    }

    @Override
    protected void configureShell(Shell shell) {
        super.configureShell(shell);
        shell.setText("Resume with Signal");
    }

    /** Every signal as "SIGUSR1 (10)", in number order. */
    static List<String> choices() {
        List<String> out = new ArrayList<>();
        for (int sig = 1; sig <= Signals.MAX; sig++) {
            out.add(Signals.name(sig) + " (" + sig + ")");
        }
        return out;
    }

    @Override
    protected Control createDialogArea(Composite parent) {
        Composite area = (Composite) super.createDialogArea(parent);
        setTitle("Resume with Signal");
        setMessage("Resume " + threadLabel + " delivering a signal (its handler runs, or its default action).");
        Composite body = new Composite(area, SWT.NONE);
        body.setLayout(new GridLayout(2, false));
        body.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        new Label(body, SWT.NONE).setText("&Signal:");
        combo = new Combo(body, SWT.DROP_DOWN);
        combo.setData("name", "signal");
        combo.setItems(choices().toArray(String[]::new));
        combo.setVisibleItemCount(20);
        combo.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        String last = settings().get(LAST);
        combo.setText(last != null ? last : Signals.name(10) + " (10)");
        combo.addModifyListener(e -> validate());
        return area;
    }

    @Override
    protected void createButtonsForButtonBar(Composite parent) {
        createButton(parent, IDialogConstants.OK_ID, "&Resume", true);
        createButton(parent, IDialogConstants.CANCEL_ID, IDialogConstants.CANCEL_LABEL, false);
        validate();
    }

    /** The signal number typed or chosen: "SIGUSR1 (10)", "SIGUSR1", "usr1", "10"; -1 if none. */
    static int parse(String text) {
        String t = text.trim();
        int paren = t.indexOf(" (");
        if (paren > 0) {
            t = t.substring(0, paren);
        }
        if (t.isEmpty()) {
            return -1;
        }
        int sig = Signals.number(t.toUpperCase(Locale.ROOT));
        return sig >= 1 && sig <= Signals.MAX ? sig : -1;
    }

    private void validate() {
        int sig = parse(combo.getText());
        setErrorMessage(sig < 0 ? "Not a signal: '" + combo.getText().trim() + "' (try SIGUSR1 or 10)" : null);
        if (getButton(IDialogConstants.OK_ID) != null) {
            getButton(IDialogConstants.OK_ID).setEnabled(sig > 0);
        }
    }

    /** The dialog's button {@code id} (IDialogConstants.OK_ID is "Resume"). */
    public org.eclipse.swt.widgets.Button getButtonFor(int id) {
        return getButton(id);
    }

    /** Presses "Resume" as a click would, if it is enabled. */
    public void pressOk() {
        if (getButton(IDialogConstants.OK_ID).isEnabled()) {
            okPressed();
        }
    }

    /** Sets the text of the signal box (tests, and callers with a suggestion). */
    public void setSignalText(String text) {
        combo.setText(text);
    }

    @Override
    protected void okPressed() {
        chosen = parse(combo.getText());
        settings().put(LAST, Signals.name(chosen) + " (" + chosen + ")");
        super.okPressed();
    }

    /** The chosen signal number, -1 if cancelled. */
    public int chosen() {
        return chosen;
    }

    private static IDialogSettings settings() {
        return MultitraceUi.dialogSettings(SETTINGS);
    }
}
