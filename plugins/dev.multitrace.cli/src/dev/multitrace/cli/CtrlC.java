package dev.multitrace.cli;

import dev.multitrace.core.ExitStatus;
import dev.multitrace.core.TracedProcess;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Ctrl-C for a command that traces a program until it ends (trace, probe): the command waits for
 * the end while it polls for the interrupt, and Ctrl-C (the JVM's shutdown hook, or a test on
 * another thread) returns only once the command has let go of the program, so that the JVM does
 * not exit in the middle of a detach (a program attached with {@code -p} runs on, with no int3 of
 * ours left in it).
 */
final class CtrlC {

    /** Waits until every thread the command's engines traced is gone; false on timeout. */
    @FunctionalInterface
    interface AllGone {
        boolean await(Duration timeout) throws InterruptedException;
    }

    private final CountDownLatch interrupted = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);

    /**
     * The process's exit status once it ended and its engines saw the rest (the leader's status can
     * come before the last reports of its threads and children); null if interrupted first.
     */
    ExitStatus waitForEnd(TracedProcess p, AllGone engines) {
        try {
            while (interrupted.getCount() > 0) {
                try {
                    ExitStatus st = p.exitStatus().get(100, TimeUnit.MILLISECONDS);
                    engines.await(Duration.ofSeconds(5));
                    return st != null ? st : new ExitStatus(0, 0, 0);
                } catch (TimeoutException e) {
                    // poll the interrupt
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        return null;
    }

    /**
     * After Ctrl-C of a program the command launched: in our process group, it got the SIGINT too
     * (as under strace), and is given 2 s to end by itself so that its last reports are printed.
     *
     * @return its status, or null if it did not end (the caller lets go of it and kills it)
     */
    ExitStatus endAfterInterrupt(TracedProcess p, AllGone engines) {
        try {
            ExitStatus st = p.exitStatus().get(2, TimeUnit.SECONDS);
            engines.await(Duration.ofSeconds(2));
            return st;
        } catch (TimeoutException | ExecutionException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The command has let go of the program (or it ended): a Ctrl-C waiting may return. */
    void finished() {
        finished.countDown();
    }

    /** What Ctrl-C does: stop the wait, and return only when the command has let go (10 s at the most). */
    void interruptAndWait() {
        interrupted.countDown();
        try {
            finished.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ctrl-C without waiting. */
    void interrupt() {
        interrupted.countDown();
    }
}
