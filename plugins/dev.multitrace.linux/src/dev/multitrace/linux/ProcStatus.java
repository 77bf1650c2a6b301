package dev.multitrace.linux;

/**
 * The fields of {@code /proc/PID/status} the tracer uses.
 *
 * @param name        the command name (comm, at most 15 characters)
 * @param state       state letter: R, S, D, T (stopped), t (tracing stop), Z, X, I
 * @param tgid        thread group id (the process id)
 * @param pid         this task's id (tid)
 * @param ppid        parent process id
 * @param tracerPid   tid of the ptrace tracer, 0 if not traced
 * @param realUid     real user id
 * @param effectiveUid effective user id
 * @param threads     number of threads in the group
 * @param sigPnd      signals pending for this thread
 * @param shdPnd      signals pending for the whole group
 * @param sigBlk      blocked signal mask (bit n-1 is signal n)
 * @param sigIgn      ignored signal mask
 * @param sigCgt      caught signal mask (handlers installed)
 * @param capEff      effective capability set
 * @param kernelThread true for kernel threads (which can never be traced)
 */
public record ProcStatus(String name, char state, int tgid, int pid, int ppid, int tracerPid,
        int realUid, int effectiveUid, int threads, long sigPnd, long shdPnd, long sigBlk, long sigIgn,
        long sigCgt, long capEff, boolean kernelThread) {
}
