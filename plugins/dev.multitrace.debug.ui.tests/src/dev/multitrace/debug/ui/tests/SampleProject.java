package dev.multitrace.debug.ui.tests;

import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IFolder;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IPath;

/**
 * A workspace project over the debuggees: "src" links to their sources (native/), "bin" to the
 * build's binaries, so the tests select the program in a navigator and source lookup finds the
 * workspace file, as a user's project would.
 */
final class SampleProject {

    static final String NAME = "multitrace-samples";

    private SampleProject() {
    }

    static IProject get() throws CoreException {
        IProject project = ResourcesPlugin.getWorkspace().getRoot().getProject(NAME);
        if (!project.exists()) {
            project.create(null);
        }
        if (!project.isOpen()) {
            project.open(null);
        }
        link(project.getFolder("src"), System.getProperty("multitrace.native.src"));
        link(project.getFolder("bin"), System.getProperty("multitrace.native"));
        project.refreshLocal(IResource.DEPTH_INFINITE, null);
        return project;
    }

    private static void link(IFolder folder, String location) throws CoreException {
        if (!folder.exists()) {
            folder.createLink(IPath.fromOSString(location), IResource.NONE, null);
        }
    }

    static IFile binary(String name) throws CoreException {
        return get().getFile("bin/" + name);
    }

    static IFile source(String name) throws CoreException {
        return get().getFile("src/" + name + ".c");
    }
}
