package dev.multitrace.debug.core.breakpoints;

import dev.multitrace.debug.core.MultitraceDebug;
import dev.multitrace.session.DebugSession;

import java.util.Map;

import org.eclipse.core.resources.IMarker;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.IWorkspaceRunnable;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IPath;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.model.LineBreakpoint;

/**
 * A line breakpoint in a C/C++ (or any) source file, on marker type
 * {@link MultitraceDebug#LINE_BREAKPOINT_MARKER}. The marker is on the workspace file, or, for a
 * file outside the workspace (opened with File &gt; Open File), on the workspace root as CDT does;
 * either way it carries the file's absolute path ({@link #SOURCE_PATH}), which is what it resolves
 * by. In a session it is planted at every address the line table gives for that path (or, failing
 * that, the file's name) and line; a line without code moves to the next line that has some (up to
 * {@link #MAX_LINE_SEARCH} lines on).
 */
public class MultitraceLineBreakpoint extends LineBreakpoint implements MultitraceBreakpoint {

    /** How far a breakpoint on a line without code looks for the next line with code. */
    public static final int MAX_LINE_SEARCH = 20;

    /** String marker attribute: the source file's absolute path in the local file system. */
    public static final String SOURCE_PATH = MultitraceDebug.PLUGIN_ID + ".sourcePath";

    /** For the breakpoint manager, which restores persisted breakpoints with {@link #setMarker}. */
    public MultitraceLineBreakpoint() {
    }

    /**
     * Creates the breakpoint and its marker on {@code resource} at {@code line} (1-based) and,
     * with {@code register}, adds it to the breakpoint manager.
     */
    public MultitraceLineBreakpoint(IResource resource, int line, boolean register) throws CoreException {
        this(resource, resource.getLocation() == null ? null : resource.getLocation().toPath(), line, register);
    }

    /**
     * Creates the breakpoint on {@code line} (1-based) of the source file at {@code path} (absolute),
     * its marker on {@code resource}: the workspace file itself, or the workspace root for a file
     * outside the workspace.
     */
    public MultitraceLineBreakpoint(IResource resource, java.nio.file.Path path, int line, boolean register)
            throws CoreException {
        if (path != null && !path.isAbsolute()) {
            throw new CoreException(MultitraceDebug.error("a line breakpoint needs the source's absolute path, not " + path, null));
        }
        if (line < 1) {
            throw new CoreException(MultitraceDebug.error("no line " + line + ": lines start at 1", null));
        }
        String name = path != null ? path.getFileName().toString() : resource.getName();
        Map<String, Object> attributes = new java.util.HashMap<>(Map.of(org.eclipse.debug.core.model.IBreakpoint.ID,
                MultitraceDebug.MODEL_ID, IMarker.LINE_NUMBER, line, org.eclipse.debug.core.model.IBreakpoint.ENABLED,
                Boolean.TRUE, IMarker.MESSAGE, "Multitrace line breakpoint: " + name + " [line: " + line + "]"));
        if (path != null) {
            attributes.put(SOURCE_PATH, path.toString());
        }
        IWorkspaceRunnable create = monitor -> {
            IMarker marker = resource.createMarker(MultitraceDebug.LINE_BREAKPOINT_MARKER);
            setMarker(marker);
            marker.setAttributes(attributes);
        };
        run(getMarkerRule(resource), create);
        if (register) {
            DebugPlugin.getDefault().getBreakpointManager().addBreakpoint(this);
        }
    }


    @Override
    public String getModelIdentifier() {
        return MultitraceDebug.MODEL_ID;
    }

    /**
     * The source file's absolute path: the marker's {@link #SOURCE_PATH}, or the location of its
     * resource for breakpoints made before that attribute existed; null if neither is known.
     */
    public java.nio.file.Path getSourcePath() {
        IMarker m = getMarker();
        String p = m == null ? "" : m.getAttribute(SOURCE_PATH, "");
        if (!p.isEmpty()) {
            return java.nio.file.Path.of(p);
        }
        IPath location = m == null ? null : m.getResource().getLocation();
        return location == null || m.getResource().getType() == IResource.ROOT ? null : location.toPath();
    }

    /** The source file's name ({@code loop.c}), as labels show it. */
    public String getSourceName() {
        java.nio.file.Path p = getSourcePath();
        return p != null ? p.getFileName().toString() : getMarker().getResource().getName();
    }

    @Override
    public Resolution resolve(DebugSession session) {
        IMarker m = getMarker();
        int line = m.getAttribute(IMarker.LINE_NUMBER, -1);
        java.nio.file.Path location = getSourcePath();
        String name = getSourceName();
        for (int l = line; l > 0 && l < line + MAX_LINE_SEARCH; l++) {
            long[] a = location != null ? session.symbols().addressesFor(location.toString(), l) : new long[0];
            if (a.length == 0) {
                a = session.symbols().addressesFor(name, l);
            }
            if (a.length > 0) {
                return new Resolution(firstPerFunction(session, a), name + ":" + l);
            }
        }
        return new Resolution(new long[0], name + ":" + line);
    }

    /**
     * One address per function, its lowest: a line holding a call has a second line-table row
     * after the call returns (same line, is_stmt), and planting there too would stop twice per
     * execution of the line (gdb also plants at the line's first address in each function).
     */
    static long[] firstPerFunction(DebugSession session, long[] addresses) {
        Map<Long, Long> lowestByFunction = new java.util.TreeMap<>();
        java.util.List<Long> outside = new java.util.ArrayList<>();
        for (long a : addresses) {
            var f = session.symbols().functionAt(a);
            if (f.isEmpty()) {
                outside.add(a);
            } else {
                lowestByFunction.merge(f.get().start(), a, (x, y) -> Long.compareUnsigned(x, y) <= 0 ? x : y);
            }
        }
        outside.addAll(lowestByFunction.values());
        return outside.stream().mapToLong(Long::longValue).sorted().toArray();
    }
}
