package dev.multitrace.debug.ui.launch;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

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

        Group programGroup = group(top, "&Program:", 2);
        program = new Text(programGroup, SWT.SINGLE | SWT.BORDER);
        program.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        program.setData("name", "program");
        program.addModifyListener(e -> updateLaunchConfigurationDialog());
        Button browseProgram = createPushButton(programGroup, "&Browse...", null);
        browseProgram.addListener(SWT.Selection, e -> {
            FileDialog dialog = new FileDialog(getShell(), SWT.OPEN);
            dialog.setText("Program to debug");
            String chosen = dialog.open();
            if (chosen != null) {
                program.setText(chosen);
            }
        });

        Group argsGroup = group(top, "Program &arguments:", 1);
        arguments = new Text(argsGroup, SWT.MULTI | SWT.WRAP | SWT.BORDER | SWT.V_SCROLL);
        GridData argsData = new GridData(SWT.FILL, SWT.FILL, true, true);
        argsData.heightHint = 60;
        arguments.setLayoutData(argsData);
        arguments.setData("name", "arguments");
        arguments.addModifyListener(e -> updateLaunchConfigurationDialog());

        Group wdGroup = group(top, "&Working directory (empty: the program's directory):", 2);
        workingDirectory = new Text(wdGroup, SWT.SINGLE | SWT.BORDER);
        workingDirectory.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        workingDirectory.setData("name", "workingDirectory");
        workingDirectory.addModifyListener(e -> updateLaunchConfigurationDialog());
        Button browseDir = createPushButton(wdGroup, "B&rowse...", null);
        browseDir.addListener(SWT.Selection, e -> {
            DirectoryDialog dialog = new DirectoryDialog(getShell());
            dialog.setText("Working directory");
            String chosen = dialog.open();
            if (chosen != null) {
                workingDirectory.setText(chosen);
            }
        });
    }

    private static Group group(Composite parent, String title, int columns) {
        Group g = new Group(parent, SWT.NONE);
        g.setText(title);
        g.setLayout(new GridLayout(columns, false));
        g.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, columns == 1));
        return g;
    }

    @Override
    public void setDefaults(ILaunchConfigurationWorkingCopy configuration) {
        // The shortcut fills in the program; an empty configuration stays invalid until the user does.
    }

    @Override
    public void initializeFrom(ILaunchConfiguration configuration) {
        program.setText(attribute(configuration, LaunchAttributes.PROGRAM));
        arguments.setText(attribute(configuration, LaunchAttributes.ARGUMENTS));
        workingDirectory.setText(attribute(configuration, LaunchAttributes.WORKING_DIRECTORY));
    }

    private static String attribute(ILaunchConfiguration configuration, String key) {
        try {
            return configuration.getAttribute(key, "");
        } catch (CoreException e) {
            return "";
        }
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
