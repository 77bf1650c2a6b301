/**
 * The GDB remote serial protocol server, implemented as one engine of the tracing service.
 * It sees the service only through {@code dev.multitrace.core}: engines never call ptrace.
 */
package dev.multitrace.rsp;
