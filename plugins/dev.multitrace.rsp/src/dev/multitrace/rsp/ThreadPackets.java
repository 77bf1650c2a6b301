package dev.multitrace.rsp;

import java.util.Map;

/**
 * H and T: selecting the thread later packets are for ({@code Hg} registers and memory,
 * {@code Hc} what c and s resume) and asking whether a thread is alive.
 */
final class ThreadPackets implements PacketHandler.Family {

    private final ClientState client;

    ThreadPackets(ClientState client) {
        this.client = client;
    }

    @Override
    public void register(Map<String, PacketHandler> table) {
        table.put("H", this::setThread);
        table.put("T", r -> {
            PacketArgs a = r.args();
            ThreadId t = a.threadId();
            a.end();
            if (t.tid() == ThreadId.ANY || t.tid() == ThreadId.ALL || client.find(t) == null) {
                throw RspError.NO_SUCH_THREAD.error("thread " + t + " is not alive");
            }
            return "OK";
        });
    }

    private String setThread(Request r) {
        PacketArgs a = r.args();
        char op = a.character();
        ThreadId t = a.threadId();
        a.end();
        if (t.tid() != ThreadId.ALL && t.tid() != ThreadId.ANY && client.find(t) == null) {
            throw RspError.NO_SUCH_THREAD.error("no thread " + t);
        }
        if (op == 'g') {
            client.general = t;
            StubThread th = client.find(t);
            if (th != null) {
                client.current = th;
            }
        } else {
            client.cont = t;
        }
        return "OK";
    }
}
