package dev.multitrace.core;

import dev.multitrace.linux.SyscallInfo;

/** A syscall entry or exit. At entry an engine may abort the call with a return value of its choice. */
public final class SyscallReport {
    private final SyscallInfo info;
    private final long number;
    private boolean abort;
    private long abortValue;
    private Long newReturn;

    SyscallReport(SyscallInfo info, long number) {
        this.info = info;
        this.number = number;
    }

    public boolean entry() {
        return info.isEntry();
    }

    /** The syscall number (at an exit whose entry the service did not see: the kernel's orig_rax). */
    public long number() {
        return number;
    }

    /** The stack pointer at the stop (rt_sigreturn's argument is the signal frame there). */
    public long stackPointer() {
        return info.sp();
    }

    public long arg(int i) {
        return info.args()[i];
    }

    public long[] args() {
        return info.args().clone();
    }

    /** At exit: the return value, negative errno on error. */
    public long returnValue() {
        return newReturn != null ? newReturn : info.rval();
    }

    public boolean isError() {
        return info.isError();
    }

    /** At entry: do not run the syscall; the task sees {@code -ENOSYS}. */
    public void abort() {
        abort(-38);
    }

    /** At entry: do not run the syscall; the task sees {@code returnValue}. */
    public void abort(long returnValue) {
        if (!entry()) {
            throw new IllegalStateException("ABORT is only possible at syscall entry");
        }
        abort = true;
        abortValue = returnValue;
    }

    /** At exit: change what the task sees as the syscall's result. */
    public void setReturnValue(long value) {
        if (entry()) {
            throw new IllegalStateException("the return value can only be set at syscall exit");
        }
        newReturn = value;
    }

    boolean aborted() {
        return abort;
    }

    long abortValue() {
        return abortValue;
    }

    Long changedReturn() {
        return newReturn;
    }
}
