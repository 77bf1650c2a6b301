/**
 * The Eclipse debug elements of a Multitrace session: target, threads, frames, registers,
 * variables, memory blocks, and the console processes. See the {@code dev.multitrace.debug.core}
 * package for what the views use.
 */
package dev.multitrace.debug.core.model;
