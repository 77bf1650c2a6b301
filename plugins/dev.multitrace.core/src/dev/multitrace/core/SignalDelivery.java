package dev.multitrace.core;

import dev.multitrace.linux.LibC;
import dev.multitrace.linux.ProcFs;
import dev.multitrace.linux.ProcStatus;
import dev.multitrace.linux.Ptrace;
import dev.multitrace.linux.SigInfo;
import dev.multitrace.linux.Signal;
import dev.multitrace.linux.SignalDefault;
import dev.multitrace.linux.x86_64.DebugRegisters;

import java.util.ArrayDeque;
import java.util.HashMap;

/**
 * Signal-delivery-stops: which SIGTRAPs are the service's own (a breakpoint, a watchpoint, a step:
 * consumed, never delivered), the report of a real signal to the engines, and what the task gets
 * when it resumes (delivered, suppressed, changed, held and queued again, injected).
 * <p>
 * Threading: tracer thread only; the siginfo read and written here belongs to the stop the task
 * is in.
 */
final class SignalDelivery {

    private final TracerContext cx;

    SignalDelivery(TracerContext cx) {
        this.cx = cx;
    }

    void signalStop(Task t, int sig, boolean wasStepping) {
        if (sig == Signal.SIGTRAP) {
            // Breakpoint hits, watchpoint traps and steps need only si_code: the whole siginfo is
            // read when a signal is reported.
            int code = Ptrace.getSigCode(t.tid);
            if (code == SigInfo.SI_KERNEL && cx.breakpoints.ourInt3(t)) {
                return;
            }
            if ((code == SigInfo.TRAP_HWBKPT || code == SigInfo.TRAP_TRACE) && t.debugRegisters.mayHaveTrapped()) {
                long dr6 = DebugRegisters.read(t.tid, DebugRegisters.DR_STATUS);
                if ((dr6 & DebugRegisters.DR6_SLOTS) != 0) {
                    // TRAP_TRACE: a single-step trap in the same debug exception (the stepped
                    // instruction completed); TRAP_HWBKPT alone: the step (if any) did not run yet.
                    boolean stepped = wasStepping && code == SigInfo.TRAP_TRACE;
                    cx.watches.hardwareTrap(t, dr6, wasStepping, stepped, stepped && !t.stepWasBlock ? t.pcBeforeStep : -1);
                    return;
                }
            }
            if (wasStepping && code > 0 && code != SigInfo.SI_KERNEL) {
                // The trap of our own step: consumed here, reported as STEP to the engines that asked.
                cx.steps.stepDone(t);
                return;
            }
            if (t.stepTrapMayBeQueued && code > 0 && code != SigInfo.SI_KERNEL) {
                // The trap of a step that waited queued behind another stop (see
                // Task.stepTrapMayBeQueued), dequeued by a resume that was not a step: ours, and
                // the engines were told at that stop (they asked again or moved on).
                t.stepTrapMayBeQueued = false;
                cx.passes.requestedStop(t);
                return;
            }
        }
        SigInfo info = Ptrace.getSigInfo(t.tid);
        boolean ourTgkill = info.code() == SigInfo.SI_TKILL && info.pid() == cx.myPid;
        if (ourTgkill && t.injectedSignal == sig) {
            // The signal an engine injected at an INTERRUPT report: it was reported there already.
            // It goes with the engine's siginfo, else as the kernel fills one for a signal a
            // debugger resumes with (SI_USER from the tracer), not with our tgkill's SI_TKILL.
            SigInfo given = t.injectedInfo;
            t.injectedInfo = null;
            SigInfo deliverWith = given != null && given.signo() == sig ? given : SigInfo.of(sig, SigInfo.SI_USER);
            if (given == null || given.signo() != sig) {
                deliverWith.setPid(cx.myPid);
                deliverWith.setUid(cx.myUid);
            }
            Ptrace.setSigInfo(t.tid, deliverWith);
            t.injectedSignal = 0;
            t.pendingSignal = sig;
            t.stateLabel = "signal " + Signal.name(sig);
            if (wasStepping) {
                // The step asked with the injection has not run an instruction yet (the signal is
                // dequeued first): it goes with the delivery, so it stops at the handler's first
                // instruction as a step with a signal delivered at a delivery stop does.
                for (Engine e : t.steppers) {
                    if (e.stepRequest == null) {
                        e.stepRequest = ResumeAction.SINGLESTEP;
                    }
                }
            }
            cx.resumer.maybeResume(t);
            return;
        }
        if (ourTgkill && t.requeuedInfo != null) {
            java.util.ArrayDeque<SigInfo> queued = t.requeuedInfo.get(sig);
            SigInfo original = queued == null ? null : queued.poll();
            if (original != null) {
                // A signal held earlier and queued again: the program gets it as it was first sent.
                info = original;
                Ptrace.setSigInfo(t.tid, info);
            }
        }
        t.stateLabel = "signal " + Signal.name(sig);
        SignalAction initial = disposition(t, sig);
        SignalReport report = new SignalReport(sig, info, initial);
        Event ev = classify(t, sig, initial);
        cx.passes.beginPass(t, ev);
        cx.passes.signalRound(t, ev, report);
        applySignal(t, report, true);
        cx.passes.endPass(t);
    }

