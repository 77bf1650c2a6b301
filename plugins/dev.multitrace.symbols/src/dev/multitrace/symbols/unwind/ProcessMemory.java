package dev.multitrace.symbols.unwind;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import dev.multitrace.symbols.MemoryReader;

/**
 * A live process's memory read through {@code /proc/PID/mem} (positional reads, no ptrace call: the
 * caller needs ptrace access to the process, e.g. it is root or its tracer). The debugger proper reads
 * through the tracing service instead; this serves tools and tests. Thread-safe (positional reads only).
 */
public final class ProcessMemory implements MemoryReader, AutoCloseable {

    private final long pid;
    private final FileChannel channel;

    private ProcessMemory(long pid, FileChannel channel) {
        this.pid = pid;
        this.channel = channel;
    }

    public static ProcessMemory open(long pid) throws IOException {
        return new ProcessMemory(pid, FileChannel.open(Path.of("/proc", Long.toString(pid), "mem"), StandardOpenOption.READ));
    }

    public long pid() {
        return pid;
    }

    @Override
    public int read(long address, byte[] into, int offset, int length) {
        if (address < 0) {
            return 0; // kernel half: /proc/PID/mem cannot seek there
        }
        ByteBuffer b = ByteBuffer.wrap(into, offset, length);
        int total = 0;
        try {
            while (b.hasRemaining()) {
                int n = channel.read(b, address + total);
                if (n <= 0) {
                    break;
                }
                total += n;
            }
        } catch (IOException e) {
            // EIO: the range runs into an unmapped page; a page-by-page retry finds the readable prefix
            if (total == 0 && length > 1) {
                return readByPages(address, into, offset, length);
            }
        }
        return total;
    }

    private int readByPages(long address, byte[] into, int offset, int length) {
        int total = 0;
        while (total < length) {
            long at = address + total;
            int chunk = (int) Math.min(length - total, 4096 - (at & 4095));
            try {
                int n = channel.read(ByteBuffer.wrap(into, offset + total, chunk), at);
                if (n <= 0) {
                    break;
                }
                total += n;
                if (n < chunk) {
                    break;
                }
            } catch (IOException e) {
                break;
            }
        }
        return total;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
