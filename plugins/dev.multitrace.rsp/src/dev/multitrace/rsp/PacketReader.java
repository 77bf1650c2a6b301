package dev.multitrace.rsp;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Frames the client's byte stream into {@link Input}s: {@code $data#cs} packets with their
 * checksum checked, '}' escapes and '*' run-lengths decoded (binary X data included), acks, and
 * the out-of-band Ctrl-C byte. Bytes outside a frame that mean nothing are skipped, as gdbserver
 * does. A frame longer than the limit drops the connection ({@link RspProtocolException}): its
 * end might never come. Used by one thread only (the session's reader thread).
 */
public final class PacketReader {

    private final InputStream in;
    private final int maxPacket;

    /** @param maxPacket the largest decoded packet accepted (we announce it as PacketSize) */
    public PacketReader(InputStream in, int maxPacket) {
        this.in = in;
        this.maxPacket = maxPacket;
    }

    /**
     * The next input.
     *
     * @throws EOFException at the end of the stream (also in the middle of a packet)
     * @throws RspProtocolException for a frame that cannot be answered
     */
    public Input next() throws IOException {
        while (true) {
            int b = read();
            switch (b) {
                case '$':
                    return packet();
                case '+':
                    return new Input.Ack();
                case '-':
                    return new Input.Nack();
                case 0x03:
                    return new Input.Interrupt();
                default:
                    // Noise between packets (a stray '#', line noise): nothing to answer.
                    break;
            }
        }
    }

    private Input packet() throws IOException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        int sum = 0;
        int last = -1;
        int raw = 0;
        while (true) {
            int b = read();
            if (b == '#') {
                break;
            }
            if (b == '$') {
                // A new frame starts inside this one: the client gave up on the old one.
                data.reset();
                sum = 0;
                last = -1;
                raw = 0;
                continue;
            }
            if (++raw > 2 * maxPacket + 16) {
                throw new RspProtocolException("packet longer than " + maxPacket + " bytes: dropping the client");
            }
            sum += b;
            if (b == '}') {
                int e = read();
                if (e == '#' || e == '$') {
                    throw new RspProtocolException("escape character '}' at the end of a packet");
                }
                sum += e;
                last = e ^ 0x20;
                data.write(last);
            } else if (b == '*') {
                int n = read();
                if (n == '#' || n == '$') {
                    throw new RspProtocolException("run-length '*' at the end of a packet");
                }
                sum += n;
                int repeat = n - 29;
                if (last < 0 || repeat < 3 || repeat > 97) {
                    throw new RspProtocolException("bad run-length count " + (n & 0xff) + " in a packet");
                }
                for (int i = 0; i < repeat; i++) {
                    data.write(last);
                }
            } else {
                last = b;
                data.write(b);
            }
            if (data.size() > maxPacket) {
                throw new RspProtocolException("packet longer than " + maxPacket + " bytes: dropping the client");
            }
        }
        int hi = Hex.digit(read());
        int lo = Hex.digit(read());
        int actual = sum & 0xff;
        if (hi < 0 || lo < 0) {
            return new Input.BadChecksum(-1, actual);
        }
        int expected = hi << 4 | lo;
        if (expected != actual) {
            return new Input.BadChecksum(expected, actual);
        }
        return new Input.Packet(data.toByteArray());
    }

    private int read() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("the client closed the connection");
        }
        return b;
    }
}
