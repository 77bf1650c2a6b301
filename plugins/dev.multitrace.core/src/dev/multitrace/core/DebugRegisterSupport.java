package dev.multitrace.core;

/**
 * What this machine's x86 debug registers really do, found out once per JVM by
 * {@link DebugRegisterProbe} and kept: some virtual machines accept writes to the debug
 * registers (ptrace's {@code POKEUSER} succeeds and reads back) and never trap. gdb is fooled
 * there ("Hardware watchpoint 2: x", then every write missed); the service is not: where the
 * registers are dead it watches in software ({@link WatchMethod#SOFTWARE}) and plants an
 * ordinary breakpoint for an {@link WatchKind#EXECUTE} watch.
 *
 * @param dataWatchpoints    a data watch (write, or read/write) in a debug register traps
 * @param executeBreakpoints an instruction breakpoint in a debug register traps
 * @param slots              debug register slots per thread (4 on x86-64)
 * @param detail             how the probe found it out, for people: shown by the command-line
 *                           tools, the IDE and the GDB stub
 */
public record DebugRegisterSupport(boolean dataWatchpoints, boolean executeBreakpoints, int slots, String detail) {

    /** Read watches need the hardware: software watchpoints only see a value change. */
    public boolean readWatchpoints() {
        return dataWatchpoints;
    }

    /** One line for people, e.g. for {@code ./multitrace info} and the stub's {@code monitor} reply. */
    public String summary() {
        String data = dataWatchpoints ? "hardware (" + slots + " debug registers), software beyond them"
                : "software only (write watches; read watches unavailable)";
        String exec = executeBreakpoints ? "hardware" : "software breakpoints (int3)";
        return "watchpoints: " + data + "; execute breakpoints: " + exec + " [" + detail + "]";
    }
}
