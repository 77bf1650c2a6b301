package dev.multitrace.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A 128-byte {@code siginfo_t} as PTRACE_GETSIGINFO returns it. The raw bytes are kept
 * whole so that an unchanged (or partly changed) value round-trips through
 * PTRACE_SETSIGINFO without losing the union members we do not decode.
 */
public final class SigInfo {

    public static final int SIZE = 128;

    /** si_code values set by kill/tgkill/sigqueue/the kernel. */
    public static final int SI_USER = 0, SI_KERNEL = 0x80, SI_QUEUE = -1, SI_TKILL = -6;
    /** SIGTRAP si_code values. */
    public static final int TRAP_BRKPT = 1, TRAP_TRACE = 2, TRAP_BRANCH = 3, TRAP_HWBKPT = 4;
    /** SIGCHLD si_code values. */
    public static final int CLD_EXITED = 1, CLD_KILLED = 2, CLD_DUMPED = 3, CLD_TRAPPED = 4,
            CLD_STOPPED = 5, CLD_CONTINUED = 6;

    private final byte[] raw;
    private final ByteBuffer bb;

    /** Wraps a copy of 128 raw bytes. */
    public SigInfo(byte[] raw) {
        if (raw.length != SIZE) {
            throw new IllegalArgumentException("siginfo is " + SIZE + " bytes, got " + raw.length);
        }
        this.raw = raw.clone();
        this.bb = ByteBuffer.wrap(this.raw).order(ByteOrder.nativeOrder());
    }

    /** A zeroed siginfo with just the signal number and code set (for injecting a signal). */
    public static SigInfo of(int signo, int code) {
        SigInfo s = new SigInfo(new byte[SIZE]);
        s.setSigno(signo);
        s.setCode(code);
        return s;
    }

    /** A copy of the raw bytes. */
    public byte[] raw() {
        return raw.clone();
    }

    public int signo() {
        return bb.getInt(0);
    }

    public void setSigno(int signo) {
        bb.putInt(0, signo);
    }

    public int errno() {
        return bb.getInt(4);
    }

    public int code() {
        return bb.getInt(8);
    }

    public void setCode(int code) {
        bb.putInt(8, code);
    }

    /** Sender pid (kill, sigqueue, SIGCHLD). */
    public int pid() {
        return bb.getInt(16);
    }

    public void setPid(int pid) {
        bb.putInt(16, pid);
    }

    /** Sender real uid (kill, sigqueue, SIGCHLD). */
    public int uid() {
        return bb.getInt(20);
    }

    public void setUid(int uid) {
        bb.putInt(20, uid);
    }

    /** Faulting address (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP). */
    public long addr() {
        return bb.getLong(16);
    }

    public void setAddr(long addr) {
        bb.putLong(16, addr);
    }

    /** Exit status or signal (SIGCHLD). */
    public int status() {
        return bb.getInt(24);
    }

    /** True if the signal came from user space (kill, tgkill, sigqueue) rather than the kernel. */
    public boolean fromUser() {
        return code() <= 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SigInfo s && Arrays.equals(raw, s.raw);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(raw);
    }

    @Override
    public String toString() {
        return "SigInfo[" + Signal.name(signo()) + ", code=" + code() + ", errno=" + errno()
                + ", pid=" + pid() + ", uid=" + uid() + ", addr=0x" + Long.toHexString(addr()) + "]";
    }
}
