package dev.multitrace.rsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An exec by a thread that is not the leader, under exec events: the exec'ing thread takes the
 * leader's tid, and the stub reports the exec as gdbserver does, under the leader's ptid, the old
 * thread gone.
 */
class ThreadExecTest extends ServedProgramTest {

    @Test
    void catchExecByANonLeaderThread() throws Exception {
        String prog = Gdb.program("threadexec");
        int port = serve(true, prog);
        String pid = Integer.toString(traced.pid());
        Gdb.Run run = Gdb.run(prog, List.of(
                "target remote 127.0.0.1:" + port,
                "catch exec",
                "continue",
                "info threads",
                "continue"));
        assertTrue(run.has("is executing new program: "), show(run));
        assertTrue(run.output().matches("(?s).*Catchpoint 1 \\(exec'd .*threadexec\\).*"), show(run));
        // One thread left, the leader's ptid.
        assertTrue(run.output().matches("(?s).*\\* 1    Thread " + pid + "\\." + pid + " [^\\n]*\\n(?!  \\d).*"), show(run));
        assertTrue(run.has("exited with code 03"), show(run));
        assertEquals("execd\n", programOutput(), show(run));
        assertEquals(3, traced.exitStatus().get(30, TimeUnit.SECONDS).code());
    }

    /** The raw protocol: the exec stop reply names the leader's ptid. */
    @Test
    void theExecStopReplyIsTheLeaders() throws Exception {
        launch(true, Gdb.program("threadexec"));
        server.start();
        String pid = Integer.toHexString(traced.pid());
        try (RawClient c = new RawClient(server.port())) {
            c.request("qSupported:multiprocess+;swbreak+;fork-events+;exec-events+");
            c.request("?");
            String stop = c.request("vCont;c");
            assertTrue(stop.matches("T05exec:[0-9a-f]+;thread:p" + pid + "\\." + pid + ";"), stop);
            String threads = c.request("qfThreadInfo");
            assertEquals("mp" + pid + "." + pid, threads);
            assertEquals("W03;process:" + pid, c.request("vCont;c"));
        }
        assertEquals("execd\n", programOutput());
    }
}
