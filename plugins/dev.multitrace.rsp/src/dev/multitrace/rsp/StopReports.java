package dev.multitrace.rsp;

import dev.multitrace.core.ExitStatus;
import dev.multitrace.core.Result;
import dev.multitrace.core.ResumeAction;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Map;

/**
 * Telling the client about stops: the stop reply of a held thread's event ({@code T...}), of an
 * exit ({@code W}/{@code X}), {@code ?}, and in non-stop mode the {@code %Stop} notification with
 * its {@code vStopped} queue and stopping single threads.
 * <p>
 * Protocol thread. The events themselves were recorded by engine callbacks in
 * {@link StubThread#pending} under the target's monitor; what is read or consumed here is read
 * under it too.
 */
final class StopReports implements PacketHandler.Family {

    private final ClientState client;
    private final StubTarget target;
    private final Connection connection;
    private final PrintWriter log;
    /** Non-stop: stop replies not yet consumed by vStopped (the first was sent as a %Stop notification). */
    private final ArrayDeque<String> stopQueue = new ArrayDeque<>();

    StopReports(ClientState client, Connection connection, PrintWriter log) {
        this.client = client;
        this.target = client.target;
        this.connection = connection;
        this.log = log;
    }

    @Override
    public void register(Map<String, PacketHandler> table) {
        table.put("?", r -> haltReason());
        table.put("vStopped", r -> {
            // The head was acknowledged; the next one (queued, or newer than the notification) follows.
            stopQueue.poll();
            if (stopQueue.isEmpty()) {
                String more = nextUnreportedStop();
                if (more != null) {
                    stopQueue.add(more);
                }
            }
            String next = stopQueue.peek();
            return next == null ? "OK" : next;
        });
    }

    /** Caller holds the monitor. */
    StubProcess unreportedExit() {
        for (StubProcess p : target.processes.values()) {
            if (p.exit != null && !p.exitReported) {
                return p;
            }
        }
        return null;
    }

    /** Caller holds the monitor. */
    StubThread oldestPending() {
        return oldestPending(0);
    }

    /** The thread with the oldest unreported event newer than {@code since}. Caller holds the monitor. */
    StubThread oldestPending(long since) {
        StubThread best = null;
        for (StubProcess p : target.processes.values()) {
            for (StubThread th : p.threads.values()) {
                if (!th.gone && th.pending != null && th.held() && !th.reportedStopped && th.pending.seq() > since
                        && (best == null || th.pending.seq() < best.pending.seq())) {
                    best = th;
                }
            }
        }
        return best;
    }

    /** W or X for a process that ended, told once. */
    String exitReply(StubProcess p) {
        ExitStatus st;
        synchronized (target) {
            p.exitReported = true;
            st = p.exit;
            target.processes.remove(p.pid);
        }
        String proc = client.multiprocess ? ";process:" + Integer.toHexString(p.pid) : "";
        if (st.exited()) {
            log.println("Child exited with status " + st.code());
            return String.format("W%02x", st.code()) + proc;
        }
        log.println("Child terminated with signal = " + st.signal());
        return String.format("X%02x", GdbSignals.toGdb(st.signal())) + proc;
    }

    /** The stop reply for a held thread's event (consumed); becomes the answer to '?'. */
    String reportStop(StubThread th) {
        StopEvent ev;
        synchronized (target) {
            ev = th.pending != null ? th.pending : th.lastReported;
            th.pending = null;
            th.lastReported = ev;
            th.reportedStopped = client.nonStop;
        }
        client.select(th);
        int sig = ev == null ? 0 : GdbSignals.toGdb(ev.signal());
        StringBuilder s = new StringBuilder(String.format("T%02x", sig));
        if (ev != null) {
            // gdbserver's order: the event's own field first, then the thread.
            switch (ev.kind()) {
                case FORK -> {
                    int childPid = (int) ev.address();
                    s.append("fork:").append(ThreadId.format(childPid, childPid, true)).append(';');
                    inheritClientPoints(childPid);
                }
                case VFORK -> {
                    int childPid = (int) ev.address();
                    s.append("vfork:").append(ThreadId.format(childPid, childPid, true)).append(';');
                }
                case VFORK_DONE -> s.append("vforkdone:;");
                case EXEC -> s.append("exec:").append(Hex.encode(executable(th.process.pid).getBytes(StandardCharsets.UTF_8))).append(';');
                case CREATE -> s.append("create:;");
                default -> {
                }
            }
        }
        s.append("thread:").append(client.id(th)).append(';');
        if (ev != null) {
            switch (ev.kind()) {
                case SWBREAK -> {
                    if (client.swbreak) {
                        s.append("swbreak:;");
                    }
                }
                case HWBREAK -> {
                    if (client.hwbreak) {
                        s.append("hwbreak:;");
                    }
                }
                case WATCH -> s.append("watch:").append(Long.toHexString(ev.address())).append(';');
                case AWATCH -> s.append("awatch:").append(Long.toHexString(ev.address())).append(';');
                default -> {
                }
            }
        }
        return s.toString();
    }

