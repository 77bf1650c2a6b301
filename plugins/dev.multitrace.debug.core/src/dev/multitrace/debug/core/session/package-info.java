/**
 * The debugger of one traced process, without Eclipse: {@link dev.multitrace.debug.core.session.DebugSession}
 * (launch or attach, run control, source-line stepping over the DWARF line table, breakpoints,
 * signal settings and injection, other engines per thread), the condition language
 * ({@link dev.multitrace.debug.core.session.Expression}), symbols in run-time addresses
 * ({@link dev.multitrace.debug.core.session.SessionSymbols}) and stacks
 * ({@link dev.multitrace.debug.core.session.FrameWalker}, over the symbol layer's unwinder).
 * Listeners ({@link dev.multitrace.debug.core.session.SessionListener}) are called on the
 * service's tracer thread and must not block.
 */
package dev.multitrace.debug.core.session;
