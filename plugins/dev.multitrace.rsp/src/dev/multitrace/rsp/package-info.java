/**
 * The GDB remote serial protocol server, implemented as one engine of the tracing service.
 * It sees the service only through {@code dev.multitrace.core} (registers as its {@code GeneralRegisters}):
 * engines never call ptrace.
 * <ul>
 * <li>{@link dev.multitrace.rsp.GdbServer}: gdbserver's behaviour (listen, launch or attach,
 * one client at a time, --once, --multi).</li>
 * <li>{@code RemoteSession}: one client's connection and the dispatch to a handler per packet family
 * ({@code QueryPackets}, {@code RegisterPackets}, {@code ResumePackets}...), with {@code PacketArgs}
 * the one argument parser and {@code RspError} the one error mapping; {@code PacketReader}/{@code PacketWriter}
 * the framing.</li>
 * <li>{@code HostFileIo}: gdbserver's host I/O (the vFile packets: the target's files for gdb).</li>
 * <li>{@code StubTarget}, {@code StubProcess}, {@code StubThread}: the debugged processes, the
 * engine callbacks, and per-thread state.</li>
 * </ul>
 * <h2>Who does what on which thread</h2>
 * The socket has one reader thread (frames packets, never writes) and one protocol thread (the
 * only writer, and the only caller of resume/stop/detach/kill). Engine callbacks run on the
 * service's tracer thread: they record a stop in the {@code StubThread} under the
 * {@code StubTarget}'s monitor, {@code notifyAll}, and return STOP; the protocol thread, waiting
 * on that monitor, finds the stop and reports it. Nobody calls the service while holding the
 * monitor. The details are on those classes.
 */
package dev.multitrace.rsp;
