package dev.multitrace.linux;

/**
 * {@code struct ptrace_syscall_info} from PTRACE_GET_SYSCALL_INFO (Linux 5.3+): tells
 * entry from exit without the tracer keeping its own toggle, which goes wrong after
 * attach, exec and signal interruptions.
 *
 * @param op        {@link PtraceConstants#SYSCALL_INFO_ENTRY}, {@code _EXIT}, {@code _SECCOMP}
 *                  or {@code _NONE} (not at a syscall stop)
 * @param arch      AUDIT_ARCH_* of the syscall (x86-64 0xc000003e, i386 0x40000003)
 * @param ip        instruction pointer
 * @param sp        stack pointer
 * @param nr        syscall number (entry, seccomp)
 * @param args      six arguments (entry, seccomp), never null
 * @param rval      return value or negated errno (exit)
 * @param isError   true if {@code rval} is an error (exit)
 * @param retData   SECCOMP_RET_DATA (seccomp)
 */
public record SyscallInfo(int op, int arch, long ip, long sp, long nr, long[] args, long rval, boolean isError,
        int retData) {

    public static final int AUDIT_ARCH_X86_64 = 0xc000003e;
    public static final int AUDIT_ARCH_I386 = 0x40000003;

    public boolean isEntry() {
        return op == PtraceConstants.SYSCALL_INFO_ENTRY;
    }

    public boolean isExit() {
        return op == PtraceConstants.SYSCALL_INFO_EXIT;
    }

    public boolean isSeccomp() {
        return op == PtraceConstants.SYSCALL_INFO_SECCOMP;
    }

    /** Argument {@code i} (0..5). */
    public long arg(int i) {
        return args[i];
    }
}
