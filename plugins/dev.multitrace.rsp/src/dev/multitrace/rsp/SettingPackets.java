package dev.multitrace.rsp;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The Q packets: what the client sets for the rest of the connection (no acks, non-stop mode,
 * signals passed silently, thread events, address randomization of the programs it runs).
 */
final class SettingPackets implements PacketHandler.Family {

    private final ClientState client;
    private final StubTarget target;
    private final PacketWriter out;

    SettingPackets(ClientState client, PacketWriter out) {
        this.client = client;
        this.target = client.target;
        this.out = out;
    }

    @Override
    public void register(Map<String, PacketHandler> table) {
        table.put("QStartNoAckMode", r -> {
            // The OK is still acknowledged; everything after it is not.
            out.send("OK");
            out.setAckMode(false);
            return null;
        });
        table.put("QPassSignals", r -> {
            Set<Integer> s = signalList(r.args().expect(':'));
            synchronized (target) {
                target.passSignals.clear();
                target.passSignals.addAll(s);
            }
            return "OK";
        });
        table.put("QProgramSignals", r -> {
            Set<Integer> s = signalList(r.args().expect(':'));
            synchronized (target) {
                target.programSignals = s;
            }
            return "OK";
        });
        table.put("QDisableRandomization", r -> {
            // gdb sends it before each vRun (set disable-randomization); the value is hex, as gdbserver parses it.
            PacketArgs a = r.args().expect(':');
            long on = a.hex();
            a.end();
            target.disableRandomization = on != 0;
            return "OK";
        });
        table.put("QThreadEvents", r -> {
            target.threadEvents = flag(r.args());
            return "OK";
        });
        table.put("QNonStop", r -> {
            client.nonStop = flag(r.args());
            if (client.nonStop) {
                // Threads stopped before are reported by '?' (and vStopped), never by a notification
                // in the middle of the client's connection set-up.
                synchronized (target) {
                    for (StubProcess proc : target.processes.values()) {
                        for (StubThread th : proc.threads.values()) {
                            th.reportedStopped = th.held();
                        }
                    }
                }
            }
            return "OK";
        });
    }

    /** {@code :1} or {@code :0} (anything but a final 1 is off, as the stub always read it). */
    private static boolean flag(PacketArgs a) {
        return a.expect(':').rest().endsWith("1");
    }

    /** The signal numbers of a QPassSignals/QProgramSignals list (gdb's numbers, hex, ';'-separated), as Linux's. */
    private static Set<Integer> signalList(PacketArgs a) {
        Set<Integer> set = new HashSet<>();
        for (String x : a.list(';')) {
            if (!x.isEmpty()) {
                PacketArgs n = new PacketArgs(x, 0);
                int linux = GdbSignals.fromGdb(n.hexInt());
                n.end();
                if (linux != 0) {
                    set.add(linux);
                }
            }
        }
        return set;
    }
}
