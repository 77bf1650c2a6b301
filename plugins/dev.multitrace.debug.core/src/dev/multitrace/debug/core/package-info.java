/**
 * The Eclipse debug model over the tracing service: launch delegates, debug targets, threads,
 * stack frames and breakpoints as thin adapters. It never touches JNA or ptrace.
 */
package dev.multitrace.debug.core;
