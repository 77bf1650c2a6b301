package dev.multitrace.symbols;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A process's auxiliary vector ({@code /proc/PID/auxv}, a core's {@code NT_AUXV}): where the kernel put
 * the executable's program headers ({@link #AT_PHDR}), the dynamic linker ({@link #AT_BASE}), the entry
 * point, the vDSO. Immutable.
 */
public final class Auxv {

    public static final int AT_NULL = 0;
    public static final int AT_PHDR = 3;
    public static final int AT_PHENT = 4;
    public static final int AT_PHNUM = 5;
    public static final int AT_PAGESZ = 6;
    public static final int AT_BASE = 7;
    public static final int AT_ENTRY = 9;
    public static final int AT_EXECFN = 31;
    public static final int AT_SYSINFO_EHDR = 33;

    private final Map<Long, Long> entries;

    private Auxv(Map<Long, Long> entries) {
        this.entries = Collections.unmodifiableMap(entries);
    }

    /** Parses the raw vector: (type, value) pairs of 64-bit little-endian words up to AT_NULL. */
    public static Auxv parse(byte[] raw) {
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        Map<Long, Long> out = new LinkedHashMap<>();
        while (b.remaining() >= 16) {
            long type = b.getLong();
            long value = b.getLong();
            if (type == AT_NULL) {
                break;
            }
            out.putIfAbsent(type, value);
        }
        return new Auxv(out);
    }

    public static Auxv ofProcess(long pid) throws IOException {
        return parse(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "auxv")));
    }

    public OptionalLong get(long type) {
        Long v = entries.get(type);
        return v == null ? OptionalLong.empty() : OptionalLong.of(v);
    }

    public Map<Long, Long> entries() {
        return entries;
    }

    @Override
    public String toString() {
        return "Auxv" + entries;
    }
}
