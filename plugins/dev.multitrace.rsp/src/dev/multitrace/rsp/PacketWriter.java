package dev.multitrace.rsp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Frames replies ({@code $data#cs}, '$', '#', '}' and '*' escaped) and notifications
 * ({@code %Stop:...#cs}). Keeps the last packet for a retransmission after '-'. Only the
 * session's protocol thread writes (see {@link RemoteSession}), so no locking is needed here.
 */
public final class PacketWriter {

    private final OutputStream out;
    private byte[] last;
    private volatile boolean ackMode = true;

    public PacketWriter(OutputStream out) {
        this.out = out;
    }

    public void setAckMode(boolean ack) {
        this.ackMode = ack;
    }

    public boolean ackMode() {
        return ackMode;
    }

    public void send(String payload) throws IOException {
        send(payload.getBytes(StandardCharsets.ISO_8859_1));
    }

    public void send(byte[] payload) throws IOException {
        last = frame('$', payload);
        out.write(last);
        out.flush();
    }

    /** An asynchronous notification (non-stop mode): never acknowledged, never retransmitted. */
    public void notify(String payload) throws IOException {
        out.write(frame('%', payload.getBytes(StandardCharsets.ISO_8859_1)));
        out.flush();
    }

    public void ack() throws IOException {
        if (ackMode) {
            out.write('+');
            out.flush();
        }
    }

    public void nack() throws IOException {
        if (ackMode) {
            out.write('-');
            out.flush();
        }
    }

    /** Sends the last packet again (the client answered '-'). */
    public void retransmit() throws IOException {
        if (last != null && ackMode) {
            out.write(last);
            out.flush();
        }
    }

    static byte[] frame(char start, byte[] payload) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(payload.length + 8);
        b.write(start);
        int sum = 0;
        for (byte x : payload) {
            int c = x & 0xff;
            if (c == '$' || c == '#' || c == '}' || c == '*') {
                b.write('}');
                b.write(c ^ 0x20);
                sum += '}' + (c ^ 0x20);
            } else {
                b.write(c);
                sum += c;
            }
        }
        b.write('#');
        String cs = Hex.littleEndian(sum & 0xff, 1);
        b.write(cs.charAt(0));
        b.write(cs.charAt(1));
        return b.toByteArray();
    }
}
