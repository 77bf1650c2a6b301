package dev.multitrace.rsp;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The processes the client debugs: {@code !} (extended mode), vRun, vAttach, D, k, vKill, and
 * what is left when the client goes ({@link #clientLeft}).
 */
final class ProcessPackets implements PacketHandler.Family {

    private final ClientState client;
    private final StubTarget target;
    private final GdbServer server;
    private final StopReports stops;
    private final PrintWriter log;

    ProcessPackets(ClientState client, GdbServer server, StopReports stops, PrintWriter log) {
        this.client = client;
        this.target = client.target;
        this.server = server;
        this.stops = stops;
        this.log = log;
    }

    @Override
    public void register(Map<String, PacketHandler> table) {
        table.put("!", r -> {
            client.extended = true;
            return "OK";
        });
        table.put("D", this::detach);
        table.put("k", r -> {
            killAll();
            if (!client.extended) {
                client.end = RemoteSession.End.CLIENT_LEFT;
            }
            return null; // k has no reply
        });
        table.put("vKill", r -> {
            PacketArgs a = r.args().expect(';');
            StubProcess proc = client.existingProcess(a.hexInt());
            a.end();
            target.kill(proc);
            log.println("Killing process(es): " + proc.pid);
            return "OK";
        });
        table.put("vAttach", r -> {
            PacketArgs a = r.args().expect(';');
            int pid = a.hexInt();
            a.end();
            StubProcess proc = target.attach(pid);
            log.println("Attached; pid = " + pid);
            return stops.newProcessStop(proc);
        });
        table.put("vRun", this::run);
    }

    /** vRun;PROGRAM[;ARG]...: each hex-encoded; an empty program is the last one run. */
    private String run(Request r) {
        List<String> command = new ArrayList<>();
        for (String arg : r.args().expect(';').list(';')) {
            command.add(new String(new PacketArgs(arg, 0).hexBytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
        if (command.get(0).isEmpty()) {
            List<String> last = server.program();
            if (last == null) {
                throw RspError.NO_PROGRAM.error("vRun without a program, and none was run before");
            }
            command.set(0, last.get(0));
        }
        StubProcess proc = target.launch(command);
        server.programLaunched(command, proc.pid);
        return stops.newProcessStop(proc);
    }

    /** D, or D;PID with multiprocess. */
    private String detach(Request r) {
        PacketArgs a = r.args();
        StubProcess proc = a.skip(';') ? client.existingProcess(a.hexInt()) : client.existingCurrentProcess();
        a.end();
        log.println("Detaching from process " + proc.pid);
        target.detach(proc);
        if (!client.extended && target.processList().isEmpty()) {
            client.end = RemoteSession.End.CLIENT_LEFT;
        }
        return "OK";
    }

    private void killAll() throws InterruptedException {
        for (StubProcess proc : target.processList()) {
            log.println("Killing process(es): " + proc.pid);
            target.kill(proc);
        }
    }

    /**
     * The client is gone (or detached): nothing may be left running half-reported. Every process
     * is stopped and the client's breakpoints are taken out; then the server either keeps the
     * processes for the next client or detaches from them.
     */
    void clientLeft() throws InterruptedException {
        List<StubProcess> ps = target.processList();
        if (ps.isEmpty()) {
            return;
        }
        target.stopAll(ps);
        for (StubProcess proc : ps) {
            target.removeBreakpoints(proc);
            synchronized (target) {
                for (StubThread th : proc.threads.values()) {
                    th.reportedStopped = false;
                }
            }
        }
        if (client.end == RemoteSession.End.EXIT_SERVER || !server.keepsProcessesForNextClient()) {
            for (StubProcess proc : ps) {
                if (proc.attached || client.end != RemoteSession.End.EXIT_SERVER) {
                    log.println("Detaching from process " + proc.pid);
                    target.detach(proc);
                } else {
                    log.println("Killing process(es): " + proc.pid);
                    target.kill(proc);
                }
            }
        }
    }
}
