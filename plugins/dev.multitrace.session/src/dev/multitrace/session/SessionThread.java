package dev.multitrace.session;

/**
 * A thread of a debug session: what a UI element of either debug model (the platform's, CDT's DSF)
 * is adapted to by the views that show a thread's engines and its session's signal settings, so
 * that those views need not know which model the element comes from.
 *
 * @param session the session
 * @param tid     the thread
 */
public record SessionThread(DebugSession session, int tid) {
}
