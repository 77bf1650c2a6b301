package dev.multitrace.rsp;

import dev.multitrace.core.Tracing;

import java.io.IOException;
import java.util.Map;

/**
 * qRcmd (gdb's {@code monitor} command): {@code engines} (who else traces each thread: the
 * multi-engine view gdb itself cannot show), {@code hardware} (whether this machine's debug
 * registers trap), {@code exit} (the server stops). The output goes as O packets before the OK.
 */
final class MonitorCommands implements PacketHandler.Family {

    private final ClientState client;
    private final PacketWriter out;

    MonitorCommands(ClientState client, PacketWriter out) {
        this.client = client;
        this.out = out;
    }

    @Override
    public void register(Map<String, PacketHandler> table) {
        table.put("qRcmd", r -> run(new String(r.args().expect(',').hexBytes(), java.nio.charset.StandardCharsets.UTF_8).strip()));
    }

    private String run(String command) throws IOException {
        switch (command) {
            case "exit" -> client.end = RemoteSession.End.EXIT_SERVER;
            case "hardware" -> print(Tracing.debugRegisters().summary() + "\n");
            case "engines" -> print(engines());
            default -> print("multitrace gdbserver: unknown monitor command '" + command + "' (try: engines, hardware, exit)\n");
        }
        return "OK";
    }

    private void print(String text) throws IOException {
        out.send("O" + Hex.encode(text));
    }

    private String engines() {
        StringBuilder s = new StringBuilder();
        for (StubThread th : client.target.threads()) {
            var task = th.engine.task();
            s.append("thread ").append(th.tid).append(" of ").append(th.process.pid).append(" (")
                    .append(task.state()).append("): engines");
            for (var e : task.engines()) {
                s.append(' ').append(e.data() != null ? e.data() : e.ops().getClass().getSimpleName());
                if (e.holdsStop()) {
                    s.append("[holds]");
                }
            }
            s.append('\n');
        }
        return s.toString();
    }
}
