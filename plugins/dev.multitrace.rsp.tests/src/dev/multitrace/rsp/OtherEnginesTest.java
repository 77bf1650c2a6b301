package dev.multitrace.rsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.core.Engine;
import dev.multitrace.core.EngineOps;
import dev.multitrace.core.Event;
import dev.multitrace.core.ResumeAction;
import dev.multitrace.core.SignalReport;
import dev.multitrace.core.Task;

import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** gdb is one engine among others: a signal gdb keeps from the program still reaches the others. */
class OtherEnginesTest extends ServedProgramTest {

    /** Another engine that only watches signals. */
    static final class SignalWatcher implements EngineOps {
        final List<Integer> seen = new CopyOnWriteArrayList<>();

        @Override
        public ResumeAction signal(Engine engine, Task task, SignalReport report) {
            seen.add(report.signal());
            return ResumeAction.RESUME;
        }
    }

    @Test
    void aSignalGdbDoesNotPassIsStillReportedToTheOtherEngines() throws Exception {
        String demo = Gdb.program("demo");
        launch(true, demo, "spin");
        SignalWatcher watcher = new SignalWatcher();
        tracing.attach(traced.leader(), watcher, "watcher", EnumSet.of(Event.SIGNAL));
        server.start();
        int pid = traced.pid();
        Gdb.Run run = Gdb.run(demo, List.of(
                "target remote 127.0.0.1:" + server.port(),
                "handle SIGUSR1 stop print nopass",
                "monitor engines",
                "continue",            // the test sends SIGUSR1 to the program meanwhile
                "p got_usr1",
                "p $_siginfo.si_signo",
                "p $_siginfo.si_code",
                "signal SIGUSR1"), 120, gdb -> {
                    Thread t = new Thread(() -> {
                        try {
                            Thread.sleep(1500);
                            new ProcessBuilder("kill", "-USR1", Integer.toString(pid)).inheritIO().start().waitFor();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    t.setDaemon(true);
                    t.start();
                });
        String all = show(run);
        assertTrue(run.output().matches("(?s).*thread " + pid + " of " + pid + " \\(.*\\): engines gdbserver\\[holds\\] watcher.*"), all);
        assertTrue(run.has("Program received signal SIGUSR1"), all);
        assertTrue(run.has("$1 = 0"), "gdb kept the signal from the program: " + all);
        // qXfer:siginfo:read: the signal's own siginfo, sent by kill(1) (SI_USER = 0)
        assertTrue(run.has("$2 = 10") && run.has("$3 = 0"), all);
        assertEquals(42, traced.exitStatus().get(30, TimeUnit.SECONDS).code(), all);
        assertTrue(watcher.seen.contains(10), "the other engine saw SIGUSR1: " + watcher.seen);
        String out = programOutput();
        assertEquals(1, out.split("handler got signal 10", -1).length - 1, out);
        assertTrue(out.contains("result=42 factor=3 usr1=1"), out);
    }
}
