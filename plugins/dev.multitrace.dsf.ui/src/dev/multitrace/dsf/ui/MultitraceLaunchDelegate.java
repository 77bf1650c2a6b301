package dev.multitrace.dsf.ui;

import dev.multitrace.debug.core.LaunchEnvironment;

import java.io.File;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.eclipse.cdt.debug.core.ICDTLaunchConfigurationConstants;
import org.eclipse.cdt.dsf.debug.sourcelookup.DsfSourceLookupParticipant;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IPath;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.variables.VariablesPlugin;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.model.ILaunchConfigurationDelegate2;
import org.eclipse.debug.core.model.LaunchConfigurationDelegate;
import org.eclipse.debug.core.sourcelookup.ISourceLookupDirector;
import org.eclipse.debug.core.sourcelookup.ISourceLookupParticipant;

/**
 * The Multitrace debugger of CDT's "C/C++ Application" launch configurations (debug mode): the program of
 * the configuration's Main tab (relative to its project, or absolute), the Arguments tab's arguments and working
 * directory, the Environment tab's variables, and the settings of the Multitrace Debugger tab
 * ({@link DebuggerSettings}).
 */
public final class MultitraceLaunchDelegate extends LaunchConfigurationDelegate implements ILaunchConfigurationDelegate2 {

    @Override
    public ILaunch getLaunch(ILaunchConfiguration configuration, String mode) {
        return new MultitraceLaunch(configuration, mode, null);
    }

    @Override
    public void launch(ILaunchConfiguration configuration, String mode, ILaunch launch, IProgressMonitor monitor)
            throws CoreException {
        MultitraceLaunch l = (MultitraceLaunch) launch;
        String program = programPath(configuration);
        String args = VariablesPlugin.getDefault().getStringVariableManager().performStringSubstitution(
                configuration.getAttribute(ICDTLaunchConfigurationConstants.ATTR_PROGRAM_ARGUMENTS, ""));
        List<String> arguments = Arrays.asList(DebugPlugin.parseArguments(args));
        DebuggerSettings settings = DebuggerSettings.ofLaunch(configuration);
        if (l.getSourceLocator() instanceof ISourceLookupDirector director) {
            // the director finds the files the DSF frames name
            director.addParticipants(new ISourceLookupParticipant[] { new DsfSourceLookupParticipant(l.getSession()) });
        }
        Map<String, String> environment = LaunchEnvironment.of(configuration);
        String directory = workingDirectory(configuration);
        try {
            l.startServices();
            l.useSourceLookupDirector();
            l.debug(program, arguments, environment, directory, settings);
        } catch (CoreException | RuntimeException e) {
            l.terminate();
            throw e;
        }
    }

    /**
     * The Arguments tab's working directory, its variables substituted; if it is empty, the configuration's project
     * folder, as CDT's gdb launch does; null (the IDE's own) without a project.
     */
    static String workingDirectory(ILaunchConfiguration configuration) throws CoreException {
        String dir = VariablesPlugin.getDefault().getStringVariableManager().performStringSubstitution(
                configuration.getAttribute(ICDTLaunchConfigurationConstants.ATTR_WORKING_DIRECTORY, ""));
        if (!dir.isBlank()) {
            return dir;
        }
        String projectName = configuration.getAttribute(ICDTLaunchConfigurationConstants.ATTR_PROJECT_NAME, "");
        if (projectName.isBlank()) {
            return null;
        }
        IPath location = ResourcesPlugin.getWorkspace().getRoot().getProject(projectName).getLocation();
        return location == null ? null : location.toOSString();
    }

    /** The program of the Main tab: absolute, or relative to the configuration's project. */
    static String programPath(ILaunchConfiguration configuration) throws CoreException {
        String name = configuration.getAttribute(ICDTLaunchConfigurationConstants.ATTR_PROGRAM_NAME, "");
        if (name.isBlank()) {
            throw new CoreException(SessionAdapters.error("the launch configuration names no program", null));
        }
        File file = new File(name);
        if (!file.isAbsolute()) {
            String projectName = configuration.getAttribute(ICDTLaunchConfigurationConstants.ATTR_PROJECT_NAME, "");
            if (!projectName.isBlank()) {
                IProject project = ResourcesPlugin.getWorkspace().getRoot().getProject(projectName);
                IPath location = project.getLocation();
                if (location != null) {
                    file = location.append(name).toFile();
                }
            }
        }
        if (!file.canExecute()) {
            throw new CoreException(SessionAdapters.error("not an executable program: " + file, null));
        }
        return file.getAbsolutePath();
    }
}
