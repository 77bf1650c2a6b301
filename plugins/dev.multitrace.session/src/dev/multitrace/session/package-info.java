/**
 * The debugger of one traced process, without Eclipse: {@link dev.multitrace.session.DebugSession}
 * (launch or attach, run control, source-line stepping over the DWARF line table, breakpoints,
 * signal settings and injection, other engines per thread), the condition language
 * ({@link dev.multitrace.session.Expression}), symbols in run-time addresses
 * ({@link dev.multitrace.session.SessionSymbols}) and stacks
 * ({@link dev.multitrace.session.FrameWalker}, over the symbol layer's unwinder).
 * Listeners ({@link dev.multitrace.session.SessionListener}) are called on the
 * service's tracer thread and must not block.
 *
 * <p>This bundle sits below the Eclipse line: the Platform debug model ({@code dev.multitrace.debug.core}),
 * the command-line tools and CDT's DSF services are all thin clients of it, and it imports nothing of Eclipse.
 */
package dev.multitrace.session;
