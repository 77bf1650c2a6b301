package dev.multitrace.debug.ui.launch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.runtime.Adapters;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.ILaunchConfigurationType;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.core.ILaunchManager;
import org.eclipse.debug.ui.DebugUITools;
import org.eclipse.debug.ui.ILaunchShortcut2;
import org.eclipse.jface.dialogs.ErrorDialog;
import org.eclipse.jface.viewers.ISelection;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.ui.IEditorInput;
import org.eclipse.ui.IEditorPart;
import org.eclipse.ui.IPathEditorInput;
import org.eclipse.ui.PlatformUI;

import dev.multitrace.debug.ui.MultitraceUi;

import dev.multitrace.debug.core.LaunchAttributes;
import dev.multitrace.debug.core.MultitraceDebug;

/**
 * "Multitrace Application" under Debug As / Run As: finds or creates the launch configuration
 * for an executable selected in a navigator or open in an editor, and launches it.
 */
public final class MultitraceLaunchShortcut implements ILaunchShortcut2 {

    @Override
    public void launch(ISelection selection, String mode) {
        Path program = programOf(selection);
        if (program != null) {
            launch(program, mode);
        }
    }

    @Override
    public void launch(IEditorPart editor, String mode) {
        Path program = programOf(editor.getEditorInput());
        if (program != null) {
            launch(program, mode);
        }
    }

    /** Finds or creates the configuration for {@code program} and launches it in {@code mode}. */
    public static ILaunchConfiguration launch(Path program, String mode) {
        try {
            ILaunchConfiguration configuration = findOrCreate(program);
            DebugUITools.launch(configuration, mode);
            return configuration;
        } catch (CoreException e) {
            ErrorDialog.openError(PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell(),
                    "Multitrace Application", "Cannot launch " + program, e.getStatus());
            return null;
        }
    }

    /** The existing configuration whose program is {@code program}, or a new saved one. */
    public static ILaunchConfiguration findOrCreate(Path program) throws CoreException {
        ILaunchConfiguration[] existing = configurationsFor(program.toString());
        if (existing.length > 0) {
            return existing[0];
        }
        ILaunchManager manager = DebugPlugin.getDefault().getLaunchManager();
        ILaunchConfigurationType type = manager.getLaunchConfigurationType(MultitraceDebug.LAUNCH_TYPE_ID);
        if (type == null) {
            throw new CoreException(MultitraceUi.error("The launch type " + MultitraceDebug.LAUNCH_TYPE_ID + " is not installed", null));
        }
        ILaunchConfigurationWorkingCopy copy = type.newInstance(null,
                manager.generateLaunchConfigurationName(program.getFileName().toString()));
        copy.setAttribute(LaunchAttributes.PROGRAM, program.toString());
        copy.setAttribute(LaunchAttributes.STOP_MODE, LaunchAttributes.STOP_AT_MAIN);
        return copy.doSave();
    }

    private static ILaunchConfiguration[] configurationsFor(String program) {
        ILaunchManager manager = DebugPlugin.getDefault().getLaunchManager();
        ILaunchConfigurationType type = manager.getLaunchConfigurationType(MultitraceDebug.LAUNCH_TYPE_ID);
        if (type == null) {
            return new ILaunchConfiguration[0];
        }
        List<ILaunchConfiguration> out = new ArrayList<>();
        try {
            for (ILaunchConfiguration c : manager.getLaunchConfigurations(type)) {
                if (program.equals(c.getAttribute(LaunchAttributes.PROGRAM, ""))) {
                    out.add(c);
                }
            }
        } catch (CoreException e) {
            MultitraceUi.log(e.getStatus());
        }
        return out.toArray(ILaunchConfiguration[]::new);
    }

    @Override
    public ILaunchConfiguration[] getLaunchConfigurations(ISelection selection) {
        Path program = programOf(selection);
        return program == null ? null : configurationsFor(program.toString());
    }

    @Override
    public ILaunchConfiguration[] getLaunchConfigurations(IEditorPart editor) {
        Path program = programOf(editor.getEditorInput());
        return program == null ? null : configurationsFor(program.toString());
    }

    @Override
    public IResource getLaunchableResource(ISelection selection) {
        if (selection instanceof IStructuredSelection s && s.getFirstElement() != null) {
            return Adapters.adapt(s.getFirstElement(), IResource.class);
        }
        return null;
    }

    @Override
    public IResource getLaunchableResource(IEditorPart editor) {
        return Adapters.adapt(editor.getEditorInput(), IFile.class);
    }

    private static Path programOf(ISelection selection) {
        if (selection instanceof IStructuredSelection s && s.getFirstElement() != null) {
            IResource resource = Adapters.adapt(s.getFirstElement(), IResource.class);
            if (resource != null && resource.getLocation() != null) {
                return resource.getLocation().toPath();
            }
        }
        return null;
    }

    private static Path programOf(IEditorInput input) {
        IFile file = Adapters.adapt(input, IFile.class);
        if (file != null && file.getLocation() != null) {
            return file.getLocation().toPath();
        }
        if (input instanceof IPathEditorInput p) {
            return p.getPath().toPath();
        }
        return null;
    }
}
