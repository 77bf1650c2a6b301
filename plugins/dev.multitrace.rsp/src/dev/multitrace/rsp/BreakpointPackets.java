package dev.multitrace.rsp;

import dev.multitrace.core.DebugRegisterSupport;
import dev.multitrace.core.Tracing;
import dev.multitrace.core.WatchKind;
import dev.multitrace.core.WatchMethod;
import dev.multitrace.core.Watchpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Z and z: {@code Z TYPE,ADDRESS,KIND}. Type 0 is a software breakpoint in the service's table
 * (owned by the process's engines), 1 a hardware breakpoint, 2 a write and 4 an access
 * watchpoint through the debug registers; 3 (read watchpoints) is unsupported: x86 debug
 * registers cannot watch reads alone.
 */
final class BreakpointPackets implements PacketHandler.Family {

    /** The longest range one software watch covers (gdb watches whole variables, arrays, structs). */
    private static final int SOFTWARE_WATCH_MAX = 4096;

    private final ClientState client;

    BreakpointPackets(ClientState client) {
        this.client = client;
    }

    @Override
    public void register(Map<String, PacketHandler> table) {
        table.put("Z", r -> breakpoint(r.args(), true));
        table.put("z", r -> breakpoint(r.args(), false));
    }

    private String breakpoint(PacketArgs a, boolean insert) {
        int type = a.hexInt();
        long address = a.expect(',').hex();
        int kind = a.expect(',').hexInt();
        if (!a.atEnd()) {
            a.expect(';'); // conditions (";X...") or commands (";cmds"): we never announced them, so ignored
        }
        if (type == 3 || type > 4) {
            return ""; // unsupported
        }
        if (type != 0) {
            return hardware(insert, type, address, kind);
        }
        StubThread th = anyThread();
        StubProcess proc = th.process;
        if (insert) {
            if (proc.breakpoints.add(address)) {
                try {
                    th.engine.insertBreakpoint(address);
                } catch (RuntimeException e) {
                    proc.breakpoints.remove(address);
                    throw RspError.BREAKPOINT_REFUSED.error("cannot insert a breakpoint at 0x" + Long.toHexString(address) + ": " + e.getMessage());
                }
            }
        } else if (proc.breakpoints.remove(address)) {
            th.engine.removeBreakpoint(address);
        }
        return "OK";
    }

    private StubThread anyThread() {
        StubThread th = client.anyThreadOfCurrentProcess();
        if (th == null) {
            throw RspError.NO_SUCH_PROCESS.error("no live thread to plant breakpoints with");
        }
        return th;
    }

    /**
     * Z1 (hardware breakpoint), Z2 (write watchpoint), Z4 (access watchpoint) through the
     * service's debug registers. A range that is not one aligned 1/2/4/8-byte piece is covered by
     * several pieces (gdb asks for whole variables); all or none are inserted.
     * <p>
     * On a machine whose debug registers do not trap ({@link Tracing#debugRegisters()}), what
     * really works is answered: Z2 is one software watch of the whole range, served by the
     * service (gdb's {@code watch} works, which gdbserver cannot offer there), Z1 an int3 that
     * reports as a hardware breakpoint, and Z4 is unsupported (an empty reply: gdb says the
     * target does not support that watchpoint rather than print one that never fires).
     */
    private String hardware(boolean insert, int type, long address, int length) {
        StubThread th = anyThread();
        StubProcess proc = th.process;
        DebugRegisterSupport hardware = Tracing.debugRegisters();
        if (type == 4 && !hardware.readWatchpoints()) {
            return "";
        }
        boolean software = type == 2 && !hardware.dataWatchpoints();
        String key = type + "," + Long.toHexString(address) + "," + length;
        if (!insert) {
            List<Watchpoint> pieces = proc.watchpoints.remove(key);
            if (pieces == null) {
                throw RspError.BREAKPOINT_REFUSED.error("no watchpoint " + key);
            }
            for (Watchpoint wp : pieces) {
                th.engine.removeWatchpoint(wp.address(), wp.length(), wp.kind());
            }
            return "OK";
        }
        if (proc.watchpoints.containsKey(key)) {
            return "OK";
        }
        WatchKind kind = switch (type) {
            case 1 -> WatchKind.EXECUTE;
            case 2 -> WatchKind.WRITE;
            default -> WatchKind.READ_WRITE;
        };
        if (type == 1) {
            length = 1; // gdb's kind for x86 is the breakpoint length it would have used, 1
        }
        if (length <= 0 || length > (software ? SOFTWARE_WATCH_MAX : 64)) {
            throw RspError.BREAKPOINT_REFUSED.error("cannot watch " + length + " bytes");
        }
        List<Watchpoint> pieces = new ArrayList<>();
        try {
            if (software) {
                pieces.add(th.engine.insertWatchpoint(address, length, kind, WatchMethod.SOFTWARE));
            }
            long at = software ? address + length : address;
            long end = address + length;
            while (at < end) {
                int size = 8;
                while (size > 1 && ((at & (size - 1)) != 0 || at + size > end)) {
                    size >>= 1;
                }
                pieces.add(th.engine.insertWatchpoint(at, size, kind));
                at += size;
            }
        } catch (RuntimeException noSlot) {
            for (Watchpoint wp : pieces) {
                th.engine.removeWatchpoint(wp.address(), wp.length(), wp.kind());
            }
            // four debug registers only: gdb then says it cannot insert it
            throw RspError.BREAKPOINT_REFUSED.error("no debug register left: " + noSlot.getMessage());
        }
        proc.watchpoints.put(key, pieces);
        return "OK";
    }
}
