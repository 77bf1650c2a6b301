package dev.multitrace.rsp;

import java.util.ArrayList;
import java.util.List;

/**
 * The arguments of one packet, read left to right. The protocol's packets share a few shapes —
 * hex numbers ({@code m ADDR,LENGTH}), separators ({@code , ; : =}), hex-encoded bytes
 * ({@code M ...:BYTES}), thread ids ({@code Hg p1.2}) and {@code ;}-lists ({@code vCont}) — so one
 * reader serves every handler, and every malformed argument ends the same way: a
 * {@link RspError#MALFORMED} error naming the packet and what was expected where, answered E01
 * while the session goes on.
 */
final class PacketArgs {

    private final String packet;
    private int pos;

    /** The arguments of {@code packet} from index {@code from} (just after the packet's name). */
    PacketArgs(String packet, int from) {
        this.packet = packet;
        this.pos = from;
    }

    boolean atEnd() {
        return pos >= packet.length();
    }

    /** Where the next read starts, in the packet (for binary data: X). */
    int position() {
        return pos;
    }

    /** The next character (an operation letter: Hg, Hc, vCont's c/s/t). */
    char character() {
        if (atEnd()) {
            throw malformed("a character");
        }
        return packet.charAt(pos++);
    }

    /** Consumes {@code c} if it comes next. */
    boolean skip(char c) {
        if (!atEnd() && packet.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    /** Consumes {@code c}, which must come next. */
    PacketArgs expect(char c) {
        if (!skip(c)) {
            throw malformed("'" + c + "'");
        }
        return this;
    }

    /** Nothing may follow. */
    void end() {
        if (!atEnd()) {
            throw malformed("the end of the packet");
        }
    }

    /** A hex number: the digits up to the next non-hex character (one at least, sixteen at most). */
    long hex() {
        int start = pos;
        while (!atEnd() && Hex.digit(packet.charAt(pos)) >= 0) {
            pos++;
        }
        if (pos == start || pos - start > 16) {
            pos = start;
            throw malformed("a hex number");
        }
        return Hex.parse(packet.substring(start, pos));
    }

    /** A hex number that fits an int (a length, a pid, a register number, a signal). */
    int hexInt() {
        int start = pos;
        long v = hex();
        if (v < 0 || v > Integer.MAX_VALUE) {
            pos = start;
            throw malformed("a number below 2^31");
        }
        return (int) v;
    }

    /** {@code ADDRESS,LENGTH}: the shape of m, x, M, X and qXfer's offset and length. */
    long[] addressLength() {
        long address = hex();
        expect(',');
        long length = hexInt();
        return new long[] {address, length};
    }

    /** The text up to the next of {@code delimiters} (not consumed) or the end; may be empty. */
    String field(String delimiters) {
        int start = pos;
        while (!atEnd() && delimiters.indexOf(packet.charAt(pos)) < 0) {
            pos++;
        }
        return packet.substring(start, pos);
    }

    /** Everything left. */
    String rest() {
        String s = packet.substring(Math.min(pos, packet.length()));
        pos = packet.length();
        return s;
    }

    /** Everything left, as hex-encoded bytes (two digits each). */
    byte[] hexBytes() {
        int start = pos;
        String s = rest();
        if ((s.length() & 1) != 0 || !s.chars().allMatch(c -> Hex.digit(c) >= 0)) {
            pos = start;
            throw malformed("hex-encoded bytes");
        }
        return Hex.decode(s);
    }

    /** A thread id ({@link ThreadId}: {@code p<pid>.<tid>}, {@code <tid>}, -1, 0) up to ';' or the end. */
    ThreadId threadId() {
        int start = pos;
        String s = field(";");
        try {
            return ThreadId.parse(s);
        } catch (IllegalArgumentException e) {
            pos = start;
            throw malformed("a thread id");
        }
    }

    /** The rest split at {@code separator}; empty items are kept ({@code "a;;b"} has three). */
    List<String> list(char separator) {
        List<String> items = new ArrayList<>();
        String s = rest();
        int from = 0;
        while (true) {
            int at = s.indexOf(separator, from);
            if (at < 0) {
                items.add(s.substring(from));
                return items;
            }
            items.add(s.substring(from, at));
            from = at + 1;
        }
    }

    /** A {@link RspError#MALFORMED} error: what was expected, where, in which packet. */
    PacketError malformed(String expected) {
        String shown = packet.length() > 60 ? packet.substring(0, 60) + "..." : packet;
        return RspError.MALFORMED.error("malformed packet '" + shown + "': expected " + expected + " at offset " + pos);
    }
}
