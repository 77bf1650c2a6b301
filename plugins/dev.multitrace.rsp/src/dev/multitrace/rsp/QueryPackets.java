package dev.multitrace.rsp;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The q packets but qXfer ({@link XferPackets}) and qRcmd ({@link MonitorCommands}): what the
 * stub supports, the current thread, the thread list, whether a process was attached to.
 * Unknown queries (qOffsets, qTStatus...) are unsupported: gdb does without.
 */
final class QueryPackets implements PacketHandler.Family {

    /** What qSupported announces besides the packet size and the fork/exec events the client asked for. */
    private static final String FEATURES = ";QThreadEvents+"
            + ";QStartNoAckMode+;multiprocess+;swbreak+;hwbreak+;vContSupported+;QNonStop+"
            + ";qXfer:features:read+;qXfer:threads:read+;qXfer:auxv:read+;qXfer:exec-file:read+"
            + ";qXfer:libraries-svr4:read+;QPassSignals+;QProgramSignals+;qXfer:siginfo:read+"
            + ";QDisableRandomization+";

    private final ClientState client;
    private final StubTarget target;

    QueryPackets(ClientState client) {
        this.client = client;
        this.target = client.target;
    }

    @Override
    public void register(Map<String, PacketHandler> table) {
        table.put("qSupported", this::supported);
        table.put("qC", r -> {
            r.args().end();
            StubThread th = client.currentThread();
            return th == null ? "" : "QC" + client.id(th);
        });
        table.put("qAttached", r -> {
            PacketArgs a = r.args();
            StubProcess proc = a.skip(':') ? client.existingProcess(a.hexInt()) : client.existingCurrentProcess();
            a.end();
            return proc.attached ? "1" : "0";
        });
        table.put("qfThreadInfo", r -> {
            StringBuilder s = new StringBuilder();
            for (StubThread th : target.threads()) {
                s.append(s.isEmpty() ? "m" : ",").append(client.id(th));
            }
            return s.isEmpty() ? "l" : s.toString();
        });
        table.put("qsThreadInfo", r -> "l");
        table.put("qThreadExtraInfo", r -> {
            PacketArgs a = r.args().expect(',');
            ThreadId t = a.threadId();
            a.end();
            StubThread th = client.find(t);
            if (th == null) {
                throw RspError.NO_SUCH_THREAD.error("no thread " + t);
            }
            return Hex.encode(th.engine.task().state());
        });
        table.put("qSymbol", r -> "OK");
    }

    /** qSupported[:FEATURE;...]: what the client offers decides the events the service reports. */
    private String supported(Request r) {
        PacketArgs a = r.args();
        Set<String> offered = new HashSet<>();
        if (a.skip(':')) {
            offered.addAll(a.list(';'));
        }
        client.multiprocess = offered.contains("multiprocess+");
        // gdb 15 and later offer it; older clients get only the Exx codes, which they print as numbers.
        client.errorMessages = offered.contains("error-message+");
        client.swbreak = offered.contains("swbreak+");
        client.hwbreak = offered.contains("hwbreak+");
        // As gdbserver: fork events only with multiprocess (the child is another process).
        boolean forks = client.multiprocess && offered.contains("fork-events+");
        boolean vforks = client.multiprocess && offered.contains("vfork-events+");
        boolean execs = offered.contains("exec-events+");
        target.vforkEvents = vforks;
        target.setForkEvents(forks || vforks); // the service follows both kinds of children, or neither
        target.execEvents = execs;
        target.threadEvents = false;
        return "PacketSize=" + Integer.toHexString(RemoteSession.PACKET_SIZE)
                + (forks ? ";fork-events+" : "") + (vforks ? ";vfork-events+" : "") + (execs ? ";exec-events+" : "")
                + FEATURES;
    }
}
