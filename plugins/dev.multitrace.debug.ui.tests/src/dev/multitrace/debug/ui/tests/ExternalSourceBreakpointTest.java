package dev.multitrace.debug.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

import org.eclipse.core.filesystem.EFS;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.core.ILaunchManager;
import org.eclipse.debug.core.model.IBreakpoint;
import org.eclipse.debug.core.model.IDebugTarget;
import org.eclipse.debug.core.model.IThread;
import org.eclipse.debug.ui.IDebugUIConstants;
import org.eclipse.ui.IEditorPart;
import org.eclipse.ui.IURIEditorInput;
import org.eclipse.ui.ide.IDE;
import org.eclipse.ui.texteditor.ITextEditor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.multitrace.debug.core.LaunchAttributes;
import dev.multitrace.debug.core.MultitraceDebug;
import dev.multitrace.debug.core.breakpoints.MultitraceLineBreakpoint;
import dev.multitrace.debug.core.model.MultitraceStackFrame;

/**
 * A C file outside the workspace, opened as File &gt; Open File does (an editor on a file store):
 * the ruler's toggle makes a line breakpoint whose marker is on the workspace root with the file's
 * absolute path, the Breakpoints view names it, a program compiled from that file stops there, and
 * toggling again removes it.
 */
public class ExternalSourceBreakpointTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @BeforeAll
    static void prepare() throws Exception {
        Workbench.prepareForDebugging();
    }

    @Test
    void rulerToggleInAnOutsideFileBreaksInTheProgramBuiltFromIt() throws Exception {
        Path dir = Files.createTempDirectory("multitrace-outside-");
        try {
            Path source = dir.resolve("outside.c");
            Files.copy(Programs.source("sample"), source);
            Path binary = dir.resolve("outside");
            Process gcc = new ProcessBuilder("gcc", "-g", "-O0", "-o", binary.toString(), source.toString())
                    .redirectErrorStream(true).start();
            String gccOut = new String(gcc.getInputStream().readAllBytes());
            assertEquals(0, gcc.waitFor(), gccOut);
            assertEquals(0, ResourcesPlugin.getWorkspace().getRoot().findFilesForLocationURI(source.toUri()).length,
                    "the file is outside the workspace");

            IEditorPart part = IDE.openEditorOnFileStore(Workbench.page(), EFS.getLocalFileSystem().getStore(source.toUri()));
            assertTrue(part instanceof ITextEditor, "a text editor: " + part);
            assertTrue(part.getEditorInput() instanceof IURIEditorInput, "on the file itself, not a workspace copy");
            ITextEditor editor = (ITextEditor) part;
            int line = Programs.line(source, "loop-body");
            DebugSampleTest.toggleLineBreakpoint(editor, line);

            IBreakpoint[] ours = DebugPlugin.getDefault().getBreakpointManager().getBreakpoints(MultitraceDebug.MODEL_ID);
            assertEquals(1, ours.length);
            MultitraceLineBreakpoint bp = (MultitraceLineBreakpoint) ours[0];
            assertEquals(ResourcesPlugin.getWorkspace().getRoot(), bp.getMarker().getResource(), "marker on the workspace root");
            assertEquals(source.toString(), bp.getMarker().getAttribute(MultitraceLineBreakpoint.SOURCE_PATH, ""));
            assertEquals(line, bp.getLineNumber());
            Views.awaitItem(IDebugUIConstants.ID_BREAKPOINT_VIEW, "the outside file's breakpoint", WAIT,
                    t -> t.contains("outside.c [line: " + line + "]"));

            var type = DebugPlugin.getDefault().getLaunchManager().getLaunchConfigurationType(MultitraceDebug.LAUNCH_TYPE_ID);
            ILaunchConfigurationWorkingCopy wc = type.newInstance(null, "outside");
            wc.setAttribute(LaunchAttributes.PROGRAM, binary.toString());
            wc.setAttribute(LaunchAttributes.STOP_MODE, LaunchAttributes.STOP_NONE);
            try (DebugEvents events = new DebugEvents()) {
                int mark = events.mark();
                ILaunch launch = wc.launch(ILaunchManager.DEBUG_MODE, new NullProgressMonitor());
                try {
                    IDebugTarget target = launch.getDebugTarget();
                    IThread thread = events.awaitSuspend(target, mark, WAIT);
                    MultitraceStackFrame top = (MultitraceStackFrame) thread.getTopStackFrame();
                    assertEquals(line, top.getLineNumber());
                    assertEquals("outside.c", top.getSourceName());
                    assertEquals(bp, thread.getBreakpoints()[0]);
                } finally {
                    launch.terminate();
                }
            }

            DebugSampleTest.toggleLineBreakpoint(editor, line);
            assertEquals(0, DebugPlugin.getDefault().getBreakpointManager().getBreakpoints(MultitraceDebug.MODEL_ID).length,
                    "toggling again removes it");
            assertNull(bp.getMarker().getResource().findMarker(bp.getMarker().getId()));
            Workbench.page().closeEditor(editor, false);
        } finally {
            DebugPlugin.getDefault().getBreakpointManager().removeBreakpoints(
                    DebugPlugin.getDefault().getBreakpointManager().getBreakpoints(MultitraceDebug.MODEL_ID), true);
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
