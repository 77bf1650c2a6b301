package dev.multitrace.rsp;

import dev.multitrace.core.Tracing;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;

/**
 * A GDB remote-protocol server over the tracing service, drop-in for gdbserver: one client at
 * a time, processes launched or attached before the first client (or by the client in extended
 * mode), kept between clients unless {@code once}.
 * <p>
 * Threads: {@link #serve} runs the accept loop and each client's protocol on the calling
 * thread; see {@link RemoteSession} for the per-client reader thread and {@link StubTarget} for
 * how engine callbacks hand stops over.
 */
public final class GdbServer implements AutoCloseable {

    /**
     * @param once         exit after the first client leaves (gdbserver --once)
     * @param multi        start without a program and stay up when none is left (gdbserver --multi)
     * @param inheritStdio launched programs share our stdin/stdout/stderr (else pipes, see
     *                     {@code Tracing.process(pid).stdout()})
     */
    public record Options(boolean once, boolean multi, boolean inheritStdio) {
    }

    private final StubTarget target;
    private final Options options;
    private final PrintWriter log;
    private final ServerSocket socket;
    private volatile List<String> program;
    private volatile boolean closed;

    /** Binds the listening socket ({@code port} 0 picks a free one); {@code host} null is loopback. */
    public GdbServer(Tracing tracing, InetAddress host, int port, Options options, PrintWriter log) throws IOException {
        this.target = new StubTarget(tracing, options.inheritStdio());
        this.options = options;
        this.log = log;
        this.socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(host != null ? host : InetAddress.getLoopbackAddress(), port));
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** Launches a program held at its first instruction; prints gdbserver's line; returns its pid. */
    public int launch(List<String> command) {
        StubProcess p = target.launch(command);
        programLaunched(command, p.pid);
        return p.pid;
    }

    /** Attaches to a running process (all its threads) and holds it for the client. */
    public void attach(int pid) {
        target.attach(pid);
        log.println("Attached; pid = " + pid);
    }

    /**
     * Calls {@code listener} for every process the server launches or attaches (also for the
     * client's vRun and vAttach), while the stub holds all its threads: another engine attached
     * there sees the process from its first instruction (or from the attach) on.
     */
    public void onNewProcess(java.util.function.Consumer<dev.multitrace.core.TracedProcess> listener) {
        target.onNewProcess = listener;
    }

    void programLaunched(List<String> command, int pid) {
        program = command;
        log.println("Process " + String.join(" ", command) + " created; pid = " + pid);
    }

    /** The last program launched (vRun with an empty name runs it again). */
    List<String> program() {
        return program;
    }

    boolean keepsProcessesForNextClient() {
        return !options.once() && !closed;
    }

    /** The pids the server debugs now. */
    public List<Integer> pids() {
        return target.processList().stream().map(p -> p.pid).toList();
    }

    /**
     * Serves clients one after another until: the first one leaves ({@code once}), a client says
     * {@code monitor exit}, no process is left after a client leaves (without {@code multi}), or
     * {@link #close}.
     */
    public void serve() throws IOException, InterruptedException {
        log.println("Listening on port " + port());
        log.flush();
        try {
            while (!closed) {
                Socket client;
                try {
                    client = socket.accept();
                } catch (SocketException e) {
                    if (closed) {
                        break;
                    }
                    throw e;
                }
                client.setTcpNoDelay(true);
                log.println("Remote debugging from host " + client.getInetAddress().getHostAddress()
                        + ", port " + client.getPort());
                RemoteSession.End end;
                try (client) {
                    end = new RemoteSession(target, this, client.getInputStream(), client.getOutputStream(), log).serve();
                }
                if (end == RemoteSession.End.EXIT_SERVER || options.once()) {
                    break;
                }
                if (!options.multi() && target.processList().isEmpty()) {
                    break;
                }
                log.println("Listening on port " + port());
                log.flush();
            }
        } finally {
            socket.close();
        }
    }

    /** Runs {@link #serve} on a new thread (for tests and embedding); failures go to the log. */
    public Thread start() {
        Thread t = new Thread(() -> {
            try {
                serve();
            } catch (IOException | InterruptedException | RuntimeException e) {
                if (!closed) {
                    e.printStackTrace(log);
                }
            }
        }, "gdbserver-" + port());
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Stops accepting clients; the processes stay with the service (which kills what it launched on close). */
    @Override
    public void close() throws IOException {
        closed = true;
        socket.close();
    }
}
