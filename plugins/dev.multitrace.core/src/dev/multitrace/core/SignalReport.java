package dev.multitrace.core;

import dev.multitrace.linux.SigInfo;

/**
 * A signal being reported, passed to every engine with a matching signal event in attach order.
 * Each engine sees what the ones before it chose and may change the action, the signal number and
 * the siginfo; the last word stands.
 */
public final class SignalReport {
    private final SignalAction original;
    private int signal;
    private SigInfo info;
    private SignalAction action;
    private boolean hold;

    SignalReport(int signal, SigInfo info, SignalAction action) {
        this.signal = signal;
        this.info = info;
        this.action = action;
        this.original = action;
    }

    /** The signal number; 0 for an INTERRUPT report with nothing injected yet. */
    public int signal() {
        return signal;
    }

    /** The siginfo; null for an INTERRUPT report. */
    public SigInfo info() {
        return info;
    }

    /**
     * The siginfo as the kernel's 128-byte {@code siginfo_t} (a copy), for engines that decode it
     * without the Linux layer; null for an INTERRUPT report.
     */
    public byte[] siginfoBytes() {
        return info == null ? null : info.raw();
    }

    /** The disposition chosen so far: the task's own at first, then the previous engines'. */
    public SignalAction action() {
        return action;
    }

    /** The disposition the report started with (REPORT for an INTERRUPT stop). */
    public SignalAction originalAction() {
        return original;
    }

    public boolean hold() {
        return hold;
    }

    /** Deliver {@code sig} instead (at an INTERRUPT report: inject it). */
    public void deliver(int sig) {
        this.signal = sig;
        this.action = SignalAction.DELIVER;
        if (info != null && info.signo() != sig) {
            info.setSigno(sig);
        }
    }

    public void setAction(SignalAction action) {
        if (action == SignalAction.REPORT || action == SignalAction.HANDLER) {
            throw new IllegalArgumentException(action + " is only ever an argument");
        }
        this.action = action;
    }

    public void setInfo(SigInfo info) {
        this.info = info;
        this.signal = info.signo();
    }

    /**
     * Sets the siginfo from the kernel's 128-byte {@code siginfo_t} (as {@link #siginfoBytes}
     * gave it), for engines that keep a signal's siginfo without the Linux layer: e.g. to inject,
     * at an INTERRUPT report, a signal they kept from the program earlier, as it was first sent.
     */
    public void setInfoBytes(byte[] siginfo) {
        setInfo(new SigInfo(siginfo));
    }

    /** Keep the signal queued: it is delivered (and reported) again later. */
    public void setHold(boolean hold) {
        this.hold = hold;
    }
}
