package dev.multitrace.rsp;

import dev.multitrace.core.ResumeAction;
import dev.multitrace.core.Watchpoint;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * c, C, s, S, vCont (and vCont?), vCtrlC: letting threads run and, in all-stop mode, waiting for
 * the stop to report. In non-stop mode vCont answers at once and stops come as notifications
 * ({@link StopReports}).
 */
final class ResumePackets implements PacketHandler.Family {

    /** One resume request for one thread. */
    private record Plan(StubThread thread, ResumeAction action, int signal, long rangeStart, long rangeEnd) {
    }

    private final ClientState client;
    private final StubTarget target;
    private final Connection connection;
    private final StopReports stops;

    ResumePackets(ClientState client, Connection connection, StopReports stops) {
        this.client = client;
        this.target = client.target;
        this.connection = connection;
        this.stops = stops;
    }

    @Override
    public void register(Map<String, PacketHandler> table) {
        table.put("c", r -> legacyResume(r, false, false));
        table.put("C", r -> legacyResume(r, false, true));
        table.put("s", r -> legacyResume(r, true, false));
        table.put("S", r -> legacyResume(r, true, true));
        table.put("vCont?", r -> "vCont;c;C;s;S;t;r");
        table.put("vCont", this::vCont);
        table.put("vCtrlC", r -> {
            connection.requestInterrupt();
            return "OK";
        });
    }

    /** c, s (no address: resuming elsewhere is not supported) and C sig, S sig (";addr" ignored). */
    private String legacyResume(Request r, boolean step, boolean withSignal) throws InterruptedException, IOException {
        PacketArgs a = r.args();
        int sig = 0;
        if (withSignal) {
            sig = GdbSignals.fromGdb(a.hexInt());
        } else if (!a.atEnd()) {
            throw RspError.MALFORMED.error("resuming at another address is not supported");
        }
        StubThread stepper = client.find(client.cont.tid() == ThreadId.ALL ? client.general : client.cont);
        List<Plan> plans = new ArrayList<>();
        for (StubThread th : target.threads()) {
            boolean me = th == stepper;
            ResumeAction action = me && step ? ResumeAction.SINGLESTEP : ResumeAction.RESUME;
            plans.add(new Plan(th, action, me ? sig : 0, 0, 0));
        }
        return resume(plans);
    }

    /** One vCont action: what to do, to which threads (null: every thread). */
    private record Action(char op, int signal, long rangeStart, long rangeEnd, ThreadId threads) {
    }

    /** vCont;ACTION[:THREAD];...: parsed whole before anything runs, so that a malformed one changes nothing. */
    private static List<Action> parseActions(PacketArgs a) {
        List<Action> actions = new ArrayList<>();
        do {
            a.expect(';');
            char op = a.character();
            int sig = 0;
            long lo = 0;
            long hi = 0;
            switch (op) {
                case 'c', 's', 't' -> {
                }
                case 'C', 'S' -> sig = GdbSignals.fromGdb(a.hexInt());
                case 'r' -> {
                    lo = a.hex();
                    hi = a.expect(',').hex();
                }
                default -> throw a.malformed("a vCont action (c, C, s, S, t, r)");
            }
            ThreadId threads = a.skip(':') ? a.threadId() : null;
            actions.add(new Action(op, sig, lo, hi, threads));
        } while (!a.atEnd());
        return actions;
    }

    private String vCont(Request r) throws InterruptedException, IOException {
        List<Action> actions = parseActions(r.args());
        List<Plan> plans = new ArrayList<>();
        List<StubThread> stopping = new ArrayList<>();
        for (StubThread th : target.threads()) {
            for (Action a : actions) {
                if (a.threads() != null && !a.threads().matches(th.process.pid, th.tid)) {
                    continue;
                }
                switch (a.op()) {
                    case 'c', 'C' -> plans.add(new Plan(th, ResumeAction.RESUME, a.signal(), 0, 0));
                    case 's', 'S' -> plans.add(new Plan(th, ResumeAction.SINGLESTEP, a.signal(), 0, 0));
                    case 'r' -> plans.add(new Plan(th, ResumeAction.SINGLESTEP, 0, a.rangeStart(), a.rangeEnd()));
                    default -> stopping.add(th); // 't'
                }
                break; // the leftmost action that matches a thread is the one it gets
            }
        }
        if (client.nonStop) {
            for (Plan pl : plans) {
                target.resume(pl.thread(), pl.action(), pl.signal(), pl.rangeStart(), pl.rangeEnd());
            }
            for (StubThread th : stopping) {
                stops.requestStop(th);
            }
            return "OK";
        }
        return resume(plans);
    }

