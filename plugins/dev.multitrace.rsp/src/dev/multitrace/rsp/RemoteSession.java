package dev.multitrace.rsp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;

/**
 * One connected client: the remote protocol over one socket. This class is the connection's loop
 * and the dispatch: each packet goes by its name ({@link Request}) to the handler of its family,
 * and whatever a handler throws becomes an error reply in one place ({@link RspError#of}).
 *
 * <table>
 * <caption>Packet families</caption>
 * <tr><td>{@link QueryPackets}, {@link XferPackets}, {@link MonitorCommands}</td><td>q</td></tr>
 * <tr><td>{@link SettingPackets}</td><td>Q</td></tr>
 * <tr><td>{@link RegisterPackets}</td><td>g G p P</td></tr>
 * <tr><td>{@link MemoryPackets}</td><td>m x M X</td></tr>
 * <tr><td>{@link BreakpointPackets}</td><td>Z z</td></tr>
 * <tr><td>{@link ThreadPackets}</td><td>H T</td></tr>
 * <tr><td>{@link ResumePackets}</td><td>c C s S vCont vCont? vCtrlC</td></tr>
 * <tr><td>{@link StopReports}</td><td>? vStopped, and non-stop notifications</td></tr>
 * <tr><td>{@link ProcessPackets}</td><td>! vRun vAttach D k vKill</td></tr>
 * <tr><td>{@link HostFileIo}</td><td>vFile</td></tr>
 * </table>
 *
 * <h2>Threads</h2>
 * <ul>
 * <li>The <em>reader thread</em> ({@link Connection}) owns the socket's input: it frames packets
 * and queues them under the {@link StubTarget}'s monitor; a Ctrl-C byte only sets a flag. It
 * never writes to the socket.</li>
 * <li>The <em>protocol thread</em> (the one that calls {@link #serve}) runs every handler: it is
 * the only one that writes to the socket and the only one that resumes, stops, detaches and
 * kills. It waits on the monitor for the next packet, or, while the target runs, for a stop that
 * an engine callback recorded ({@link StubThread#pending}), an exit, a Ctrl-C or the client's
 * disconnection.</li>
 * <li>Engine callbacks run on the service's tracer thread and never touch the socket (see
 * {@link StubProcess}).</li>
 * </ul>
 */
final class RemoteSession {

    /** Logs every packet and reply (like gdbserver --remote-debug): -Dmultitrace.rsp.debug=true. */
    static final boolean REMOTE_DEBUG = Boolean.getBoolean("multitrace.rsp.debug");

    /** Largest packet we accept, announced as PacketSize (hex 4000). */
    static final int PACKET_SIZE = 0x4000;

    /** How the session ended. */
    enum End {
        /** The client went away (EOF, protocol error) or detached/killed without extended mode. */
        CLIENT_LEFT,
        /** monitor exit: the server stops. */
        EXIT_SERVER
    }

    private final StubTarget target;
    private final PrintWriter log;
    private final Connection connection;
    private final ClientState client;
    private final StopReports stops;
    private final ProcessPackets processes;
    private final HostFileIo hostFiles = new HostFileIo(PACKET_SIZE);
    /** Packet name to handler; a name not here is unsupported (empty reply). */
    private final Map<String, PacketHandler> handlers = new HashMap<>();

    RemoteSession(StubTarget target, GdbServer server, InputStream in, OutputStream out, PrintWriter log) {
        this.target = target;
        this.log = log;
        this.connection = new Connection(target, in, out);
        this.client = new ClientState(target);
        PacketWriter writer = connection.out;
        this.stops = new StopReports(client, connection, log);
        this.processes = new ProcessPackets(client, server, stops, log);
        for (PacketHandler.Family family : new PacketHandler.Family[] {
                new QueryPackets(client), new XferPackets(client, writer), new MonitorCommands(client, writer),
                new SettingPackets(client, writer), new RegisterPackets(client), new MemoryPackets(client, writer),
                new BreakpointPackets(client), new ThreadPackets(client), new ResumePackets(client, connection, stops),
                stops, processes}) {
            family.register(handlers);
        }
        handlers.put("vFile", r -> {
            writer.send(hostFiles.handle(r.raw()));
            return null;
        });
        handlers.put("vMustReplyEmpty", r -> "");
    }

    /** Serves the client until it leaves; runs on the calling thread (the protocol thread). */
    End serve() throws InterruptedException {
        Thread reader = connection.startReader();
        try {
            while (client.end == null) {
                if (client.nonStop) {
                    stops.sendNotificationIfAny();
                }
                Input in = nextInput();
                if (in == null) {
                    log.println("Remote side has terminated connection (" + connection.goneReason + ").");
                    client.end = End.CLIENT_LEFT;
                    break;
                }
                try {
                    switch (in) {
                        case Input.Packet p -> {
                            connection.out.ack();
                            handle(Request.of(p.data()));
                        }
                        case Input.BadChecksum bad -> connection.out.nack();
                        case Input.Nack n -> connection.out.retransmit();
                        case Input.Ack a -> {
                        }
                        case Input.Interrupt i -> {
                        }
                    }
                } catch (IOException e) {
                    log.println("Remote side has terminated connection (" + e.getMessage() + ").");
                    client.end = End.CLIENT_LEFT;
                }
            }
        } finally {
            reader.interrupt();
            hostFiles.closeAll();
            processes.clientLeft();
        }
        return client.end;
    }

    /** The next packet, ack or nack; null when the client is gone. Non-stop also wakes for new stops. */
    private Input nextInput() throws InterruptedException {
        synchronized (target) {
            while (!connection.hasInput()) {
                if (connection.clientGone) {
                    return null;
                }
                if (client.nonStop && (connection.interruptRequested || stops.anyUnreportedStop())) {
                    // Non-stop: a stop to notify (or a Ctrl-C) wakes the loop, which sends it
                    // (sendNotificationIfAny) before it reads the next packet.
                    return new Input.Interrupt();
                }
                target.wait();
            }
            connection.interruptRequested = connection.interruptRequested && client.nonStop;
            return connection.poll();
        }
    }

    /** Answers one packet: its handler's reply, or the error reply for what the handler threw. */
    private void handle(Request request) throws IOException, InterruptedException {
        if (REMOTE_DEBUG) {
            log.println("<- " + request.text());
        }
        String reply;
        try {
            PacketHandler h = handlers.get(request.name());
            reply = h == null ? "" : h.handle(request);
        } catch (RuntimeException e) {
            RspError error = RspError.of(e);
            if (REMOTE_DEBUG) {
                log.println("   " + error + ": " + e);
            }
            reply = client.errorMessages ? error.reply(e.getMessage()) : error.reply();
        }
        if (reply != null) {
            if (REMOTE_DEBUG) {
                log.println("-> " + reply);
            }
            connection.out.send(reply);
        }
    }
}
