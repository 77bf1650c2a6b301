package dev.multitrace.rsp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The framing layer: what gdb sends, what a broken or hostile client sends, and a fuzz run. */
class PacketReaderTest {

    private static PacketReader reader(String wire) {
        return new PacketReader(new ByteArrayInputStream(wire.getBytes(StandardCharsets.ISO_8859_1)), 4096);
    }

    private static PacketReader reader(byte[] wire) {
        return new PacketReader(new ByteArrayInputStream(wire), 4096);
    }

    @Test
    void framesPacketsAcksAndInterrupt() throws IOException {
        PacketReader r = reader("+$qSupported:multiprocess+#c6-\u0003$g#67");
        assertInstanceOf(Input.Ack.class, r.next());
        assertEquals("qSupported:multiprocess+", ((Input.Packet) r.next()).text());
        assertInstanceOf(Input.Nack.class, r.next());
        assertInstanceOf(Input.Interrupt.class, r.next());
        assertEquals("g", ((Input.Packet) r.next()).text());
        assertThrows(EOFException.class, r::next);
    }

    @Test
    void badChecksumIsReportedNotThrown() throws IOException {
        Input in = reader("$g#00$g#67").next();
        Input.BadChecksum bad = assertInstanceOf(Input.BadChecksum.class, in);
        assertEquals(0, bad.expected());
        assertEquals(0x67, bad.actual());
        assertInstanceOf(Input.BadChecksum.class, reader("$g#zz").next());
    }

    @Test
    void decodesEscapesAndBinaryData() throws IOException {
        byte[] payload = {'X', '1', '0', ',', '4', ':', '$', '#', '}', '*', 0, (byte) 0xff, 3};
        byte[] wire = PacketWriter.frame('$', payload);
        Input.Packet p = assertInstanceOf(Input.Packet.class, reader(wire).next());
        assertArrayEquals(payload, p.data());
    }

    @Test
    void decodesRunLengths() throws IOException {
        // "0* " is '0' followed by ' ' - 29 = 3 more: four zeros.
        String body = "m0* ";
        int sum = 0;
        for (char c : body.toCharArray()) {
            sum += c;
        }
        String wire = "$" + body + "#" + String.format("%02x", sum & 0xff);
        assertEquals("m0000", ((Input.Packet) reader(wire).next()).text());
    }

    @Test
    void restartsAtANewDollar() throws IOException {
        assertEquals("g", ((Input.Packet) reader("$qSupp$g#67").next()).text());
    }

    @Test
    void hugeOrUnterminatedPacketsDropTheClient() {
        String huge = "$" + "a".repeat(10_000) + "#00";
        assertThrows(RspProtocolException.class, () -> reader(huge).next());
        // a run length that expands far beyond the limit
        StringBuilder rle = new StringBuilder("$a");
        for (int i = 0; i < 100; i++) {
            rle.append("*~");
        }
        assertThrows(RspProtocolException.class, () -> reader(rle + "#00").next());
        assertThrows(EOFException.class, () -> reader("$g").next());
        assertThrows(RspProtocolException.class, () -> reader("$*a#00").next());
        assertThrows(RspProtocolException.class, () -> reader("$}#00").next());
    }

    @Test
    void writerRoundTrips() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PacketWriter w = new PacketWriter(out);
        w.send("T05thread:p1.1;");
        w.send(new byte[] {'l', '<', '$', '#', '*', '}'});
        PacketReader r = reader(out.toByteArray());
        assertEquals("T05thread:p1.1;", ((Input.Packet) r.next()).text());
        assertArrayEquals(new byte[] {'l', '<', '$', '#', '*', '}'}, ((Input.Packet) r.next()).data());
    }

    /**
     * Random and mutated frames: the reader returns inputs or throws EOF/protocol errors, nothing
     * else, and always terminates (a finite input ends every read).
     */
    @Test
    void fuzzedInputOnlyEverYieldsInputsOrProtocolErrors() {
        Random rnd = new Random(0x5eed);
        List<byte[]> seeds = new ArrayList<>();
        for (String s : new String[] {"qSupported:multiprocess+;swbreak+", "vCont;c:p1.-1", "m7fff0000,40",
                "X400000,3:\u0000\u0001\u0002", "Z0,401136,1", "qXfer:features:read:target.xml:0,ffb"}) {
            seeds.add(PacketWriter.frame('$', s.getBytes(StandardCharsets.ISO_8859_1)));
        }
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int round = 0; round < 20_000; round++) {
                byte[] wire;
                if (round % 3 == 0) {
                    wire = new byte[rnd.nextInt(64)];
                    rnd.nextBytes(wire);
                    // bias towards the framing characters
                    for (int i = 0; i < wire.length; i++) {
                        if (rnd.nextInt(4) == 0) {
                            wire[i] = (byte) "$#}*+-\u0003".charAt(rnd.nextInt(7));
                        }
                    }
                } else {
                    wire = seeds.get(rnd.nextInt(seeds.size())).clone();
                    int mutations = 1 + rnd.nextInt(4);
                    for (int m = 0; m < mutations && wire.length > 0; m++) {
                        wire[rnd.nextInt(wire.length)] = (byte) rnd.nextInt(256);
                    }
                }
                PacketReader r = new PacketReader(new ByteArrayInputStream(wire), 256);
                int inputs = 0;
                while (true) {
                    try {
                        Input in = r.next();
                        if (in == null) {
                            fail("null input");
                        }
                        if (++inputs > wire.length) {
                            fail("more inputs than bytes");
                        }
                    } catch (EOFException | RspProtocolException expected) {
                        break;
                    } catch (Throwable t) {
                        fail("unexpected " + t + " for input " + java.util.Arrays.toString(wire));
                    }
                }
            }
        });
    }
}
