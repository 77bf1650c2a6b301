package dev.multitrace.cdt.ui.tests;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.debug.core.model.EngineLog;
import dev.multitrace.debug.ui.EnginesView;
import dev.multitrace.session.AttachedEngine;
import dev.multitrace.session.DebugSession;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.eclipse.debug.core.model.IProcess;
import org.eclipse.swt.widgets.TableItem;
import org.junit.jupiter.api.Test;

/**
 * The Engines view's own actions on a CDT (DSF) launch, as on a platform-model one: with the DSF thread selected,
 * "Attach Syscall Tracer" puts a syscall tracer on the program's threads beside the debugger, with a console of the
 * launch that gets strace's lines once the program runs; "Detach Engine" on its row takes it off again.
 */
class EnginesViewAttachTest {

    @Test
    void theEnginesViewAttachesAndDetachesASyscallTracerOnADsfSession() throws Exception {
        Workbench.prepare();
        try (LoopLaunch loop = LoopLaunch.stoppedAtMain("engines view attach")) {
            DebugSession s = loop.session;
            DebugViewThreads.selectMultitraceThread(s);
            EnginesView engines = (EnginesView) Workbench.page().showView(EnginesView.ID);
            Workbench.waitUntil("the Engines view offers Attach Syscall Tracer for the DSF thread", Duration.ofSeconds(10), () -> {
                engines.refresh();
                return engines.attachTracerAction().isEnabled();
            });
            engines.attachTracerAction().run();
            String tracer = Workbench.waitFor(Duration.ofSeconds(10), "a syscall tracer attached to the session",
                    () -> s.attachedEngines().stream().map(AttachedEngine::name).findFirst().orElse(null));
            Workbench.waitUntil(() -> "the Engines view lists " + tracer + " beside the debugger: " + names(engines), Duration.ofSeconds(10), () -> {
                engines.refresh();
                return names(engines).contains(tracer) && names(engines).contains(DebugSession.DEBUGGER);
            });
            org.eclipse.swt.widgets.TreeItem threadRow = DebugViewThreads.multitraceThreadItem(s);
            Workbench.waitUntil("the Debug view labels the thread again (the launch got the tracer's console)", Duration.ofSeconds(10),
                    () -> !threadRow.isDisposed() && !threadRow.getText().isEmpty());
            Workbench.screenshot("engines-view-syscall-tracer-attached-to-dsf-session.png");
            IProcess console = Arrays.stream(loop.launch.getProcesses()).filter(p -> p.getLabel().startsWith("syscall tracer: "))
                    .findFirst().orElseThrow(() -> new AssertionError("no tracer console in " + List.of(loop.launch.getProcesses())));

            s.resumeAll(); // loop runs to its end: its system calls (write, exit_group) are traced
            Workbench.waitUntil(() -> "the tracer's console has the program's write: " + text(console), Duration.ofSeconds(30),
                    () -> text(console).contains("write("));

            // a second launch to detach from (loop's session ended with the program)
        }
        try (LoopLaunch loop = LoopLaunch.stoppedAtMain("engines view detach")) {
            DebugSession s = loop.session;
            AttachedEngine attached = s.attachSyscallTracer(line -> {
            });
            DebugViewThreads.selectMultitraceThread(s);
            EnginesView engines = (EnginesView) Workbench.page().showView(EnginesView.ID);
            Workbench.waitUntil(() -> "the Engines view lists " + attached.name() + ": " + names(engines), Duration.ofSeconds(10), () -> {
                engines.refresh();
                return names(engines).contains(attached.name());
            });
            TableItem row = Arrays.stream(engines.viewer().getTable().getItems()).filter(r -> r.getText(1).equals(attached.name()))
                    .findFirst().orElseThrow();
            engines.viewer().getTable().setSelection(row);
            engines.viewer().setSelection(new org.eclipse.jface.viewers.StructuredSelection(row.getData()));
            Workbench.waitUntil("Detach Engine is enabled on the tracer's row", Duration.ofSeconds(10), () -> engines.detachAction().isEnabled());
            engines.detachAction().run();
            Workbench.waitUntil(() -> "the tracer is gone from the session and the view: " + names(engines), Duration.ofSeconds(10), () -> {
                engines.refresh();
                return s.attachedEngines().isEmpty() && !names(engines).contains(attached.name());
            });
            assertTrue(attached.isDetached());
            assertFalse(names(engines).isEmpty(), "the debugger is still listed");
        }
    }

    private static List<String> names(EnginesView engines) {
        return Arrays.stream(engines.viewer().getTable().getItems()).map(r -> r.getText(1)).toList();
    }

    private static String text(IProcess console) {
        return console.getStreamsProxy() == null ? "" : console.getStreamsProxy().getOutputStreamMonitor().getContents();
    }
}
