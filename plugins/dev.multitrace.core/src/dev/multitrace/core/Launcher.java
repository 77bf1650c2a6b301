package dev.multitrace.core;

import dev.multitrace.linux.LibC;
import dev.multitrace.linux.LinuxException;
import dev.multitrace.linux.Ptrace;
import dev.multitrace.linux.PtraceConstants;
import dev.multitrace.linux.Signal;
import dev.multitrace.linux.SpawnedProcess;
import dev.multitrace.linux.Spawner;

import java.io.IOException;
import java.util.ArrayDeque;

/**
 * Launching a program under the service: spawned through the gate shell, seized, and taken from
 * the shell's exec to the program's.
 * <p>
 * Threading: tracer thread only. The child's first statuses are claimed
 * ({@link TracerContext#claimed}) and waited for by running the event loop, never with a waitpid
 * on its pid.
 */
final class Launcher {

    private final TracerContext cx;

    Launcher(TracerContext cx) {
        this.cx = cx;
    }

    Engine launch(LaunchSpec spec, EngineOps ops, Object data, long mask) {
        Spawner sp = new Spawner(spec.command());
        if (spec.environment() != null) {
            sp.environment(spec.environment());
        }
        if (spec.workingDirectory() != null) {
            sp.directory(spec.workingDirectory());
        }
        if (!spec.pipeStdio()) {
            sp.inheritIO();
        }
        SpawnedProcess child = sp.start();
        int pid = child.pid();
        cx.claimed.put(pid, new ArrayDeque<>()); // its statuses are ours until it is a task
        try {
            try {
                Ptrace.seize(pid, Tracer.OPTIONS | PtraceConstants.EXITKILL);
            } catch (RuntimeException e) {
                LibC.kill(pid, Signal.SIGKILL);
                int raw;
                do {
                    raw = cx.tracer.nextStatusOf(pid);
                } while (raw != Tracer.NO_STATUS && Stop.isStop(raw));
                throw e;
            }
            // posix_spawn returns once the child's exec of the gate shell has begun, which can be before
            // that exec reports. Interrupt it and take its first stop: either the shell's own EXEC stop
            // (which consumes the interrupt: any ptrace stop clears a pending one) or the interrupt
            // stop. Either way the shell's exec is behind us, and the next EXEC is the program's.
            Ptrace.interrupt(pid);
            waitLaunchStop(spec, child, pid, false);
            child.release();
            Ptrace.cont(pid, 0);
            waitLaunchStop(spec, child, pid, true);
        } finally {
            cx.claimed.remove(pid);
        }
        TracedProcess p = new TracedProcess(pid, true, false);
        p.stdin = child.stdin();
        p.stdout = child.stdout();
        p.stderr = child.stderr();
        Task t = new Task(pid, p);
        t.atStop();
        t.stateLabel = "before first instruction";
        cx.processes.put(pid, p);
        cx.addTask(t);
        Engine e = new Engine(cx.tracer, t, ops, data, mask);
        e.holdsStop = true;
        t.add(e);
        cx.resumer.maybeResume(t);
        return e;
    }

    /**
     * Waits for the launched child's next stop ({@code untilExec} false) or its exec stop, passing
     * on a signal it stops for before it (a SIGTRAP excepted: the gate shell's own).
     */
    void waitLaunchStop(LaunchSpec spec, SpawnedProcess child, int pid, boolean untilExec) {
        while (true) {
            int raw = cx.tracer.nextStatusOf(pid);
            if (raw == Tracer.NO_STATUS) {
                throw LinuxException.of(LibC.errno(), "waitpid(" + pid + ")");
            }
            Stop stop = Stop.decode(raw);
            if (stop instanceof Stop.Gone) {
                throw new TracingException("cannot launch " + spec.command() + ": " + ExitStatus.of(raw)
                        + before127(child, raw));
            }
            if (!untilExec || stop instanceof Stop.Exec) {
                return;
            }
            Ptrace.cont(pid, stop instanceof Stop.Delivery d && d.signal() != Signal.SIGTRAP ? d.signal() : 0);
        }
    }

    static String before127(SpawnedProcess child, int raw) {
        try {
            byte[] err = child.stderr().readNBytes(4096);
            String s = new String(err, java.nio.charset.StandardCharsets.UTF_8).strip();
            return s.isEmpty() ? "" : " (" + s + ")";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
