package dev.multitrace.linux;

import static dev.multitrace.linux.PtraceConstants.*;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.multitrace.linux.x86_64.Regs;

/**
 * The ptrace requests the tracer uses, with errors turned into
 * {@link LinuxException}s ({@link NoSuchTaskException} for ESRCH,
 * {@link PermissionDeniedException} with a diagnosed reason for EPERM).
 *
 * <p>The kernel accepts requests on a tracee only from the thread that attached it, so
 * every call here for a given tracee must come from that one thread (the service's
 * tracer thread). Apart from seize/interrupt, requests need the tracee ptrace-stopped;
 * otherwise they fail with ESRCH.
 *
 * <p>Buffers for register sets and siginfo are per-thread and reused (see
 * {@link Scratch}); results are copied into Java objects before return.
 */
public final class Ptrace {

    private Ptrace() {
    }

    private static long call(int request, int tid, long addr, long data) {
        long r = LibC.ptrace(request, tid, addr, data);
        if (r == -1) {
            throw fail(request, tid);
        }
        return r;
    }

    private static LinuxException fail(int request, int tid) {
        int errno = Native.getLastError();
        return LinuxException.of(errno, "ptrace(" + requestName(request) + ", " + tid + ")", tid);
    }

    /**
     * Attaches with PTRACE_SEIZE, which, unlike ATTACH, neither stops the task nor sends
     * it a SIGSTOP, and enables PTRACE_INTERRUPT/LISTEN and EVENT_STOP reporting.
     *
     * @param options {@code PtraceConstants.TRACE*}/{@code EXITKILL} bits
     * @throws PermissionDeniedException with the reason (other tracer, ptrace_scope, credentials)
     */
    public static void seize(int pid, int options) {
        call(SEIZE, pid, 0, options & 0xffffffffL);
    }

    /** Stops a seized, running task; it reports an EVENT_STOP (or another pending stop). */
    public static void interrupt(int tid) {
        call(INTERRUPT, tid, 0, 0);
    }

    /** Lets a task in group-stop stay stopped but report the SIGCONT (or other event) that ends it. */
    public static void listen(int tid) {
        call(LISTEN, tid, 0, 0);
    }

    /** Resumes, delivering {@code sig} (0 for none). */
    public static void cont(int tid, int sig) {
        call(CONT, tid, 0, sig);
    }

    /** Resumes until the next syscall entry or exit, delivering {@code sig} (0 for none). */
    public static void syscall(int tid, int sig) {
        call(SYSCALL, tid, 0, sig);
    }

    /**
     * Executes one instruction (or enters the handler of {@code sig}), then stops with
     * SIGTRAP (si_code TRAP_BRKPT on x86).
     *
     * <p>From a stop inside a system call (syscall-stops, and event stops such as EXEC or
     * CLONE, which happen in execve/clone) the kernel reports the step trap on the way out
     * of the syscall, before any instruction ran: the first step there leaves the pc
     * unchanged. Measured at the EXEC stop: steps advanced rip by 0, then 3, then into the
     * call target.
     */
    public static void singleStep(int tid, int sig) {
        call(SINGLESTEP, tid, 0, sig);
    }

    /** Runs to the next taken branch (x86 BTF), then stops with SIGTRAP. */
    public static void singleBlock(int tid, int sig) {
        call(SINGLEBLOCK, tid, 0, sig);
    }

    /** Detaches, letting the task run on with {@code sig} (0 for none). The task must be stopped. */
    public static void detach(int tid, int sig) {
        call(DETACH, tid, 0, sig);
    }

    /** Replaces the ptrace options. */
    public static void setOptions(int tid, int options) {
        call(SETOPTIONS, tid, 0, options & 0xffffffffL);
    }

    /** The event message: new tid for CLONE/FORK/VFORK, former tid for EXEC, exit status for EXIT. */
    public static long getEventMsg(int tid) {
        Memory m = Scratch.get().small;
        call(GETEVENTMSG, tid, 0, Pointer.nativeValue(m) + 32);
        return m.getLong(32);
    }

