package dev.multitrace.rsp;

import dev.multitrace.core.Examination;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The dynamic linker's list of loaded objects (qXfer:libraries-svr4:read), read the way gdb
 * itself would over memory: auxv gives the program headers, PT_DYNAMIC's DT_DEBUG entry gives
 * the {@code r_debug} the dynamic linker keeps, and {@code r_map} is a linked list of
 * {@code struct link_map} (l_addr, l_name, l_ld, l_next). One reply instead of hundreds of
 * memory reads.
 */
final class LinkMap {

    private static final int AT_PHDR = 3, AT_PHENT = 4, AT_PHNUM = 5;
    private static final int PT_DYNAMIC = 2, PT_PHDR = 6;
    private static final long DT_NULL = 0, DT_DEBUG = 21;

    private LinkMap() {
    }

    static String read(Examination ex, int pid) throws IOException {
        String empty = "<library-list-svr4 version=\"1.0\"/>";
        ByteBuffer auxv = ByteBuffer.wrap(Files.readAllBytes(Path.of("/proc/" + pid + "/auxv"))).order(ByteOrder.LITTLE_ENDIAN);
        long phdr = 0, phent = 0, phnum = 0;
        while (auxv.remaining() >= 16) {
            long type = auxv.getLong();
            long value = auxv.getLong();
            if (type == AT_PHDR) {
                phdr = value;
            } else if (type == AT_PHENT) {
                phent = value;
            } else if (type == AT_PHNUM) {
                phnum = value;
            }
        }
        if (phdr == 0 || phent < 56 || phnum == 0 || phnum > 256) {
            return empty;
        }
        long bias = 0;
        long dynamic = 0;
        for (int i = 0; i < phnum; i++) {
            ByteBuffer ph = buffer(ex.read(phdr + i * phent, 56));
            if (ph.capacity() < 56) {
                return empty;
            }
            int type = ph.getInt(0);
            long vaddr = ph.getLong(16);
            if (type == PT_PHDR) {
                bias = phdr - vaddr;
            } else if (type == PT_DYNAMIC) {
                dynamic = vaddr;
            }
        }
        if (dynamic == 0) {
            return empty; // a static program: no dynamic linker, no list
        }
        long rDebug = 0;
        for (long at = dynamic + bias; ; at += 16) {
            ByteBuffer d = buffer(ex.read(at, 16));
            if (d.capacity() < 16 || d.getLong(0) == DT_NULL) {
                break;
            }
            if (d.getLong(0) == DT_DEBUG) {
                rDebug = d.getLong(8);
                break;
            }
        }
        if (rDebug == 0) {
            return empty; // the dynamic linker has not filled it in yet
        }
        long lm = ex.readLong(rDebug + 8);
        StringBuilder x = new StringBuilder();
        long main = 0;
        for (int n = 0; lm != 0 && n < 10_000; n++) {
            ByteBuffer m = buffer(ex.read(lm, 40));
            if (m.capacity() < 40) {
                break;
            }
            long lAddr = m.getLong(0);
            long lName = m.getLong(8);
            long lLd = m.getLong(16);
            long next = m.getLong(24);
            if (main == 0) {
                main = lm; // the program itself
            } else {
                x.append("<library name=\"").append(RemoteSession.xmlEscape(string(ex, lName)))
                        .append("\" lm=\"0x").append(Long.toHexString(lm))
                        .append("\" l_addr=\"0x").append(Long.toHexString(lAddr))
                        .append("\" l_ld=\"0x").append(Long.toHexString(lLd)).append("\" lmid=\"0x0\"/>");
            }
            lm = next;
        }
        return "<library-list-svr4 version=\"1.0\" main-lm=\"0x" + Long.toHexString(main) + "\">" + x
                + "</library-list-svr4>";
    }

    private static ByteBuffer buffer(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static String string(Examination ex, long address) {
        if (address == 0) {
            return "";
        }
        StringBuilder s = new StringBuilder();
        for (int chunk = 0; chunk < 16; chunk++) {
            byte[] b = ex.read(address + chunk * 256L, 256);
            for (byte c : b) {
                if (c == 0) {
                    return new String(s.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
                }
                s.append((char) (c & 0xff));
            }
            if (b.length < 256) {
                break;
            }
        }
        return s.toString();
    }
}
