package dev.multitrace.debug.ui.launch;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.variables.VariablesPlugin;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.ui.AbstractLaunchConfigurationTab;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.DirectoryDialog;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Group;
import org.eclipse.swt.widgets.Text;

import dev.multitrace.debug.core.LaunchAttributes;

/** Program, arguments and working directory of a Multitrace launch. */
public final class MainTab extends AbstractLaunchConfigurationTab {

    private Text program;
    private Text arguments;
    private Text workingDirectory;

    @Override
    public void createControl(Composite parent) {
        Composite top = new Composite(parent, SWT.NONE);
        top.setLayout(new GridLayout(1, false));
        setControl(top);

        Group programGroup = LaunchTabs.group(top, "&Program:", 2, SWT.FILL, false);
        program = field(programGroup, SWT.SINGLE | SWT.BORDER, "program");
        browse(programGroup, "&Browse...", program, () -> {
            FileDialog dialog = new FileDialog(getShell(), SWT.OPEN);
            dialog.setText("Program to debug");
            return dialog.open();
        });

        Group argsGroup = LaunchTabs.group(top, "Program &arguments:", 1, SWT.FILL, true);
        arguments = field(argsGroup, SWT.MULTI | SWT.WRAP | SWT.BORDER | SWT.V_SCROLL, "arguments");
        GridData argsData = new GridData(SWT.FILL, SWT.FILL, true, true);
        argsData.heightHint = 60;
        arguments.setLayoutData(argsData);

        Group wdGroup = LaunchTabs.group(top, "&Working directory (empty: the program's directory):", 2, SWT.FILL, false);
        workingDirectory = field(wdGroup, SWT.SINGLE | SWT.BORDER, "workingDirectory");
        browse(wdGroup, "B&rowse...", workingDirectory, () -> {
            DirectoryDialog dialog = new DirectoryDialog(getShell());
            dialog.setText("Working directory");
            return dialog.open();
        });
    }

    /** A text field that fills its row, named {@code name} for tests, revalidating the tab on every edit. */
    private Text field(Composite parent, int style, String name) {
        Text text = new Text(parent, style);
        text.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        text.setData("name", name);
        text.addModifyListener(e -> updateLaunchConfigurationDialog());
        return text;
    }

    /** A button that puts what {@code choose} returns into {@code target}; a cancelled dialog (null) changes nothing. */
    private void browse(Composite parent, String label, Text target, Supplier<String> choose) {
        Button button = createPushButton(parent, label, null);
        button.addListener(SWT.Selection, e -> {
            String chosen = choose.get();
            if (chosen != null) {
                target.setText(chosen);
            }
        });
    }

    @Override
    public void setDefaults(ILaunchConfigurationWorkingCopy configuration) {
        // The shortcut fills in the program; an empty configuration stays invalid until the user does.
    }

    @Override
    public void initializeFrom(ILaunchConfiguration configuration) {
        program.setText(LaunchTabs.string(configuration, LaunchAttributes.PROGRAM, ""));
        arguments.setText(LaunchTabs.string(configuration, LaunchAttributes.ARGUMENTS, ""));
        workingDirectory.setText(LaunchTabs.string(configuration, LaunchAttributes.WORKING_DIRECTORY, ""));
    }

    @Override
    public void performApply(ILaunchConfigurationWorkingCopy configuration) {
        configuration.setAttribute(LaunchAttributes.PROGRAM, program.getText().trim());
        setOrRemove(configuration, LaunchAttributes.ARGUMENTS, arguments.getText());
        setOrRemove(configuration, LaunchAttributes.WORKING_DIRECTORY, workingDirectory.getText().trim());
    }

    private static void setOrRemove(ILaunchConfigurationWorkingCopy configuration, String key, String value) {
        configuration.setAttribute(key, value.isEmpty() ? null : value);
    }

    @Override
    public boolean isValid(ILaunchConfiguration configuration) {
        setErrorMessage(null);
        String path = expand(program.getText().trim());
        if (path == null) {
            return false;
        }
        if (path.isEmpty()) {
            setErrorMessage("Choose the program to debug.");
            return false;
        }
        Path file = Path.of(path);
        if (!Files.isRegularFile(file)) {
            setErrorMessage("Program not found: " + path);
            return false;
        }
        if (!Files.isExecutable(file)) {
            setErrorMessage("Program is not executable (no x permission): " + path);
            return false;
        }
        String wd = expand(workingDirectory.getText().trim());
        if (wd == null) {
            return false;
        }
        if (!wd.isEmpty() && !new File(wd).isDirectory()) {
            setErrorMessage("Working directory does not exist: " + wd);
            return false;
        }
        return true;
    }

    /** Expands ${...} variables; null (with the error message set) when they do not expand. */
    private String expand(String text) {
        try {
            return VariablesPlugin.getDefault().getStringVariableManager().performStringSubstitution(text, false);
        } catch (CoreException e) {
            setErrorMessage(e.getStatus().getMessage());
            return null;
        }
    }

    @Override
    public String getName() {
        return "Main";
    }

    @Override
    public String getId() {
        return "dev.multitrace.debug.ui.mainTab";
    }
}
