package dev.multitrace.symbols.elf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import io.airlift.compress.zstd.ZstdDecompressor;

/**
 * An ELF64 file (little or big endian) read from a memory-mapped file or an in-memory buffer: header,
 * section and program headers, notes (build-id), {@code .gnu_debuglink}, section contents (SHF_COMPRESSED
 * zlib and zstd sections and legacy {@code .zdebug_*} sections are decompressed transparently; zstd through
 * aircompressor's pure-Java decoder) and the symbol table.
 * Headers are read eagerly; symbols and section contents lazily, once. Thread-safe.
 * Malformed input gives a {@link SymbolException} naming the file and the section.
 */
public final class ElfFile {

    public static final int ET_REL = 1;
    public static final int ET_EXEC = 2;
    public static final int ET_DYN = 3;
    public static final int ET_CORE = 4;
    public static final int EM_X86_64 = 62;
    public static final int EM_AARCH64 = 183;
    private static final int ELFCOMPRESS_ZLIB = 1;
    private static final int ELFCOMPRESS_ZSTD = 2;
    private static final int NT_GNU_BUILD_ID = 3;

    private final String name;
    private final Path path;
    private final ByteBuffer data;
    private final ByteOrder order;
    private final int type;
    private final int machine;
    private final long entry;
    private final List<ElfSection> sections;
    private final List<ElfSegment> segments;
    private final Map<Integer, ByteReader> contents = new ConcurrentHashMap<>();
    private volatile SymbolTable symbols;
    private volatile Optional<byte[]> buildId;
    /**
     * The separate debug file under /usr/lib/debug, opened once: its sections (often compressed, megabytes for a
     * libc) are then decompressed once for the line table, the DIE tree and the symbols alike, not per use.
     */
    private volatile Optional<ElfFile> debugFile;

    private ElfFile(String name, Path path, ByteBuffer data) {
        this.name = name;
        this.path = path;
        this.data = data;
        int size = data.capacity();
        ByteReader id = new ByteReader(data, 0, Math.min(size, 16), ByteOrder.LITTLE_ENDIAN, name, "ELF header");
        if (size < 4 || id.u8() != 0x7f || id.u8() != 'E' || id.u8() != 'L' || id.u8() != 'F') {
            throw new SymbolException(name, "ELF header", "not an ELF file (bad magic)");
        }
        int elfClass = id.u8();
        int encoding = id.u8();
        if (elfClass != 2) {
            throw new SymbolException(name, "ELF header", "unsupported ELF class " + elfClass + " (only ELF64 is supported)");
        }
        if (encoding != 1 && encoding != 2) {
            throw new SymbolException(name, "ELF header", "bad data encoding " + encoding);
        }
        order = encoding == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        if (size < 64) {
            throw new SymbolException(name, "ELF header", "truncated: file has " + size + " bytes, the ELF64 header needs 64");
        }
        ByteReader h = new ByteReader(data, 0, 64, order, name, "ELF header").seek(16);
        type = h.u16();
        machine = h.u16();
        h.u32();
        entry = h.u64();
        long phoff = h.u64();
        long shoff = h.u64();
        h.u32();
        h.u16();
        int phentsize = h.u16();
        int phnum = h.u16();
        int shentsize = h.u16();
        int shnum = h.u16();
        int shstrndx = h.u16();
        ByteReader file = new ByteReader(data, 0, size, order, name, "section headers");
        sections = readSections(file, shoff, shentsize, shnum, shstrndx);
        segments = readSegments(new ByteReader(data, 0, size, order, name, "program headers"), phoff, phentsize, phnum);
    }

