package dev.multitrace.engines;

import dev.multitrace.core.ExitStatus;
import dev.multitrace.core.LaunchSpec;
import dev.multitrace.core.TracedProcess;
import dev.multitrace.core.Tracing;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a program under the syscall tracer and returns what it printed. */
final class Traced {

    record Run(String trace, ExitStatus status, long callsSeen) {
    }

    private Traced() {
    }

    static Run run(List<String> expressions, boolean follow, List<String> command) throws Exception {
        return run(expressions, follow, false, command);
    }

    /** With {@code toFile}, the lines are laid out as strace writes them to {@code -o FILE}. */
    static Run run(List<String> expressions, boolean follow, boolean toFile, List<String> command) throws Exception {
        try (Tracing tracing = Tracing.start()) {
            StringWriter out = new StringWriter();
            SyscallTracer tracer = new SyscallTracer(tracing, out, SyscallFilter.parse(expressions), follow, toFile);
            TracedProcess p = tracer.launch(new LaunchSpec(command, null, null, true));
            ExitStatus st = p.exitStatus().get(60, TimeUnit.SECONDS);
            tracer.awaitAllGone(Duration.ofSeconds(10));
            return new Run(out.toString(), st, tracer.callsSeen());
        }
    }
}
