/**
 * Engines of the tracing service: the strace-style {@link dev.multitrace.engines.SyscallTracer}
 * and the {@link dev.multitrace.engines.CallCounter} probe. They see the service only through
 * {@code dev.multitrace.core}: engines never call ptrace and never touch JNA.
 */
package dev.multitrace.engines;
