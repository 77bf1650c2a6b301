package dev.multitrace.rsp;

import java.util.Arrays;
import java.util.Map;

/**
 * m, x, M, X: memory of the process of the thread Hg selected, through that thread's
 * examination (so reads show the original bytes under the service's breakpoints, and writes
 * keep its table consistent).
 */
final class MemoryPackets implements PacketHandler.Family {

    /** The largest read we answer: what fits a reply packet with its framing. */
    private static final int MAX_BINARY = RemoteSession.PACKET_SIZE - 16;

    private final ClientState client;
    private final PacketWriter out;

    MemoryPackets(ClientState client, PacketWriter out) {
        this.client = client;
        this.out = out;
    }

    @Override
    public void register(Map<String, PacketHandler> table) {
        table.put("m", r -> read(r, false));
        table.put("x", r -> read(r, true));
        table.put("M", r -> {
            PacketArgs a = r.args();
            long[] al = a.addressLength();
            byte[] data = a.expect(':').hexBytes();
            return write(al[0], (int) al[1], data);
        });
        table.put("X", r -> {
            PacketArgs a = r.args();
            long[] al = a.addressLength();
            a.expect(':');
            byte[] data = Arrays.copyOfRange(r.raw(), a.position(), r.raw().length);
            return write(al[0], (int) al[1], data);
        });
    }

    /** m (hex reply) and x (binary reply, sent here). */
    private String read(Request r, boolean binary) throws java.io.IOException {
        PacketArgs a = r.args();
        long[] al = a.addressLength();
        a.end();
        int max = binary ? MAX_BINARY : MAX_BINARY / 2;
        int len = (int) Math.min(al[1], max);
        StubThread th = client.generalThread();
        byte[] b = th.examine().read(al[0], len);
        if (b.length == 0 && len > 0) {
            throw RspError.MEMORY_UNREADABLE.error("cannot read memory at 0x" + Long.toHexString(al[0]));
        }
        if (!binary) {
            return Hex.encode(b);
        }
        byte[] reply = new byte[b.length + 1];
        reply[0] = 'b';
        System.arraycopy(b, 0, reply, 1, b.length);
        out.send(reply);
        return null;
    }

    private String write(long address, int length, byte[] data) {
        if (data.length != length) {
            throw RspError.MALFORMED.error(length + " bytes announced, " + data.length + " sent");
        }
        if (length == 0) {
            return "OK"; // gdb's probe for binary X support
        }
        StubThread th = client.generalThread();
        synchronized (client.target) {
            for (int i = 0; i < data.length; i++) {
                if (data[i] == (byte) 0xcc) {
                    th.process.clientInt3.add(address + i);
                } else {
                    th.process.clientInt3.remove(address + i);
                }
            }
        }
        // Through the examination: if gdb writes an int3 where the service has a breakpoint (or
        // overwrites one), the service's table keeps the original byte consistent.
        th.examine().write(address, data);
        return "OK";
    }
}