    /** The siginfo of the signal that caused the current stop. */
    public static SigInfo getSigInfo(int tid) {
        Memory m = Scratch.get().buf;
        call(GETSIGINFO, tid, 0, Pointer.nativeValue(m));
        return new SigInfo(m.getByteArray(0, SigInfo.SIZE));
    }

    /**
     * Only the {@code si_code} of the current stop's siginfo: what tells an int3 (SI_KERNEL) from a
     * step trap, at every breakpoint hit and single-step, without the 128-byte copy and objects of
     * {@link #getSigInfo}.
     */
    public static int getSigCode(int tid) {
        Memory m = Scratch.get().buf;
        call(GETSIGINFO, tid, 0, Pointer.nativeValue(m));
        return m.getInt(8);
    }

    /** Replaces the siginfo of the signal that will be delivered on resume. */
    public static void setSigInfo(int tid, SigInfo info) {
        Memory m = Scratch.get().buf;
        m.write(0, info.raw(), 0, SigInfo.SIZE);
        call(SETSIGINFO, tid, 0, Pointer.nativeValue(m));
    }

    /** The general registers (a new object). */
    public static Regs getRegs(int tid) {
        return getRegs(tid, new Regs());
    }

    /**
     * Reads the general registers into {@code into} and returns it, via GETREGSET
     * NT_PRSTATUS (the portable request; aarch64 has no GETREGS).
     *
     * <p>For a 32-bit (compat) tracee GETREGSET answers the 68-byte i386 layout, so then
     * PTRACE_GETREGS is used, which always gives the 64-bit structure.
     */
    public static Regs getRegs(int tid, Regs into) {
        Scratch s = Scratch.get();
        Memory iov = s.small;
        Memory buf = s.buf;
        iov.setLong(0, Pointer.nativeValue(buf));
        iov.setLong(8, Regs.SIZE);
        call(GETREGSET, tid, NT_PRSTATUS, Pointer.nativeValue(iov));
        if (iov.getLong(8) != Regs.SIZE) {
            call(GETREGS, tid, 0, Pointer.nativeValue(buf));
        }
        buf.read(0, into.words(), 0, Regs.COUNT);
        return into;
    }

    /**
     * Writes the general registers. Uses PTRACE_SETREGS because its layout is always the
     * 64-bit {@code user_regs_struct}, whatever the tracee's ABI (see {@link #getRegs(int, Regs)}).
     */
    public static void setRegs(int tid, Regs regs) {
        Memory buf = Scratch.get().buf;
        buf.write(0, regs.words(), 0, Regs.COUNT);
        call(SETREGS, tid, 0, Pointer.nativeValue(buf));
    }

    /** Size of the FXSAVE area returned for NT_PRFPREG. */
    public static final int FPREGS_SIZE = 512;

    /** The x87/SSE registers as the 512-byte FXSAVE image (NT_PRFPREG). */
    public static byte[] getFpRegs(int tid) {
        return getRegSet(tid, NT_PRFPREG, FPREGS_SIZE);
    }

    /** Writes the 512-byte FXSAVE image. */
    public static void setFpRegs(int tid, byte[] fxsave) {
        setRegSet(tid, NT_PRFPREG, fxsave);
    }

    /**
     * The full XSAVE image (NT_X86_XSTATE): legacy area, header and the AVX/AVX-512/... state
     * components; its length is what the kernel reports for this CPU.
     */
    public static byte[] getXState(int tid) {
        return getRegSet(tid, NT_X86_XSTATE, (int) Scratch.get().buf.size());
    }

    /** Writes an XSAVE image as read by {@link #getXState}. */
    public static void setXState(int tid, byte[] xsave) {
        setRegSet(tid, NT_X86_XSTATE, xsave);
    }

