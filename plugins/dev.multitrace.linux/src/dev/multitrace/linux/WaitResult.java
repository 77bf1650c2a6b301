package dev.multitrace.linux;

/**
 * What one {@code waitpid} reported.
 *
 * @param pid    the task whose state changed
 * @param status its decoded status
 */
public record WaitResult(int pid, WaitStatus status) {
}
