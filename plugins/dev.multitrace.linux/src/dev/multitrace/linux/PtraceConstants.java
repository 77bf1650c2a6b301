package dev.multitrace.linux;

/**
 * Numbers from {@code <sys/ptrace.h>}, {@code <linux/elf.h>} and {@code <sys/wait.h>}
 * as the x86-64 kernel defines them.
 */
public final class PtraceConstants {

    private PtraceConstants() {
    }

    // --- requests -------------------------------------------------------------------
    public static final int TRACEME = 0;
    public static final int PEEKTEXT = 1;
    public static final int PEEKDATA = 2;
    public static final int PEEKUSER = 3;
    public static final int POKETEXT = 4;
    public static final int POKEDATA = 5;
    public static final int POKEUSER = 6;
    public static final int CONT = 7;
    public static final int KILL = 8;
    public static final int SINGLESTEP = 9;
    public static final int GETREGS = 12;
    public static final int SETREGS = 13;
    public static final int GETFPREGS = 14;
    public static final int SETFPREGS = 15;
    public static final int ATTACH = 16;
    public static final int DETACH = 17;
    public static final int SYSCALL = 24;
    public static final int ARCH_PRCTL = 30;
    public static final int SYSEMU = 31;
    public static final int SYSEMU_SINGLESTEP = 32;
    /** Block (branch) step; x86 only (uses DEBUGCTL.BTF). Other architectures answer EIO. */
    public static final int SINGLEBLOCK = 33;
    public static final int SETOPTIONS = 0x4200;
    public static final int GETEVENTMSG = 0x4201;
    public static final int GETSIGINFO = 0x4202;
    public static final int SETSIGINFO = 0x4203;
    public static final int GETREGSET = 0x4204;
    public static final int SETREGSET = 0x4205;
    public static final int SEIZE = 0x4206;
    public static final int INTERRUPT = 0x4207;
    public static final int LISTEN = 0x4208;
    public static final int PEEKSIGINFO = 0x4209;
    public static final int GETSIGMASK = 0x420a;
    public static final int SETSIGMASK = 0x420b;
    public static final int GET_SYSCALL_INFO = 0x420e;

    // --- options (PTRACE_SETOPTIONS / PTRACE_SEIZE data) -----------------------------
    public static final int TRACESYSGOOD = 0x1;
    public static final int TRACEFORK = 0x2;
    public static final int TRACEVFORK = 0x4;
    public static final int TRACECLONE = 0x8;
    public static final int TRACEEXEC = 0x10;
    public static final int TRACEVFORKDONE = 0x20;
    public static final int TRACEEXIT = 0x40;
    public static final int TRACESECCOMP = 0x80;
    /** Kill every tracee with SIGKILL if the tracer exits: no orphaned half-debugged programs. */
    public static final int EXITKILL = 0x100000;
    public static final int SUSPEND_SECCOMP = 0x200000;

    // --- events (status >> 16) -------------------------------------------------------
    public static final int EVENT_FORK = 1;
    public static final int EVENT_VFORK = 2;
    public static final int EVENT_CLONE = 3;
    public static final int EVENT_EXEC = 4;
    public static final int EVENT_VFORK_DONE = 5;
    public static final int EVENT_EXIT = 6;
    public static final int EVENT_SECCOMP = 7;
    /** Group-stop or PTRACE_INTERRUPT stop of a seized tracee. */
    public static final int EVENT_STOP = 128;

    // --- regset note types (PTRACE_GETREGSET addr) ----------------------------------
    public static final int NT_PRSTATUS = 1;
    public static final int NT_PRFPREG = 2;
    public static final int NT_X86_XSTATE = 0x202;

    // --- PTRACE_GET_SYSCALL_INFO op ---------------------------------------------------
    public static final int SYSCALL_INFO_NONE = 0;
    public static final int SYSCALL_INFO_ENTRY = 1;
    public static final int SYSCALL_INFO_EXIT = 2;
    public static final int SYSCALL_INFO_SECCOMP = 3;

    // --- wait flags ------------------------------------------------------------------
    public static final int WNOHANG = 1;
    public static final int WUNTRACED = 2;
    public static final int WSTOPPED = 2;
    public static final int WEXITED = 4;
    public static final int WCONTINUED = 8;
    public static final int WNOWAIT = 0x01000000;
    /** Do not wait for children/tracees of other threads of this process. */
    public static final int __WNOTHREAD = 0x20000000;
    public static final int __WALL = 0x40000000;
    public static final int __WCLONE = 0x80000000;

    // --- waitid idtype ---------------------------------------------------------------
    public static final int P_ALL = 0;
    public static final int P_PID = 1;
    public static final int P_PGID = 2;
    public static final int P_PIDFD = 3;

    /** Name of a ptrace request for messages, e.g. {@code "SEIZE"}; unknown ones as a number. */
    public static String requestName(int request) {
        return switch (request) {
            case TRACEME -> "TRACEME";
            case PEEKTEXT -> "PEEKTEXT";
            case PEEKDATA -> "PEEKDATA";
            case PEEKUSER -> "PEEKUSER";
            case POKETEXT -> "POKETEXT";
            case POKEDATA -> "POKEDATA";
            case POKEUSER -> "POKEUSER";
            case CONT -> "CONT";
            case KILL -> "KILL";
            case SINGLESTEP -> "SINGLESTEP";
            case GETREGS -> "GETREGS";
            case SETREGS -> "SETREGS";
            case GETFPREGS -> "GETFPREGS";
            case SETFPREGS -> "SETFPREGS";
            case ATTACH -> "ATTACH";
            case DETACH -> "DETACH";
            case SYSCALL -> "SYSCALL";
            case ARCH_PRCTL -> "ARCH_PRCTL";
            case SYSEMU -> "SYSEMU";
            case SYSEMU_SINGLESTEP -> "SYSEMU_SINGLESTEP";
            case SINGLEBLOCK -> "SINGLEBLOCK";
            case SETOPTIONS -> "SETOPTIONS";
            case GETEVENTMSG -> "GETEVENTMSG";
            case GETSIGINFO -> "GETSIGINFO";
            case SETSIGINFO -> "SETSIGINFO";
            case GETREGSET -> "GETREGSET";
            case SETREGSET -> "SETREGSET";
            case SEIZE -> "SEIZE";
            case INTERRUPT -> "INTERRUPT";
            case LISTEN -> "LISTEN";
            case PEEKSIGINFO -> "PEEKSIGINFO";
            case GETSIGMASK -> "GETSIGMASK";
            case SETSIGMASK -> "SETSIGMASK";
            case GET_SYSCALL_INFO -> "GET_SYSCALL_INFO";
            default -> "0x" + Integer.toHexString(request);
        };
    }

    /** Name of a ptrace event ({@code status >> 16}), e.g. {@code "EXEC"}. */
    public static String eventName(int event) {
        return switch (event) {
            case 0 -> "NONE";
            case EVENT_FORK -> "FORK";
            case EVENT_VFORK -> "VFORK";
            case EVENT_CLONE -> "CLONE";
            case EVENT_EXEC -> "EXEC";
            case EVENT_VFORK_DONE -> "VFORK_DONE";
            case EVENT_EXIT -> "EXIT";
            case EVENT_SECCOMP -> "SECCOMP";
            case EVENT_STOP -> "STOP";
            default -> "EVENT_" + event;
        };
    }
}