    /** A reported fork's child takes copies of the breakpoints and watchpoints its memory inherited. */
    private void inheritClientPoints(int childPid) {
        StubProcess child = client.process(childPid);
        StubProcess parent;
        synchronized (target) {
            parent = child == null ? null : child.forkedFrom;
            if (child != null) {
                child.forkedFrom = null;
            }
        }
        if (parent != null) {
            child.breakpoints.addAll(parent.breakpoints);
            child.watchpoints.putAll(parent.watchpoints);
        }
    }

    private static String executable(int pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/" + pid + "/exe")).toString();
        } catch (IOException gone) {
            return "";
        }
    }

    /** '?': the stop the client should know about now (non-stop: every stopped thread, through the vStopped queue). */
    private String haltReason() {
        if (client.nonStop) {
            stopQueue.clear();
            for (StubThread th : target.threads()) {
                boolean held;
                synchronized (target) {
                    held = th.held();
                }
                if (held) {
                    stopQueue.add(reportStop(th));
                }
            }
            return stopQueue.isEmpty() ? "OK" : stopQueue.peek();
        }
        synchronized (target) {
            StubProcess exited = unreportedExit();
            if (exited != null) {
                return exitReply(exited);
            }
            StubThread th = oldestPending();
            if (th != null) {
                return reportStop(th);
            }
        }
        StubThread th = client.currentThread();
        if (th == null) {
            return "W00";
        }
        return reportStop(th);
    }

    /** The reply to vAttach and vRun: the new process's first thread, stopped (non-stop: OK, its stop is notified). */
    String newProcessStop(StubProcess proc) {
        StubThread th;
        synchronized (target) {
            th = proc.threads.get(proc.pid);
            if (th == null) {
                th = proc.anyThread();
            }
        }
        client.select(th);
        if (client.nonStop) {
            return "OK";
        }
        return reportStop(th);
    }

    // ------------------------------------------------------------------ non-stop

    /** Non-stop: stops one thread (vCont;t), reported with signal 0. */
    void requestStop(StubThread th) {
        requestStop(th, 0);
    }

    /** Non-stop: stops one thread, reported with {@code signal} (0 for vCont;t, SIGINT for Ctrl-C). */
    private void requestStop(StubThread th, int signal) {
        boolean already;
        synchronized (target) {
            already = th.gone || !target.holds.requestStop(th.engine);
            if (already && !th.gone && !th.reportedStopped && th.pending == null) {
                th.pending = target.event(StopEvent.Kind.REQUESTED, signal, 0);
            }
        }
        if (already) {
            return;
        }
        Result r = th.engine.control(ResumeAction.STOP);
        synchronized (target) {
            // OK: held by another engine already, the stop completes at once; else its QUIESCE holds it.
            target.holds.stopAnswered(th.engine, r, StopEvent.Kind.REQUESTED);
            if (th.pending == null) {
                th.pending = target.event(StopEvent.Kind.REQUESTED, signal, 0);
            }
            target.notifyAll();
        }
    }

    /** Non-stop: whether a stop (or exit) waits to be notified. Caller holds the monitor. */
    boolean anyUnreportedStop() {
        return stopQueue.isEmpty() && (unreportedExit() != null || oldestPending() != null);
    }

    /**
     * Non-stop: one %Stop notification at a time; the client then drains the rest with vStopped.
     * <p>
     * Ctrl-C in non-stop (vCtrlC, or a 0x03 byte): gdbserver sends SIGINT to the inferior's
     * process group, so the one thread that takes the signal (the leader, for a process-directed
     * signal it does not block) stops with SIGINT, and every other thread runs on. The stub does
     * the same without sending a signal: it stops that thread and reports SIGINT, which reaches
     * the program only if the client passes it (C02), as with gdbserver. To stop other threads
     * gdb sends vCont;t for them.
     */
    void sendNotificationIfAny() {
        if (connection.takeInterrupt()) {
            StubThread th = interruptedThread();
            if (th != null) {
                requestStop(th, StopEvent.SIGINT);
            }
        }
        if (!stopQueue.isEmpty()) {
            return;
        }
        String reply = nextUnreportedStop();
        if (reply == null) {
            return;
        }
        stopQueue.add(reply);
        try {
            connection.out.notify("Stop:" + reply);
        } catch (IOException e) {
            connection.gone(e.getMessage());
        }
    }

    /** The thread a Ctrl-C's SIGINT lands on: the current process's leader, else any live thread of it or of the first process. */
    private StubThread interruptedThread() {
        StubThread cur = client.find(client.general);
        StubProcess proc = cur != null ? cur.process : client.currentProcess();
        synchronized (target) {
            if (proc == null || proc.threads.isEmpty()) {
                proc = target.processes.values().stream().findFirst().orElse(null);
            }
            if (proc == null) {
                return null;
            }
            StubThread leader = proc.threads.get(proc.pid);
            if (leader != null && !leader.gone) {
                return leader;
            }
            return proc.anyThread();
        }
    }

    /** Non-stop: the stop reply of the oldest event not told yet (an exit first), or null. */
    private String nextUnreportedStop() {
        synchronized (target) {
            StubProcess exited = unreportedExit();
            if (exited != null) {
                return exitReply(exited);
            }
            StubThread th = oldestPending();
            return th == null ? null : reportStop(th);
        }
    }
}
