/** The command-line front end ({@code ./multitrace gdbserver|trace|ps|bench}), runnable without OSGi. */
package dev.multitrace.cli;
