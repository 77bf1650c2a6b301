/** The tracing service: utrace's engine model in user space over one ptrace attachment. */
package dev.multitrace.core;