    /** Maps and parses {@code file}. */
    public static ElfFile open(Path file) {
        String name = file.toString();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE) {
                throw new SymbolException(name, null, "file too large (" + size + " bytes)");
            }
            ByteBuffer buf = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
            return new ElfFile(name, file, buf);
        } catch (IOException e) {
            throw new SymbolException(name, null, "cannot read: " + e, e);
        }
    }

    /** Parses an in-memory image; {@code name} is used in error messages. */
    public static ElfFile parse(String name, ByteBuffer image) {
        return new ElfFile(name, null, image.slice());
    }

    public static ElfFile parse(String name, byte[] image) {
        return new ElfFile(name, null, ByteBuffer.wrap(image));
    }

    private List<ElfSection> readSections(ByteReader file, long shoff, int shentsize, int shnum, int shstrndx) {
        if (shoff == 0) {
            return List.of();
        }
        if (shentsize < 64) {
            throw file.error("section header entry size " + shentsize + " < 64");
        }
        if (shnum == 0 || shstrndx == 0xffff) {
            // extended numbering: the real values are in section header 0
            ByteReader first = file.slice(shoff, 64);
            first.skip(32);
            long realNum = first.u64();
            int link = (int) first.u32();
            if (shnum == 0) {
                if (realNum > (file.size() - shoff) / shentsize) {
                    throw file.error("section count " + realNum + " does not fit in the file");
                }
                shnum = (int) realNum;
            }
            if (shstrndx == 0xffff) {
                shstrndx = link;
            }
        }
        ByteReader table = file.slice(shoff, (long) shnum * shentsize);
        long[][] raw = new long[shnum][];
        int[] names = new int[shnum];
        for (int i = 0; i < shnum; i++) {
            table.seek((long) i * shentsize);
            names[i] = (int) table.u32();
            long type = table.u32();
            long flags = table.u64();
            long addr = table.u64();
            long offset = table.u64();
            long size = table.u64();
            long link = table.u32();
            long info = table.u32();
            long align = table.u64();
            long entsize = table.u64();
            raw[i] = new long[] {type, flags, addr, offset, size, link, info, align, entsize};
        }
        ByteReader strtab = null;
        if (shstrndx != 0) {
            if (shstrndx >= shnum) {
                throw file.error("section name string table index " + shstrndx + " >= section count " + shnum);
            }
            long[] s = raw[shstrndx];
            strtab = file.slice(s[3], s[4], "section name string table (section " + shstrndx + ")");
        }
        List<ElfSection> out = new ArrayList<>(shnum);
        for (int i = 0; i < shnum; i++) {
            long[] s = raw[i];
            String sname = strtab == null ? "" : strtab.cstringAt(names[i] & 0xffffffffL);
            out.add(new ElfSection(i, sname, (int) s[0], s[1], s[2], s[3], s[4], (int) s[5], (int) s[6], s[7], s[8]));
        }
        return Collections.unmodifiableList(out);
    }

    private static List<ElfSegment> readSegments(ByteReader file, long phoff, int phentsize, int phnum) {
        if (phoff == 0 || phnum == 0) {
            return List.of();
        }
        if (phentsize < 56) {
            throw file.error("program header entry size " + phentsize + " < 56");
        }
        ByteReader table = file.slice(phoff, (long) phnum * phentsize);
        List<ElfSegment> out = new ArrayList<>(phnum);
        for (int i = 0; i < phnum; i++) {
            table.seek((long) i * phentsize);
            int t = (int) table.u32();
            int f = (int) table.u32();
            out.add(new ElfSegment(i, t, f, table.u64(), table.u64(), table.u64(), table.u64(), table.u64(), table.u64()));
        }
        return Collections.unmodifiableList(out);
    }

    /** The path or name used in messages. */
    public String name() {
        return name;
    }

    /** The file this was read from, or null for an in-memory image. */
    public Path path() {
        return path;
    }

    public ByteOrder order() {
        return order;
    }

    /** {@link #ET_EXEC}, {@link #ET_DYN} (PIE executables and shared libraries), ... */
    public int type() {
        return type;
    }

    public int machine() {
        return machine;
    }

    /** The link-time entry point. */
    public long entry() {
        return entry;
    }

    public List<ElfSection> sections() {
        return sections;
    }

    public List<ElfSegment> segments() {
        return segments;
    }

    public Optional<ElfSection> section(String sectionName) {
        for (ElfSection s : sections) {
            if (s.name().equals(sectionName)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** The lowest page-aligned PT_LOAD address: 0 for PIE and shared libraries, e.g. 0x400000 otherwise. */
    public long linkBase() {
        long base = -1;
        for (ElfSegment s : segments) {
            if (s.isLoad() && Long.compareUnsigned(s.vaddr() & ~0xfffL, base) < 0) {
                base = s.vaddr() & ~0xfffL;
            }
        }
        return base == -1 ? 0 : base;
    }

    /** The raw file bytes of a section (still compressed if it is). */
    public ByteReader rawData(ElfSection s) {
        String label = label(s);
        if (!s.hasFileData()) {
            return new ByteReader(ByteBuffer.allocate(0), 0, 0, order, name, label);
        }
        long size = data.capacity();
        if (s.offset() < 0 || s.size() < 0 || s.offset() > size || s.size() > size - s.offset()) {
            throw new SymbolException(name, label, "section data 0x" + Long.toHexString(s.offset()) + "+0x" + Long.toHexString(s.size())
                    + " extends past the end of the file (" + size + " bytes)");
        }
        return new ByteReader(data, (int) s.offset(), (int) s.size(), order, name, label);
    }

    /** The contents of a section, decompressed if it is SHF_COMPRESSED or a {@code .zdebug_*} section. */
    public ByteReader data(ElfSection s) {
        ByteReader cached = contents.get(s.index());
        if (cached == null) {
            cached = readData(s);
            contents.put(s.index(), cached);
        }
        return cached.slice(0, cached.size());
    }

    /** The contents of the named section, if present (for debug sections also its {@code .zdebug} form). */
    public Optional<ByteReader> data(String sectionName) {
        Optional<ElfSection> s = section(sectionName);
        if (s.isEmpty() && sectionName.startsWith(".debug_")) {
            s = section(".zdebug_" + sectionName.substring(7));
        }
        return s.map(this::data);
    }

    private static String label(ElfSection s) {
        return s.name().isEmpty() ? "section " + s.index() : s.name();
    }

    private ByteReader readData(ElfSection s) {
        ByteReader raw = rawData(s);
        if (s.isCompressed()) {
            int chType = (int) raw.u32();
            raw.u32();
            long chSize = raw.u64();
            raw.u64();
            if (chType == ELFCOMPRESS_ZSTD) {
                return unzstd(raw, chSize);
            }
            if (chType != ELFCOMPRESS_ZLIB) {
                throw raw.error("unknown compression type " + chType);
            }
            return inflate(raw, chSize);
        }
        if (s.name().startsWith(".zdebug_") && raw.size() >= 12) {
            ByteReader magic = raw.slice(0, 12);
            if (magic.u8() == 'Z' && magic.u8() == 'L' && magic.u8() == 'I' && magic.u8() == 'B') {
                long size = 0;
                for (int i = 0; i < 8; i++) {
                    size = size << 8 | magic.u8();
                }
                raw.seek(12);
                return inflate(raw, size);
            }
        }
        return raw;
    }

    private ByteReader inflate(ByteReader raw, long size) {
        int compressed = raw.remaining();
        // zlib cannot expand more than ~1032:1; a larger claim is corrupt (and must not allocate gigabytes)
        if (size < 0 || size > (long) compressed * 1032 + 1024 || size > Integer.MAX_VALUE - 64) {
            throw raw.error("implausible uncompressed size " + Long.toUnsignedString(size) + " for " + compressed + " compressed bytes");
        }
        byte[] in = raw.bytes(compressed);
        byte[] out = new byte[(int) size];
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(in);
            int n = 0;
            int stalls = 0;
            while (n < out.length) {
                int k = inflater.inflate(out, n, out.length - n);
                if (k == 0) {
                    if (inflater.finished() || inflater.needsInput() || inflater.needsDictionary() || ++stalls > 3) {
                        throw raw.error("truncated compressed data: inflated " + n + " of " + size + " bytes");
                    }
                }
                n += k;
            }
        } catch (DataFormatException e) {
            throw new SymbolException(name, raw.section(), "corrupt zlib data: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
        return ByteReader.of(out, order, name, raw.section());
    }

    /** A zstd frame (SHF_COMPRESSED with ELFCOMPRESS_ZSTD), decoded by aircompressor's pure-Java decoder. */
    private ByteReader unzstd(ByteReader raw, long size) {
        int compressed = raw.remaining();
        // a zstd block expands at most 128 KiB from a few bytes (RLE): a larger claim is corrupt and must not allocate gigabytes
        if (size < 0 || size > (long) compressed * 32768 + 1024 || size > Integer.MAX_VALUE - 64) {
            throw raw.error("implausible uncompressed size " + Long.toUnsignedString(size) + " for " + compressed + " zstd-compressed bytes");
        }
        byte[] in = raw.bytes(compressed);
        byte[] out = new byte[(int) size];
        int n;
        try {
            long declared = ZstdDecompressor.getDecompressedSize(in, 0, in.length);
            if (declared >= 0 && declared != size) {
                throw raw.error("zstd frame holds " + declared + " bytes, the section header says " + size);
            }
            n = new ZstdDecompressor().decompress(in, 0, in.length, out, 0, out.length);
        } catch (SymbolException e) {
            throw e;
        } catch (RuntimeException e) {
            // MalformedInputException, or an index error of the decoder on data it did not expect
            throw new SymbolException(name, raw.section(), "corrupt zstd data: " + e, e);
        }
        if (n != size) {
            throw raw.error("truncated zstd data: decoded " + n + " of " + size + " bytes");
        }
        return ByteReader.of(out, order, name, raw.section());
    }

    /** The GNU build-id note ({@code .note.gnu.build-id} or any PT_NOTE/SHT_NOTE with type 3, owner "GNU"). */
    public Optional<byte[]> buildId() {
        Optional<byte[]> id = buildId;
        if (id == null) {
            id = Optional.empty();
            for (ElfSection s : sections) {
                if (s.type() == ElfSection.SHT_NOTE) {
                    id = findBuildId(rawData(s));
                    if (id.isPresent()) {
                        break;
                    }
                }
            }
            if (id.isEmpty() && sections.isEmpty()) {
                for (ElfSegment p : segments) {
                    if (p.type() == ElfSegment.PT_NOTE) {
                        id = findBuildId(new ByteReader(data, 0, data.capacity(), order, name, "PT_NOTE segment " + p.index())
                                .slice(p.offset(), p.filesz()));
                        if (id.isPresent()) {
                            break;
                        }
                    }
                }
            }
            buildId = id;
        }
        return id.map(byte[]::clone);
    }

    /** The build-id as lowercase hex, if any. */
    public Optional<String> buildIdHex() {
        return buildId().map(b -> HexFormat.of().formatHex(b));
    }

    private static Optional<byte[]> findBuildId(ByteReader notes) {
        while (notes.remaining() >= 12) {
            long namesz = notes.u32();
            long descsz = notes.u32();
            long ntype = notes.u32();
            byte[] owner = notes.bytes(namesz);
            notes.skip(pad4(namesz));
            byte[] desc = notes.bytes(descsz);
            if (notes.remaining() > 0) {
                notes.skip(Math.min(pad4(descsz), notes.remaining()));
            }
            if (ntype == NT_GNU_BUILD_ID && namesz == 4 && owner[0] == 'G' && owner[1] == 'N' && owner[2] == 'U' && owner[3] == 0) {
                return Optional.of(desc);
            }
        }
        return Optional.empty();
    }

    private static long pad4(long n) {
        return (4 - (n & 3)) & 3;
    }

    /** The contents of {@code .gnu_debuglink}: the separate debug file's name and its CRC-32. */
    public record DebugLink(String fileName, int crc) {
    }

    public Optional<DebugLink> debugLink() {
        Optional<ElfSection> s = section(".gnu_debuglink");
        if (s.isEmpty()) {
            return Optional.empty();
        }
        ByteReader r = rawData(s.get());
        String file = r.cstring();
        r.skip(Math.min(pad4(r.pos()), r.remaining()));
        return Optional.of(new DebugLink(file, r.s32()));
    }

    /**
     * Where a separate debug file for this file would be, in gdb's order: {@code DEBUGDIR/.build-id/xx/rest.debug},
     * then for {@code .gnu_debuglink} NAME: {@code DIR/NAME}, {@code DIR/.debug/NAME}, {@code DEBUGDIR/DIR/NAME}
     * (DIR being the directory of this file).
     */
    public List<Path> debugFileCandidates(Path debugRoot) {
        List<Path> out = new ArrayList<>();
        buildIdHex().filter(h -> h.length() > 2)
                .ifPresent(h -> out.add(debugRoot.resolve(".build-id").resolve(h.substring(0, 2)).resolve(h.substring(2) + ".debug")));
        Optional<DebugLink> link = debugLink();
        if (link.isPresent() && path != null && !link.get().fileName().isEmpty() && !link.get().fileName().contains("/")) {
            Path dir = path.toAbsolutePath().getParent();
            String n = link.get().fileName();
            if (dir != null) {
                out.add(dir.resolve(n));
                out.add(dir.resolve(".debug").resolve(n));
                out.add(debugRoot.resolve(dir.toString().substring(1)).resolve(n));
            }
        }
        return out;
    }

    /**
     * The separate debug file under {@code /usr/lib/debug}, if one is installed: found by build-id (and its build-id
     * must match) or by {@code .gnu_debuglink} (and its CRC must match).
     */
    public Optional<ElfFile> findDebugFile() {
        Optional<ElfFile> found = debugFile;
        if (found == null) {
            synchronized (this) {
                found = debugFile;
                if (found == null) {
                    found = findDebugFile(Path.of("/usr/lib/debug"));
                    debugFile = found;
                }
            }
        }
        return found;
    }

    public Optional<ElfFile> findDebugFile(Path debugRoot) {
        Optional<String> id = buildIdHex();
        Optional<DebugLink> link = debugLink();
        for (Path p : debugFileCandidates(debugRoot)) {
            if (!Files.isRegularFile(p) || p.equals(path)) {
                continue;
            }
            try {
                ElfFile f = ElfFile.open(p);
                if (id.isPresent() && id.equals(f.buildIdHex())) {
                    return Optional.of(f);
                }
                if (link.isPresent() && p.getFileName().toString().equals(link.get().fileName()) && crc32(p) == link.get().crc()) {
                    return Optional.of(f);
                }
            } catch (SymbolException | IOException e) {
                // not a usable debug file: try the next candidate
            }
        }
        return Optional.empty();
    }

    private static int crc32(Path p) throws IOException {
        CRC32 crc = new CRC32();
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(1 << 16);
            while (ch.read(b.clear()) > 0) {
                crc.update(b.flip());
            }
        }
        return (int) crc.getValue();
    }

    /** The symbols of {@code .symtab} and {@code .dynsym} (indexed on first use). */
    public SymbolTable symbols() {
        SymbolTable t = symbols;
        if (t == null) {
            synchronized (this) {
                t = symbols;
                if (t == null) {
                    t = SymbolTable.read(this);
                    symbols = t;
                }
            }
        }
        return t;
    }

    @Override
    public String toString() {
        return "ElfFile[" + name + "]";
    }
}
