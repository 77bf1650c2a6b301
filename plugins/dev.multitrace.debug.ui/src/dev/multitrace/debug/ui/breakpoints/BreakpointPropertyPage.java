package dev.multitrace.debug.ui.breakpoints;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;

import org.eclipse.core.runtime.Adapters;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.dialogs.PropertyPage;

import dev.multitrace.debug.core.breakpoints.MultitraceBreakpoint;
import dev.multitrace.session.SourceSyntax;

/**
 * Properties of a Multitrace breakpoint: enabled, condition (a C expression evaluated at the hit, with
 * the program's variables and types, and registers as $rax), hit count (stop from the N-th hit on) and thread filter.
 * Bad input is refused with the reason and nothing is saved until it is fixed.
 */
public final class BreakpointPropertyPage extends PropertyPage {

    private Button enabled;
    private Text condition;
    private Text hitCount;
    private Text threads;

    private MultitraceBreakpoint breakpoint() {
        return Adapters.adapt(getElement(), MultitraceBreakpoint.class);
    }

    @Override
    protected Control createContents(Composite parent) {
        noDefaultAndApplyButton();
        MultitraceBreakpoint bp = breakpoint();
        Composite top = new Composite(parent, SWT.NONE);
        top.setLayout(new GridLayout(2, false));

        enabled = new Button(top, SWT.CHECK);
        enabled.setText("&Enabled");
        enabled.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 2, 1));

        condition = field(top, "&Condition:", "condition",
                "Stop only when true, e.g.  $rax == 3  or  *(int*)($rbp - 20) > 2  or  *(int*)&counter >= 2");
        hitCount = field(top, "&Hit count:", "hitCount", "Stop from the N-th hit on; empty or 0: every hit");
        threads = field(top, "&Threads:", "threads", "Thread ids separated by commas; empty: every thread");

        try {
            enabled.setSelection(bp.isEnabled());
        } catch (CoreException e) {
            setErrorMessage(e.getStatus().getMessage());
        }
        condition.setText(bp.getCondition());
        hitCount.setText(bp.getHitCount() == 0 ? "" : Integer.toString(bp.getHitCount()));
        threads.setText(bp.getThreadFilter().stream().map(String::valueOf).collect(Collectors.joining(", ")));
        condition.addModifyListener(e -> validate());
        hitCount.addModifyListener(e -> validate());
        threads.addModifyListener(e -> validate());
        return top;
    }

    private static Text field(Composite parent, String label, String name, String hint) {
        new Label(parent, SWT.NONE).setText(label);
        Text t = new Text(parent, SWT.SINGLE | SWT.BORDER);
        t.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        t.setMessage(hint);
        t.setToolTipText(hint);
        t.setData("name", name);
        return t;
    }

    /** Checks every field; sets the error message and the page's validity. */
    private boolean validate() {
        String problem = conditionProblem(condition.getText());
        if (problem == null && parseHitCount(hitCount.getText()) < 0) {
            problem = "Hit count must be empty, 0 or a positive number: '" + hitCount.getText().strip() + "'";
        }
        if (problem == null && parseThreads(threads.getText()) == null) {
            problem = "Threads must be thread ids separated by commas: '" + threads.getText().strip() + "'";
        }
        setErrorMessage(problem);
        setValid(problem == null);
        return problem == null;
    }

    static String conditionProblem(String text) {
        String c = text.strip();
        if (c.isEmpty()) {
            return null;
        }
        String problem = SourceSyntax.problem(c);
        return problem == null ? null : "Condition: " + problem;
    }

    /** 0 for empty; -1 when not a non-negative number. */
    static int parseHitCount(String text) {
        String t = text.strip();
        if (t.isEmpty()) {
            return 0;
        }
        try {
            int n = Integer.parseInt(t);
            return n >= 0 ? n : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The thread ids, empty for none; null when some entry is not a positive number. */
    static Set<Integer> parseThreads(String text) {
        Set<Integer> out = new LinkedHashSet<>();
        for (String part : text.split("[,\\s]+")) {
            if (part.isEmpty()) {
                continue;
            }
            try {
                int tid = Integer.parseInt(part);
                if (tid <= 0) {
                    return null;
                }
                out.add(tid);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return out;
    }

    @Override
    public boolean performOk() {
        if (!validate()) {
            return false;
        }
        MultitraceBreakpoint bp = breakpoint();
        try {
            bp.setEnabled(enabled.getSelection());
            bp.setCondition(condition.getText());
            bp.setHitCount(parseHitCount(hitCount.getText()));
            bp.setThreadFilter(parseThreads(threads.getText()));
            return true;
        } catch (CoreException e) {
            setErrorMessage(e.getStatus().getMessage());
            return false;
        }
    }
}
