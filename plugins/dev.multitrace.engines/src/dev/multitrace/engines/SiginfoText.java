package dev.multitrace.engines;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** A {@code siginfo_t} printed as strace prints it in {@code --- SIGUSR1 {...} ---} lines. */
final class SiginfoText {

    private SiginfoText() {
    }

    private static final String[] SI_CODES = {"SI_USER", "SI_QUEUE", "SI_TIMER", "SI_MESGQ", "SI_ASYNCIO",
        "SI_SIGIO", "SI_TKILL", "SI_DETHREAD", "SI_ASYNCNL"};
    private static final String[] CLD = {null, "CLD_EXITED", "CLD_KILLED", "CLD_DUMPED", "CLD_TRAPPED",
        "CLD_STOPPED", "CLD_CONTINUED"};
    private static final String[] SEGV = {null, "SEGV_MAPERR", "SEGV_ACCERR", "SEGV_BNDERR", "SEGV_PKUERR",
        "SEGV_ACCADI", "SEGV_ADIDERR", "SEGV_ADIPERR", "SEGV_MTEAERR", "SEGV_MTESERR", "SEGV_CPERR"};
    private static final String[] BUS = {null, "BUS_ADRALN", "BUS_ADRERR", "BUS_OBJERR", "BUS_MCEERR_AR",
        "BUS_MCEERR_AO"};
    private static final String[] ILL = {null, "ILL_ILLOPC", "ILL_ILLOPN", "ILL_ILLADR", "ILL_ILLTRP",
        "ILL_PRVOPC", "ILL_PRVREG", "ILL_COPROC", "ILL_BADSTK", "ILL_BADIADDR"};
    private static final String[] FPE = {null, "FPE_INTDIV", "FPE_INTOVF", "FPE_FLTDIV", "FPE_FLTOVF",
        "FPE_FLTUND", "FPE_FLTRES", "FPE_FLTINV", "FPE_FLTSUB", "FPE_FLTUNK", "FPE_CONDTRAP"};
    private static final String[] TRAP = {null, "TRAP_BRKPT", "TRAP_TRACE", "TRAP_BRANCH", "TRAP_HWBKPT",
        "TRAP_UNK", "TRAP_PERF"};

    /** {@code {si_signo=SIGUSR1, si_code=SI_USER, si_pid=12, si_uid=0}} from the raw 128 bytes. */
    static String format(byte[] raw) {
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        int signo = b.getInt(0);
        int errno = b.getInt(4);
        int code = b.getInt(8);
        StringBuilder s = new StringBuilder("{si_signo=").append(LinuxFlags.signal(signo));
        if (errno != 0) {
            s.append(", si_errno=").append(dev.multitrace.core.LinuxNames.errno(errno));
        }
        s.append(", si_code=").append(code(signo, code));
        if (code <= 0) {
            // Sent by a process: kill, tkill, sigqueue.
            s.append(", si_pid=").append(b.getInt(16)).append(", si_uid=").append(b.getInt(20));
            if (code == -1) {
                s.append(", si_int=").append(b.getInt(24)).append(", si_ptr=").append(SyscallDecoder.pointer(b.getLong(24)));
            }
        } else if (code == 0x80) {
            if (faults(signo)) {
                s.append(", si_addr=").append(SyscallDecoder.pointer(b.getLong(16)));
            }
        } else if (signo == 17) {
            int status = b.getInt(24);
            s.append(", si_pid=").append(b.getInt(16)).append(", si_uid=").append(b.getInt(20))
                    .append(", si_status=").append(code == 1 ? Integer.toString(status) : LinuxFlags.signal(status))
                    .append(", si_utime=").append(b.getLong(32)).append(", si_stime=").append(b.getLong(40));
        } else if (faults(signo)) {
            s.append(", si_addr=").append(SyscallDecoder.pointer(b.getLong(16)));
        }
        return s.append('}').toString();
    }

    private static boolean faults(int signo) {
        return signo == 4 || signo == 5 || signo == 7 || signo == 8 || signo == 11;
    }

    private static String code(int signo, int code) {
        if (code <= 0 && -code < SI_CODES.length) {
            return SI_CODES[-code];
        }
        if (code == 0x80) {
            return "SI_KERNEL";
        }
        String[] t = switch (signo) {
            case 17 -> CLD;
            case 11 -> SEGV;
            case 7 -> BUS;
            case 4 -> ILL;
            case 8 -> FPE;
            case 5 -> TRAP;
            default -> null;
        };
        if (t != null && code > 0 && code < t.length) {
            return t[code];
        }
        return Integer.toString(code);
    }
}
