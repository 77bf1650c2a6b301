package dev.multitrace.debug.ui.launch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.eclipse.core.expressions.PropertyTester;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.runtime.Adapters;
import org.eclipse.core.runtime.IPath;

/**
 * {@code dev.multitrace.debug.ui.isExecutable}: whether a resource is a file the Multitrace
 * shortcut can launch — an ELF file with the x permission. Reads four bytes, so menus stay fast.
 */
public final class ExecutableTester extends PropertyTester {

    @Override
    public boolean test(Object receiver, String property, Object[] args, Object expectedValue) {
        IResource resource = Adapters.adapt(receiver, IResource.class);
        if (resource == null || resource.getType() != IResource.FILE) {
            return false;
        }
        IPath location = resource.getLocation();
        return location != null && isElfExecutable(location.toPath());
    }

    /** An executable ELF file (magic 0x7f 'E' 'L' 'F' and the x permission). */
    public static boolean isElfExecutable(Path file) {
        if (!Files.isRegularFile(file) || !Files.isExecutable(file)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F';
        } catch (IOException e) {
            return false;
        }
    }
}