    /** All-stop: report a pending event at once, else let the threads go and wait for the next stop. */
    private String resume(List<Plan> plans) throws InterruptedException, IOException {
        synchronized (target) {
            for (Plan pl : plans) {
                StubThread th = pl.thread();
                StopEvent ev = th.pending;
                if (ev == null) {
                    continue;
                }
                boolean stale = ev.kind() == StopEvent.Kind.REQUESTED || ev.kind() == StopEvent.Kind.STEP
                        || (ev.kind() == StopEvent.Kind.SWBREAK && !th.process.breakpoints.contains(ev.address()))
                        || (isHardware(ev.kind()) && !watched(th.process, ev.address()));
                if (stale) {
                    th.pending = null;
                }
            }
            for (Plan pl : plans) {
                if (pl.thread().pending != null) {
                    // An event that came while the process was being stopped: the client hears of it
                    // now, and nothing runs (gdbserver does the same).
                    return stops.reportStop(pl.thread());
                }
            }
        }
        // The stepping threads first: a continued thread's quick event must not stop them before
        // they were even told to step.
        List<Plan> ordered = new ArrayList<>(plans);
        ordered.sort((a, b) -> Boolean.compare(a.action() != ResumeAction.SINGLESTEP, b.action() != ResumeAction.SINGLESTEP));
        long since;
        synchronized (target) {
            since = target.lastSeq();
        }
        for (Plan pl : ordered) {
            target.resume(pl.thread(), pl.action(), pl.signal(), pl.rangeStart(), pl.rangeEnd());
        }
        return awaitStop(since);
    }

    /**
     * All-stop: waits for the first event since {@code since} (or Ctrl-C, or an exit), stops
     * everything, reports it. Older unreported events belong to threads the client left stopped
     * (a step over a breakpoint resumes one thread only): they wait for a resume of their thread.
     */
    private String awaitStop(long since) throws InterruptedException {
        boolean interrupted = false;
        StubProcess exited = null;
        synchronized (target) {
            while (true) {
                exited = stops.unreportedExit();
                if (exited != null || stops.oldestPending(since) != null) {
                    break;
                }
                if (connection.interruptRequested) {
                    connection.interruptRequested = false;
                    interrupted = true;
                    break;
                }
                if (connection.clientGone) {
                    return null;
                }
                if (target.processes.isEmpty()) {
                    return "W00"; // nothing left to run (its exit was reported already)
                }
                target.wait();
            }
        }
        target.stopAll(target.processList());
        if (exited != null) {
            return stops.exitReply(exited);
        }
        StubThread th;
        synchronized (target) {
            exited = stops.unreportedExit();
            th = stops.oldestPending(since);
        }
        if (exited != null) {
            return stops.exitReply(exited);
        }
        if (th == null && interrupted) {
            th = client.currentThread();
            if (th == null) {
                List<StubThread> all = target.threads();
                th = all.isEmpty() ? null : all.get(0);
            }
            if (th != null) {
                synchronized (target) {
                    th.pending = target.event(StopEvent.Kind.REQUESTED, StopEvent.SIGINT, 0);
                }
            }
        }
        if (th == null) {
            return "W00";
        }
        return stops.reportStop(th);
    }

    private static boolean isHardware(StopEvent.Kind kind) {
        return kind == StopEvent.Kind.HWBREAK || kind == StopEvent.Kind.WATCH || kind == StopEvent.Kind.AWATCH;
    }

    /** Whether the client still has a hardware breakpoint or watchpoint covering {@code address}. */
    private static boolean watched(StubProcess proc, long address) {
        for (List<Watchpoint> pieces : proc.watchpoints.values()) {
            for (Watchpoint wp : pieces) {
                if (address >= wp.address() && address < wp.address() + wp.length()) {
                    return true;
                }
            }
        }
        return false;
    }
}
