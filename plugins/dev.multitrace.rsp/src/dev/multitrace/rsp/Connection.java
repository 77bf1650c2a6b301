package dev.multitrace.rsp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayDeque;

/**
 * The client's socket: the reader thread's side (what arrived, a Ctrl-C, the client gone) and the
 * writer.
 * <p>
 * The reader thread owns the socket's input: it frames packets ({@link PacketReader}) and queues
 * them; a Ctrl-C byte only sets {@link #interruptRequested}. It never writes. The fields it writes
 * are guarded by the {@link StubTarget}'s monitor, the one the protocol thread waits on for stops,
 * so a packet, a Ctrl-C and a stop all wake the same wait. Only the protocol thread writes
 * ({@link #out}).
 */
final class Connection {

    private final StubTarget target;
    private final InputStream socketIn;
    final PacketWriter out;

    // --- Guarded by the target's monitor (written by the reader thread). ---
    private final ArrayDeque<Input> inputs = new ArrayDeque<>();
    /** Ctrl-C (0x03, or vCtrlC) not yet acted on. */
    boolean interruptRequested;
    boolean clientGone;
    String goneReason;

    Connection(StubTarget target, InputStream in, OutputStream out) {
        this.target = target;
        this.socketIn = in;
        this.out = new PacketWriter(out);
    }

    /** Starts the reader thread. */
    Thread startReader() {
        Thread reader = new Thread(this::readLoop, "gdbserver-reader");
        reader.setDaemon(true);
        reader.start();
        return reader;
    }

    private void readLoop() {
        PacketReader r = new PacketReader(socketIn, RemoteSession.PACKET_SIZE);
        try {
            while (true) {
                Input in = r.next();
                synchronized (target) {
                    if (in instanceof Input.Interrupt) {
                        interruptRequested = true;
                    } else {
                        inputs.add(in);
                    }
                    target.notifyAll();
                }
            }
        } catch (IOException e) {
            gone(e.getMessage());
        }
    }

    /** The client cannot be reached any more (the reader's EOF, or a failed write). */
    void gone(String reason) {
        synchronized (target) {
            clientGone = true;
            goneReason = reason;
            target.notifyAll();
        }
    }

    /** Caller holds the target's monitor. */
    boolean hasInput() {
        return !inputs.isEmpty();
    }

    /** Caller holds the target's monitor. */
    Input poll() {
        return inputs.poll();
    }

    /** A Ctrl-C, as if the byte had come (vCtrlC). */
    void requestInterrupt() {
        synchronized (target) {
            interruptRequested = true;
        }
    }

    /** Whether a Ctrl-C came, consuming it. */
    boolean takeInterrupt() {
        synchronized (target) {
            boolean i = interruptRequested;
            interruptRequested = false;
            return i;
        }
    }
}