    /** Reads any regset through the reusable buffer; returns as many bytes as the kernel filled. */
    public static byte[] getRegSet(int tid, int type, int maxSize) {
        Scratch s = Scratch.get();
        int size = (int) Math.min(maxSize, s.buf.size());
        s.small.setLong(0, Pointer.nativeValue(s.buf));
        s.small.setLong(8, size);
        call(GETREGSET, tid, type, Pointer.nativeValue(s.small));
        return s.buf.getByteArray(0, (int) s.small.getLong(8));
    }

    /** Writes a regset. */
    public static void setRegSet(int tid, int type, byte[] data) {
        Scratch s = Scratch.get();
        Memory buf = data.length <= s.buf.size() ? s.buf : new Memory(data.length);
        buf.write(0, data, 0, data.length);
        s.small.setLong(0, Pointer.nativeValue(buf));
        s.small.setLong(8, data.length);
        call(SETREGSET, tid, type, Pointer.nativeValue(s.small));
    }

    /** {@code sizeof(struct ptrace_syscall_info)} on x86-64. */
    private static final int SYSCALL_INFO_SIZE = 88;

    /**
     * PTRACE_GET_SYSCALL_INFO: what kind of stop this is (entry, exit, seccomp, none) and
     * the syscall's number and arguments or its result.
     */
    public static SyscallInfo getSyscallInfo(int tid) {
        Memory m = Scratch.get().buf;
        m.clear(SYSCALL_INFO_SIZE);
        call(GET_SYSCALL_INFO, tid, SYSCALL_INFO_SIZE, Pointer.nativeValue(m));
        int op = m.getByte(0) & 0xff;
        int arch = m.getInt(4);
        long ip = m.getLong(8);
        long sp = m.getLong(16);
        long[] args = new long[6];
        long nr = 0, rval = 0;
        boolean isError = false;
        int retData = 0;
        switch (op) {
            case SYSCALL_INFO_ENTRY, SYSCALL_INFO_SECCOMP -> {
                nr = m.getLong(24);
                m.read(32, args, 0, 6);
                if (op == SYSCALL_INFO_SECCOMP) {
                    retData = m.getInt(80);
                }
            }
            case SYSCALL_INFO_EXIT -> {
                rval = m.getLong(24);
                isError = m.getByte(32) != 0;
            }
            default -> { }
        }
        return new SyscallInfo(op, arch, ip, sp, nr, args, rval, isError, retData);
    }

    /**
     * Reads one word of tracee memory. Made through the raw syscall, which stores the word
     * at {@code data} and returns 0, because the glibc wrapper returns the word itself and
     * a word of -1 can then only be told from an error by clearing errno first.
     */
    public static long peekData(int tid, long addr) {
        return peek(PEEKDATA, tid, addr);
    }

    /** Writes one word of tracee memory (works on read-only text, like /proc/PID/mem). */
    public static void pokeData(int tid, long addr, long word) {
        call(POKEDATA, tid, addr, word);
    }

    /** Reads a word of {@code struct user}, e.g. a debug register ({@code UserArea.debugRegOffset}). */
    public static long peekUser(int tid, long offset) {
        return peek(PEEKUSER, tid, offset);
    }

    /** Writes a word of {@code struct user}; the kernel validates debug register values. */
    public static void pokeUser(int tid, long offset, long word) {
        call(POKEUSER, tid, offset, word);
    }

    private static long peek(int request, int tid, long addr) {
        Memory m = Scratch.get().small;
        long r = LibC.syscall(LibC.SYS_PTRACE, request, tid, addr, Pointer.nativeValue(m) + 32, 0, 0);
        if (r == -1) {
            int errno = Native.getLastError();
            throw LinuxException.of(errno,
                    "ptrace(" + requestName(request) + ", " + tid + ", 0x" + Long.toHexString(addr) + ")", tid);
        }
        return m.getLong(32);
    }
}
