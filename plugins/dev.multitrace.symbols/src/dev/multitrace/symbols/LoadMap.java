package dev.multitrace.symbols;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.multitrace.symbols.elf.ElfFile;
import dev.multitrace.symbols.elf.ElfSegment;

/**
 * What is mapped where in a process: the lines of {@code /proc/PID/maps}, parsed with plain Java, and
 * the load bias of each mapped ELF file (run-time address minus link-time address). Immutable: re-read
 * it after {@code exec} or after shared libraries were loaded.
 */
public final class LoadMap {

    private static final long PAGE = 4096;

    /** One line of {@code /proc/PID/maps}; {@code path} is empty for anonymous memory. */
    public record Mapping(long start, long end, String perms, long offset, String device, long inode, String path) {

        public boolean contains(long address) {
            return Long.compareUnsigned(address, start) >= 0 && Long.compareUnsigned(address, end) < 0;
        }

        public boolean isExecutable() {
            return perms.length() > 2 && perms.charAt(2) == 'x';
        }

        /** Backed by a file (not anonymous, not {@code [heap]}, {@code [stack]}, {@code [vdso]}...). */
        public boolean isFile() {
            return path.startsWith("/") && inode != 0;
        }

        /** Whether the file was deleted or replaced since it was mapped. */
        public boolean isDeleted() {
            return path.endsWith(" (deleted)");
        }
    }

    private final List<Mapping> mappings;

    private LoadMap(List<Mapping> mappings) {
        this.mappings = Collections.unmodifiableList(mappings);
    }

    /** A load map of the given mappings (e.g. a core's NT_FILE), sorted by address. */
    public static LoadMap of(List<Mapping> mappings) {
        List<Mapping> sorted = new ArrayList<>(mappings);
        sorted.sort((a, b) -> Long.compareUnsigned(a.start(), b.start()));
        return new LoadMap(sorted);
    }

    /** Reads {@code /proc/PID/maps}. */
    public static LoadMap ofProcess(long pid) throws IOException {
        return parse(Files.readString(Path.of("/proc", Long.toString(pid), "maps")));
    }

    /** Parses the text of a {@code /proc/PID/maps} file; malformed lines give an IllegalArgumentException naming the line. */
    public static LoadMap parse(String text) {
        List<Mapping> out = new ArrayList<>();
        int lineNo = 0;
        for (String line : text.split("\n")) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            try {
                out.add(parseLine(line));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("maps line " + lineNo + " malformed: " + line, e);
            }
        }
        return new LoadMap(out);
    }

    private static Mapping parseLine(String line) {
        int[] pos = {0};
        String range = field(line, pos);
        String perms = field(line, pos);
        String offset = field(line, pos);
        String dev = field(line, pos);
        String inode = field(line, pos);
        while (pos[0] < line.length() && line.charAt(pos[0]) == ' ') {
            pos[0]++;
        }
        String path = line.substring(pos[0]);
        int dash = range.indexOf('-');
        return new Mapping(Long.parseUnsignedLong(range.substring(0, dash), 16), Long.parseUnsignedLong(range.substring(dash + 1), 16), perms,
                Long.parseUnsignedLong(offset, 16), dev, Long.parseLong(inode), path);
    }

    private static String field(String line, int[] pos) {
        int i = pos[0];
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        int start = i;
        while (i < line.length() && line.charAt(i) != ' ') {
            i++;
        }
        if (start == i) {
            throw new IllegalArgumentException("missing field");
        }
        pos[0] = i;
        return line.substring(start, i);
    }

    public List<Mapping> mappings() {
        return mappings;
    }

    public Optional<Mapping> mappingAt(long address) {
        for (Mapping m : mappings) {
            if (m.contains(address)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** The mapped files, in address order of their first mapping. */
    public List<String> files() {
        return new ArrayList<>(byFile().keySet());
    }

    public List<Mapping> mappingsOf(String path) {
        return byFile().getOrDefault(path, List.of());
    }

    private Map<String, List<Mapping>> byFile() {
        Map<String, List<Mapping>> out = new LinkedHashMap<>();
        for (Mapping m : mappings) {
            if (m.isFile()) {
                out.computeIfAbsent(m.path(), k -> new ArrayList<>()).add(m);
            }
        }
        return out;
    }

    /**
     * The load bias of {@code elf} mapped as {@code path}: run-time address = link-time address + bias (0 for
     * non-PIE executables). Computed from the mapping of the lowest file offset and the PT_LOAD segment that
     * covers it. Empty if the file is not mapped.
     */
    public Optional<Long> loadBias(String path, ElfFile elf) {
        List<Mapping> ms = mappingsOf(path);
        if (ms.isEmpty()) {
            return Optional.empty();
        }
        Mapping first = ms.get(0);
        for (Mapping m : ms) {
            if (Long.compareUnsigned(m.offset(), first.offset()) < 0) {
                first = m;
            }
        }
        for (ElfSegment s : elf.segments()) {
            if (!s.isLoad()) {
                continue;
            }
            long segOff = s.offset() & ~(PAGE - 1);
            if (Long.compareUnsigned(first.offset(), segOff) >= 0 && Long.compareUnsigned(first.offset() - segOff, Math.max(s.filesz() + (s.offset() - segOff), 1)) < 0) {
                long linkAddress = (s.vaddr() & ~(PAGE - 1)) + (first.offset() - segOff);
                return Optional.of(first.start() - linkAddress);
            }
        }
        return Optional.of(first.start() - first.offset() - elf.linkBase());
    }

    @Override
    public String toString() {
        return "LoadMap[" + mappings.size() + " mappings]";
    }
}
