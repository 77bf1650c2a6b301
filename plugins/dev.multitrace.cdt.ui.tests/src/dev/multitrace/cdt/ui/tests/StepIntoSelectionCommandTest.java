package dev.multitrace.cdt.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.session.DebugSession;
import dev.multitrace.session.FrameInfo;
import dev.multitrace.session.SessionListener;
import dev.multitrace.session.StepKind;
import dev.multitrace.testing.TestPrograms;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.cdt.core.CCorePlugin;
import org.eclipse.cdt.core.CProjectNature;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.IWorkspace;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.IPath;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.IRegion;
import org.eclipse.ui.IEditorPart;
import org.eclipse.ui.ide.IDE;
import org.eclipse.ui.texteditor.ITextEditor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * CDT's Step Into Selection command (Ctrl+F5) on a Multitrace thread: nested.c open in CDT's C editor (a C
 * project linking the program's own source, so the editor's path is the one its DWARF names), the caret on
 * {@code outer} in {@code r = outer(inner(3), other(4));}, the thread at main's first line. CDT resolves the
 * caret to the function's declaration and calls {@code IRunControl3}: the thread runs to the line, runs
 * {@code other} and {@code inner} to their return and stops in {@code outer}'s body.
 */
class StepIntoSelectionCommandTest {

    private static final String PROJECT = "stepselection";
    private static final String COMMAND = "org.eclipse.cdt.debug.ui.command.StepIntoSelection";

    @AfterEach
    void cleanUp() throws Exception {
        Workbench.page().closeAllEditors(false);
        IProject p = ResourcesPlugin.getWorkspace().getRoot().getProject(PROJECT);
        if (p.exists()) {
            p.delete(true, true, null); // a linked file's target stays
        }
    }

    /** A C project holding a link to nested.c, as a user's project holds the program's source. */
    private static IFile nestedSourceInACProject() throws Exception {
        IWorkspace ws = ResourcesPlugin.getWorkspace();
        IProject project = CCorePlugin.getDefault().createCDTProject(ws.newProjectDescription(PROJECT), ws.getRoot().getProject(PROJECT), null);
        CProjectNature.addCNature(project, null);
        IFile file = project.getFile("nested.c");
        file.createLink(IPath.fromOSString(TestPrograms.source("nested").toString()), IResource.NONE, null);
        return file;
    }

    @Test
    void theCommandWithTheCaretOnAFunctionNameStepsIntoThatCall() throws Exception {
        Workbench.prepare();
        IFile file = nestedSourceInACProject();
        try (LoopLaunch nested = LoopLaunch.stoppedAtMain("nested, step into selection", "nested")) {
            DebugSession s = nested.session;
            int pid = s.pid();
            assertEquals(TestPrograms.mark("nested", "main-first"), line(s.frames(pid).get(0)));
            AtomicInteger steps = new AtomicInteger();
            s.addListener(new SessionListener() {
                @Override
                public void threadResumed(int tid, StepKind step) {
                    if (step != null) {
                        steps.incrementAndGet();
                    }
                }
            });
            DebugViewThreads.selectMultitraceThread(s);
            // The selection shows main's line in an editor (the launch's source display), which becomes the active
            // one; the user's editor below is opened after it, as a user clicks into the file after the stop.
            Workbench.waitUntil("the source display showed nested.c", Duration.ofSeconds(20), () -> java.util.Arrays
                    .stream(Workbench.page().getEditorReferences()).anyMatch(r -> r.getName().equals("nested.c")));
            Workbench.spin(500);

            IEditorPart part = IDE.openEditor(Workbench.page(), file);
            assertEquals("org.eclipse.cdt.internal.ui.editor.CEditor", part.getClass().getName(), "CDT's C editor");
            ITextEditor editor = (ITextEditor) part;
            IDocument doc = editor.getDocumentProvider().getDocument(editor.getEditorInput());
            IRegion call = doc.getLineInformation(TestPrograms.mark("nested", "nested-call") - 1);
            int outer = doc.get(call.getOffset(), call.getLength()).indexOf("outer(");
            assertTrue(outer >= 0);
            editor.selectAndReveal(call.getOffset() + outer + 2, 0); // the caret inside the name, nothing selected
            Workbench.page().activate(editor);

            // CDT resolves the caret on the editor's AST, which its reconciler builds after the editor opens: until
            // then the command does nothing (no step), and a user would press Ctrl+F5 again.
            Workbench.waitUntil("Step Into Selection started a step", Duration.ofSeconds(60), () -> {
                DebugViewThreads.runCommand(COMMAND);
                long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                while (steps.get() == 0 && System.nanoTime() < end) {
                    Workbench.spin(50);
                }
                return steps.get() > 0;
            });
            Workbench.waitUntil("stopped in outer", Duration.ofSeconds(30), () -> s.isHeld(pid) && function(s, pid).equals("outer"));
            List<FrameInfo> frames = s.frames(pid);
            assertEquals(TestPrograms.mark("nested", "outer-body"), line(frames.get(0)), frames::toString);
            assertEquals("main", frames.get(1).functionName(), frames::toString);
            assertEquals(TestPrograms.mark("nested", "nested-call"), line(frames.get(1)), frames::toString);
            assertEquals("6", s.variables(pid, 0).evaluate("a").text(), "inner(3) ran over");
            assertEquals("5", s.variables(pid, 0).evaluate("b").text(), "other(4) ran over");
            assertEquals(1, steps.get(), "one step: the command ran once it could resolve the caret");
            assertEquals("step", s.stateLabel(pid));
            Workbench.spin(500);
            Workbench.screenshot("step-into-selection-in-outer.png");
        }
    }

    private static int line(FrameInfo f) {
        return f.source().map(p -> p.line()).orElse(-1);
    }

    private static String function(DebugSession s, int pid) {
        try {
            return s.frames(pid).get(0).functionName();
        } catch (IllegalStateException running) {
            return "";
        }
    }
}
