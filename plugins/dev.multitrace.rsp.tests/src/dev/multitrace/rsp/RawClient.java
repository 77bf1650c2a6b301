package dev.multitrace.rsp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A hand-driven protocol client: sends exactly the bytes a test wants, reads what comes back. */
final class RawClient implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawClient(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(20_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    static String frame(String payload) {
        return new String(PacketWriter.frame('$', payload.getBytes(StandardCharsets.ISO_8859_1)), StandardCharsets.ISO_8859_1);
    }

    void sendRaw(String bytes) throws IOException {
        out.write(bytes.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Sends a well-formed packet and returns the reply's payload (acks are checked and skipped). */
    String request(String payload) throws IOException {
        sendRaw(frame(payload));
        int ack = in.read();
        if (ack != '+') {
            throw new IOException("expected '+', got " + ack);
        }
        String reply = readPacket();
        sendRaw("+");
        return reply;
    }

    /** The next byte the server sends (an ack or the start of a packet); -1 at EOF. */
    int readByte() throws IOException {
        return in.read();
    }

    String readPacket() throws IOException {
        int b;
        do {
            b = in.read();
            if (b < 0) {
                throw new IOException("connection closed");
            }
        } while (b != '$' && b != '%');
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        while ((b = in.read()) != '#') {
            if (b < 0) {
                throw new IOException("connection closed in a packet");
            }
            data.write(b);
        }
        in.read();
        in.read();
        return data.toString(StandardCharsets.ISO_8859_1);
    }

    /** Whether the server closed the connection (reads until EOF, giving up after the socket timeout). */
    boolean closedByServer() throws IOException {
        try {
            while (true) {
                if (in.read() < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