    /** Inside a pass: the SIGTRAP of the trap flag the program set itself, reported and delivered as a signal. */
    void programsOwnStepTrap(Task t) {
        t.stateLabel = "signal " + Signal.name(Signal.SIGTRAP);
        SignalAction initial = disposition(t, Signal.SIGTRAP);
        SignalReport report = new SignalReport(Signal.SIGTRAP, Ptrace.getSigInfo(t.tid), initial);
        cx.passes.signalRound(t, classify(t, Signal.SIGTRAP, initial), report);
        applySignal(t, report, true);
    }

    /** The task's own disposition of {@code sig}, from /proc (signals are rare: no cache needed). */
    SignalAction disposition(Task t, int sig) {
        long bit = 1L << (sig - 1);
        ProcStatus st = ProcFs.status(t.tid);
        if ((st.sigCgt() & bit) != 0) {
            return SignalAction.DELIVER;
        }
        if ((st.sigIgn() & bit) != 0) {
            return SignalAction.IGN;
        }
        return switch (Signal.defaultAction(sig)) {
            case TERM -> SignalAction.TERM;
            case CORE -> SignalAction.CORE;
            case IGN -> SignalAction.IGN;
            case CONT -> SignalAction.DELIVER;
            case STOP -> sig == Signal.SIGSTOP ? SignalAction.STOP : SignalAction.TSTP;
        };
    }

    static Event classify(Task t, int sig, SignalAction a) {
        return switch (a) {
            case DELIVER -> sig == Signal.SIGCONT ? Event.SIGNAL_IGN : Event.SIGNAL;
            case IGN -> Event.SIGNAL_IGN;
            case TERM -> Event.SIGNAL_TERM;
            case CORE -> Event.SIGNAL_CORE;
            case STOP, TSTP -> Event.SIGNAL_STOP;
            default -> Event.SIGNAL;
        };
    }

    /** Turns the last word of a signal report into what the task gets when it resumes. */
    void applySignal(Task t, SignalReport r, boolean atDeliveryStop) {
        int sig = r.signal();
        int deliver;
        switch (r.action()) {
            case IGN -> deliver = 0;
            case REPORT -> deliver = 0;
            case STOP -> deliver = Signal.SIGSTOP;
            case TSTP -> deliver = Signal.SIGTSTP;
            case TERM, CORE -> {
                SignalDefault d = sig == 0 ? null : Signal.defaultAction(sig);
                boolean matches = d == (r.action() == SignalAction.TERM ? SignalDefault.TERM : SignalDefault.CORE)
                        && disposition(t, sig) != SignalAction.DELIVER;
                deliver = matches ? sig : Signal.SIGKILL;
            }
            default -> deliver = sig;
        }
        if (r.hold() && sig != 0) {
            // Held: suppressed now, queued again so it is dequeued (and reported) after the resume.
            t.pendingSignal = 0;
            if (r.info() != null && r.info().signo() == sig) {
                if (t.requeuedInfo == null) {
                    t.requeuedInfo = new java.util.HashMap<>();
                }
                java.util.ArrayDeque<SigInfo> queued = t.requeuedInfo.computeIfAbsent(sig, k -> new java.util.ArrayDeque<>());
                if (sig < 32) {
                    queued.clear(); // a standard signal is pending once: the latest is the one
                }
                queued.add(r.info());
            }
            LibC.tgkill(t.process.pid, t.tid, sig);
            return;
        }
        if (atDeliveryStop) {
            if (deliver != 0 && r.info() != null && deliver == sig && r.info().signo() == sig) {
                Ptrace.setSigInfo(t.tid, r.info());
            }
            t.pendingSignal = deliver;
        } else if (deliver != 0) {
            // Not a signal-delivery-stop: a restart signal would be ignored by the kernel; queue it.
            t.injectedSignal = deliver;
            t.injectedInfo = r.info();
        }
    }
}
