package dev.multitrace.symbols.dwarf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import dev.multitrace.symbols.elf.SymbolException;
import dev.multitrace.symbols.elf.ByteReader;
import dev.multitrace.symbols.elf.ElfFile;

/**
 * All line tables of an ELF file's {@code .debug_line} (DWARF 2 to 5, 32- and 64-bit DWARF; DWARF 5
 * directory/file entry formats with {@code DW_FORM_string}, {@code line_strp}, {@code strp}, data and
 * block forms), executed into rows. Addresses are link-time addresses.
 * <ul>
 * <li>{@link #lookup(long)}: address -> file:line:column (the last row at or below the address in its
 * sequence; of several rows at one address the last, as {@code addr2line} does);</li>
 * <li>{@link #addressesFor(String, int)}: file:line -> the addresses of the is_stmt rows for that line.</li>
 * </ul>
 */
public final class LineTable {

    private static final int F_STMT = 1;
    private static final int F_PROLOGUE_END = 2;
    private static final int F_EPILOGUE_BEGIN = 4;
    private static final int F_END_SEQUENCE = 8;

    private final List<String> paths = new ArrayList<>();
    private final Map<String, Integer> pathIds = new HashMap<>();
    /** .debug_line offset of a unit -> path id per file index (DWARF 2-4 count from 1: index 0 is -1). */
    private final Map<Long, int[]> unitFiles = new HashMap<>();
    /** The units by the last names of the files they name; made by {@link #unitsNaming}. */
    private Map<String, java.util.Set<Long>> unitsByName;
    private long[] addr = new long[256];
    private int[] file = new int[256];
    private int[] line = new int[256];
    private int[] column = new int[256];
    private int[] discriminator = new int[256];
    private byte[] flags = new byte[256];
    private int rows;
    /** per sequence: first row, end_sequence row (inclusive); sorted by start address. */
    private int[][] sequences = new int[0][];
    private final List<int[]> seqList = new ArrayList<>();
    private long[] seqLow = new long[0];

    private LineTable() {
    }

    /** An empty table (no debug info). */
    public static LineTable empty() {
        LineTable t = new LineTable();
        t.finish();
        return t;
    }

    /**
     * Reads {@code .debug_line} of {@code elf} (empty if it has none). DWARF 4 tables give paths relative to the
     * compilation directory for files of directory 0 unless {@code .debug_info} names it (read when present).
     */
    public static LineTable read(ElfFile elf) {
        Optional<ByteReader> data = elf.data(".debug_line");
        if (data.isEmpty()) {
            return empty();
        }
        LineTable t = new LineTable();
        new Parser(elf, t).parse(data.get());
        t.finish();
        return t;
    }

    /**
     * The units' headers of {@code .debug_line} of {@code elf}, without their rows: which files each unit's line
     * program names ({@link #unitsNaming}). A lookup of {@code file:line} then reads the rows of the units that
     * can have that file only: in a large library (libc with its debug file), none for the program's own files.
     */
    public static LineTable headers(ElfFile elf) {
        Optional<ByteReader> data = elf.data(".debug_line");
        if (data.isEmpty()) {
            return empty();
        }
        LineTable t = new LineTable();
        Parser p = new Parser(elf, t);
        p.headersOnly = true;
        p.parse(data.get());
        t.finish();
        return t;
    }

    /**
     * The offsets of the units whose file table names {@code path} as {@link #rowsFor} matches it (the same path,
     * or one ending in {@code /path}). Built from the files' last names on first use.
     */
    public synchronized List<Long> unitsNaming(String path) {
        if (unitsByName == null) {
            unitsByName = new HashMap<>();
            for (Map.Entry<Long, int[]> u : unitFiles.entrySet()) {
                for (int id : u.getValue()) {
                    if (id >= 0) {
                        unitsByName.computeIfAbsent(lastName(paths.get(id)), k -> new java.util.LinkedHashSet<>()).add(u.getKey());
                    }
                }
            }
        }
        List<Long> out = new ArrayList<>();
        for (long unit : unitsByName.getOrDefault(lastName(path), java.util.Set.of())) {
            for (int id : unitFiles.get(unit)) {
                if (id >= 0 && (paths.get(id).equals(path) || paths.get(id).endsWith("/" + path))) {
                    out.add(unit);
                    break;
                }
            }
        }
        return out;
    }

    /** Whether the table has a unit (a header-only table has no rows, but units when there is line information). */
    public boolean hasUnits() {
        return !unitFiles.isEmpty();
    }

    private static String lastName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /**
     * The line program of one unit only, the one at {@code offset} in {@code .debug_line} of {@code elf} (a
     * unit's {@code DW_AT_stmt_list}): a lookup in a large library then reads the rows of the unit at the
     * address, not the whole section.
     */
    public static LineTable readUnit(ElfFile elf, long offset) {
        Optional<ByteReader> data = elf.data(".debug_line");
        if (data.isEmpty()) {
            return empty();
        }
        LineTable t = new LineTable();
        new Parser(elf, t).parseOne(data.get(), offset);
        t.finish();
        return t;
    }

    private int pathId(String path) {
        return pathIds.computeIfAbsent(path, p -> {
            paths.add(p);
            return paths.size() - 1;
        });
    }

    private void add(long address, int fileId, int ln, int col, int disc, int fl) {
        if (rows == addr.length) {
            int n = rows * 2;
            addr = Arrays.copyOf(addr, n);
            file = Arrays.copyOf(file, n);
            line = Arrays.copyOf(line, n);
            column = Arrays.copyOf(column, n);
            discriminator = Arrays.copyOf(discriminator, n);
            flags = Arrays.copyOf(flags, n);
        }
        addr[rows] = address;
        file[rows] = fileId;
        line[rows] = ln;
        column[rows] = col;
        discriminator[rows] = disc;
        flags[rows] = (byte) fl;
        rows++;
    }

    private void finish() {
        seqList.sort((a, b) -> Long.compareUnsigned(addr[a[0]], addr[b[0]]));
        sequences = seqList.toArray(int[][]::new);
        seqList.clear();
        seqLow = new long[sequences.length];
        for (int i = 0; i < sequences.length; i++) {
            seqLow[i] = addr[sequences[i][0]];
        }
    }

    /** The number of rows (end_sequence rows included). */
    public int size() {
        return rows;
    }

    public LineRow row(int i) {
        if (i < 0 || i >= rows) {
            throw new IndexOutOfBoundsException(i);
        }
        int f = flags[i];
        return new LineRow(addr[i], file[i] < 0 ? "??" : paths.get(file[i]), line[i], column[i], (f & F_STMT) != 0,
                (f & F_PROLOGUE_END) != 0, (f & F_EPILOGUE_BEGIN) != 0, (f & F_END_SEQUENCE) != 0, discriminator[i]);
    }

    /** All rows, in the order the line programs produced them. */
    public List<LineRow> rows() {
        List<LineRow> out = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            out.add(row(i));
        }
        return out;
    }

    /** Every file path named by the tables. */
    public List<String> files() {
        return Collections.unmodifiableList(paths);
    }

    /**
     * The path of file {@code index} in the file list of the line table unit at {@code .debug_line} offset
     * {@code unitOffset} (what a DIE's {@code DW_AT_call_file} or {@code DW_AT_decl_file} means).
     */
    public Optional<String> fileOf(long unitOffset, long index) {
        int[] ids = unitFiles.get(unitOffset);
        if (ids == null || index < 0 || index >= ids.length || ids[(int) index] < 0) {
            return Optional.empty();
        }
        return Optional.of(paths.get(ids[(int) index]));
    }

    /**
     * The last row at or before {@code address} (link-time) in the sequence that covers it, and that sequence's first
     * row: {@code {row, first}}; null if no sequence covers it.
     */
    private int[] covering(long address) {
        int s = upper(seqLow, seqLow.length, address) - 1;
        for (int k = s; k >= 0 && k > s - 32; k--) {
            int first = sequences[k][0];
            int end = sequences[k][1];
            if (Long.compareUnsigned(address, addr[end]) < 0) {
                int i = first + upper(addr, first, end, address) - 1;
                if (i >= first) {
                    return new int[] { i, first };
                }
            }
        }
        return null;
    }

    /**
     * The row giving the source position of {@code address} (link-time), if any sequence covers it: the last row at or
     * before it; of several rows at one address, the last that is a statement, as gdb takes it.
     */
    public Optional<LineRow> lookup(long address) {
        int[] at = covering(address);
        if (at == null) {
            return Optional.empty();
        }
        int i = at[0];
        // Several rows at one address (optimized code's location views): gdb takes the last that is a statement, else the last.
        for (int j = i; j >= at[1] && addr[j] == addr[i]; j--) {
            if ((flags[j] & F_STMT) != 0) {
                return Optional.of(row(j));
            }
        }
        return Optional.of(row(i));
    }

    /**
     * Whether rows of different lines start at {@code address} (link-time): optimized code's location views, which
     * at a function's entry tell gdb that the function has no prologue to skip.
     */
    public boolean severalLinesAt(long address) {
        int[] at = covering(address);
        if (at == null || addr[at[0]] != address) {
            return false;
        }
        int i = at[0];
        for (int j = i - 1; j >= at[1] && addr[j] == address; j--) {
            if (line[j] != 0 && line[i] != 0 && line[j] != line[i]) {
                return true;
            }
        }
        return false;
    }

    /** The first row of the same sequence after the row covering {@code address}: where the next line-table entry starts. */
    public Optional<LineRow> rowAfter(long address) {
        int s = upper(seqLow, seqLow.length, address) - 1;
        for (int k = s; k >= 0 && k > s - 32; k--) {
            int first = sequences[k][0];
            int end = sequences[k][1];
            if (Long.compareUnsigned(address, addr[end]) < 0) {
                int i = first + upper(addr, first, end, address);
                return i <= end ? Optional.of(row(i)) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * The rows for {@code line} of the file {@code path} ({@code path} may be absolute, or a trailing part of the
     * path such as {@code "dir/x.c"} or {@code "x.c"}).
     */
    public List<LineRow> rowsFor(String path, int ln) {
        boolean[] match = matchingFiles(path);
        List<LineRow> out = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            if (line[i] == ln && file[i] >= 0 && match[file[i]] && (flags[i] & F_END_SEQUENCE) == 0) {
                out.add(row(i));
            }
        }
        return out;
    }

    /** The distinct addresses (ascending) of the is_stmt rows for {@code line} of file {@code path}. */
    public long[] addressesFor(String path, int ln) {
        TreeSet<Long> out = new TreeSet<>(Long::compareUnsigned);
        for (LineRow r : rowsFor(path, ln)) {
            if (r.isStmt()) {
                out.add(r.address());
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    private boolean[] matchingFiles(String path) {
        boolean[] match = new boolean[paths.size()];
        for (int i = 0; i < match.length; i++) {
            String p = paths.get(i);
            match[i] = p.equals(path) || p.endsWith("/" + path);
        }
        return match;
    }

    private static int upper(long[] a, int n, long key) {
        return upper(a, 0, n, key);
    }

    /** Index (relative to from) of the first element in a[from, to) greater than key. */
    private static int upper(long[] a, int from, int to, long key) {
        int lo = from;
        int hi = to;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(a[mid], key) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo - from;
    }

    @Override
    public String toString() {
        return "LineTable[" + rows + " rows, " + sequences.length + " sequences, " + paths.size() + " files]";
    }

    /** Executes the line number programs of one .debug_line section into a table. */
    private static final class Parser {

        private final ElfFile elf;
        private final LineTable t;
        private Map<Long, String> compDirs;
        private ByteReader lineStr;
        private ByteReader str;
        /** Each unit's header (its files) only, not its line program. */
        boolean headersOnly;

        Parser(ElfFile elf, LineTable t) {
            this.elf = elf;
            this.t = t;
        }

        /** Read only when a DWARF 2-4 table needs it (DWARF 5 tables name their compilation directory). */
        private String compDir(long unitOffset) {
            if (compDirs == null) {
                compDirs = CompUnits.compDirsByStmtList(elf);
            }
            return compDirs.get(unitOffset);
        }

        /** The one unit at {@code offset} of the section. */
        void parseOne(ByteReader section, long offset) {
            if (offset < 0 || offset >= section.pos() + section.remaining()) {
                throw section.error("no line program at 0x" + Long.toHexString(offset));
            }
            section.seek(offset);
            int start = section.pos();
            UnitLength length = UnitLength.read(section, "unit");
            ByteReader unit = section.slice(section.pos(), length.length(), section.section() + " (unit at 0x" + Integer.toHexString(start) + ")");
            unit(unit, length.dwarf64(), start);
        }

        void parse(ByteReader section) {
            while (section.remaining() > 0) {
                int start = section.pos();
                UnitLength length = UnitLength.read(section, "unit");
                ByteReader unit = section.slice(section.pos(), length.length(), section.section() + " (unit at 0x" + Integer.toHexString(start) + ")");
                section.skip(length.length());
                unit(unit, length.dwarf64(), start);
            }
        }

        private void unit(ByteReader u, boolean dwarf64, long unitOffset) {
            int version = u.u16();
            if (version < 2 || version > 5) {
                throw u.error("unsupported line table version " + version);
            }
            int addressSize = 8;
            if (version >= 5) {
                addressSize = u.u8();
                u.u8(); // segment selector size
            }
            long headerLength = dwarf64 ? u.u64() : u.u32();
            if (headerLength < 0 || headerLength > u.remaining()) {
                throw u.error("header length 0x" + Long.toHexString(headerLength) + " past the end of the unit");
            }
            long programStart = u.pos() + headerLength;
            int minInst = u.u8();
            int maxOps = version >= 4 ? u.u8() : 1;
            boolean defaultIsStmt = u.u8() != 0;
            int lineBase = u.s8();
            int lineRange = u.u8();
            int opcodeBase = u.u8();
            if (lineRange == 0) {
                throw u.error("line_range is 0");
            }
            if (maxOps == 0) {
                throw u.error("maximum_operations_per_instruction is 0");
            }
            int[] stdLengths = new int[Math.max(opcodeBase, 1)];
            for (int i = 1; i < opcodeBase; i++) {
                stdLengths[i] = u.u8();
            }
            List<String> fileIds = new ArrayList<>();
            int[] fileMap;
            if (version >= 5) {
                List<Map<Integer, Object>> dirs = entries(u, dwarf64, "directory");
                List<Map<Integer, Object>> files = entries(u, dwarf64, "file name");
                String compDir = dirs.isEmpty() ? "" : string(dirs.get(0).get(1));
                fileMap = new int[files.size()];
                for (int i = 0; i < files.size(); i++) {
                    Map<Integer, Object> f = files.get(i);
                    String name = string(f.get(1));
                    long d = f.get(2) instanceof Long l ? l : 0;
                    String dir = d >= 0 && d < dirs.size() ? string(dirs.get((int) d).get(1)) : "";
                    fileMap[i] = t.pathId(join(compDir, dir, name));
                }
            } else {
                String compDir = compDir(unitOffset);
                List<String> dirs = new ArrayList<>();
                for (String d = u.cstring(); !d.isEmpty(); d = u.cstring()) {
                    dirs.add(d);
                }
                List<Integer> ids = new ArrayList<>();
                for (String name = u.cstring(); !name.isEmpty(); name = u.cstring()) {
                    long d = u.uleb128();
                    u.uleb128();
                    u.uleb128();
                    ids.add(t.pathId(join4(compDir, dirs, d, name)));
                }
                fileMap = ids.stream().mapToInt(Integer::intValue).toArray();
            }
            int[] byIndex = fileMap;
            if (version < 5) {
                byIndex = new int[fileMap.length + 1];
                byIndex[0] = -1;
                System.arraycopy(fileMap, 0, byIndex, 1, fileMap.length);
            }
            t.unitFiles.put(unitOffset, byIndex);
            if (headersOnly) {
                return;
            }
            u.seek(programStart);
            run(u, version, addressSize, minInst, maxOps, defaultIsStmt, lineBase, lineRange, opcodeBase, stdLengths, fileMap, version >= 5 ? null : compDir(unitOffset));
        }

        private static String join(String compDir, String dir, String name) {
            if (name.startsWith("/")) {
                return lexical(name);
            }
            String d = dir;
            if (!d.startsWith("/") && !compDir.isEmpty()) {
                d = d.isEmpty() ? compDir : compDir + "/" + d;
            }
            return lexical(d.isEmpty() ? name : d + "/" + name);
        }

        /**
         * An absolute path without its "." and ".." parts: a build that compiles {@code ../src/x.c} from
         * {@code /p/Debug} (CDT's managed build) names {@code /p/Debug/../src/x.c}, and an IDE's breakpoint on
         * {@code /p/src/x.c} must find it. Lexical, as gdb's own path rewriting: no symbolic link is resolved.
         */
        private static String lexical(String path) {
            return path.startsWith("/") && (path.contains("/./") || path.contains("/../"))
                    ? java.nio.file.Path.of(path).normalize().toString()
                    : path;
        }

        private static String join4(String compDir, List<String> dirs, long d, String name) {
            String dir = d >= 1 && d <= dirs.size() ? dirs.get((int) d - 1) : "";
            return join(compDir == null ? "" : compDir, dir, name);
        }

        private static String string(Object o) {
            return o instanceof String s ? s : "";
        }

        /** DWARF 5 directory or file name entries: a format description, then the entries. */
        private List<Map<Integer, Object>> entries(ByteReader u, boolean dwarf64, String what) {
            int formatCount = u.u8();
            int[] types = new int[formatCount];
            int[] forms = new int[formatCount];
            for (int i = 0; i < formatCount; i++) {
                types[i] = u.ulebInt(what + " entry content type");
                forms[i] = u.ulebInt(what + " entry form");
            }
            long count = u.uleb128();
            if (count < 0 || count > u.remaining() || (formatCount == 0 && count > 0)) {
                throw u.error(what + " count " + Long.toUnsignedString(count) + " does not fit in the unit");
            }
            List<Map<Integer, Object>> out = new ArrayList<>();
            for (long e = 0; e < count; e++) {
                Map<Integer, Object> entry = new HashMap<>();
                for (int i = 0; i < formatCount; i++) {
                    entry.put(types[i], form(u, forms[i], dwarf64));
                }
                out.add(entry);
            }
            return out;
        }

        private Object form(ByteReader u, int form, boolean dwarf64) {
            return switch (form) {
                case 0x08 -> u.cstring(); // DW_FORM_string
                case 0x1f -> lineStr().cstringAt(dwarf64 ? u.u64() : u.u32()); // DW_FORM_line_strp
                case 0x0e -> str().cstringAt(dwarf64 ? u.u64() : u.u32()); // DW_FORM_strp
                case 0x0f -> u.uleb128(); // DW_FORM_udata
                case 0x0d -> u.sleb128(); // DW_FORM_sdata
                case 0x0b -> (long) u.u8(); // DW_FORM_data1
                case 0x05 -> (long) u.u16(); // DW_FORM_data2
                case 0x06 -> u.u32(); // DW_FORM_data4
                case 0x07 -> u.u64(); // DW_FORM_data8
                case 0x1e -> u.bytes(16); // DW_FORM_data16 (MD5)
                case 0x09 -> u.bytes(u.uleb128()); // DW_FORM_block
                case 0x0a -> u.bytes(u.u8()); // DW_FORM_block1
                case 0x03 -> u.bytes(u.u16()); // DW_FORM_block2
                case 0x04 -> u.bytes(u.u32()); // DW_FORM_block4
                default -> throw u.error("unsupported form 0x" + Integer.toHexString(form) + " in a file or directory entry");
            };
        }

        private ByteReader lineStr() {
            if (lineStr == null) {
                lineStr = elf.data(".debug_line_str")
                        .orElseThrow(() -> new SymbolException(elf.name(), ".debug_line_str", "section missing (needed by .debug_line)"));
            }
            return lineStr;
        }

        private ByteReader str() {
            if (str == null) {
                str = elf.data(".debug_str").orElseThrow(() -> new SymbolException(elf.name(), ".debug_str", "section missing (needed by .debug_line)"));
            }
            return str;
        }

        private void run(ByteReader u, int version, int addressSize, int minInst, int maxOps, boolean defaultIsStmt, int lineBase, int lineRange,
                int opcodeBase, int[] stdLengths, int[] fileMap, String compDir) {
            long address = 0;
            long opIndex = 0;
            int fileNo = 1;
            long ln = 1;
            long col = 0;
            boolean isStmt = defaultIsStmt;
            boolean prologueEnd = false;
            boolean epilogueBegin = false;
            long disc = 0;
            int seqStart = t.rows;
            int fileBias = version >= 5 ? 0 : 1;
            while (u.remaining() > 0) {
                int op = u.u8();
                boolean emit = false;
                boolean endSeq = false;
                if (op >= opcodeBase) {
                    int adj = op - opcodeBase;
                    long adv = adj / lineRange;
                    address += minInst * ((opIndex + adv) / maxOps);
                    opIndex = (opIndex + adv) % maxOps;
                    ln += lineBase + adj % lineRange;
                    emit = true;
                } else if (op == 0) {
                    long len = u.uleb128();
                    if (len == 0 || len > u.remaining()) {
                        throw u.error("extended opcode length " + Long.toUnsignedString(len) + " at offset 0x" + Integer.toHexString(u.pos()));
                    }
                    int end = (int) (u.pos() + len);
                    int sub = u.u8();
                    switch (sub) {
                        case 1 -> { // DW_LNE_end_sequence
                            emit = true;
                            endSeq = true;
                        }
                        case 2 -> { // DW_LNE_set_address
                            int n = (int) len - 1;
                            address = n == 8 || n == 4 || n == 2 || n == 1 ? u.unsigned(n) : u.unsigned(addressSize);
                            opIndex = 0;
                        }
                        case 3 -> { // DW_LNE_define_file (DWARF <= 4)
                            String name = u.cstring();
                            u.uleb128();
                            u.uleb128();
                            u.uleb128();
                            fileMap = Arrays.copyOf(fileMap, fileMap.length + 1);
                            fileMap[fileMap.length - 1] = t.pathId(join(compDir == null ? "" : compDir, "", name));
                        }
                        case 4 -> disc = u.uleb128(); // DW_LNE_set_discriminator
                        default -> {
                            // unknown extended opcode: skipped by its length
                        }
                    }
                    u.seek(end);
                } else {
                    switch (op) {
                        case 1 -> emit = true; // DW_LNS_copy
                        case 2 -> { // DW_LNS_advance_pc
                            long adv = u.uleb128();
                            address += minInst * ((opIndex + adv) / maxOps);
                            opIndex = (opIndex + adv) % maxOps;
                        }
                        case 3 -> ln += u.sleb128(); // DW_LNS_advance_line
                        case 4 -> fileNo = (int) Math.min(u.uleb128(), Integer.MAX_VALUE); // DW_LNS_set_file
                        case 5 -> col = u.uleb128(); // DW_LNS_set_column
                        case 6 -> isStmt = !isStmt; // DW_LNS_negate_stmt
                        case 7 -> { // DW_LNS_set_basic_block
                        }
                        case 8 -> { // DW_LNS_const_add_pc
                            long adv = (255 - opcodeBase) / lineRange;
                            address += minInst * ((opIndex + adv) / maxOps);
                            opIndex = (opIndex + adv) % maxOps;
                        }
                        case 9 -> { // DW_LNS_fixed_advance_pc
                            address += u.u16();
                            opIndex = 0;
                        }
                        case 10 -> prologueEnd = true; // DW_LNS_set_prologue_end
                        case 11 -> epilogueBegin = true; // DW_LNS_set_epilogue_begin
                        case 12 -> u.uleb128(); // DW_LNS_set_isa
                        default -> {
                            for (int i = 0; i < stdLengths[op]; i++) {
                                u.uleb128();
                            }
                        }
                    }
                }
                if (emit) {
                    int idx = fileNo - fileBias;
                    int fileId = idx >= 0 && idx < fileMap.length ? fileMap[idx] : -1;
                    int fl = (isStmt ? F_STMT : 0) | (prologueEnd ? F_PROLOGUE_END : 0) | (epilogueBegin ? F_EPILOGUE_BEGIN : 0)
                            | (endSeq ? F_END_SEQUENCE : 0);
                    t.add(address, fileId, (int) ln, (int) col, (int) disc, fl);
                    disc = 0;
                    prologueEnd = false;
                    epilogueBegin = false;
                    if (endSeq) {
                        if (t.rows - 1 > seqStart) {
                            t.seqList.add(new int[] {seqStart, t.rows - 1});
                        }
                        seqStart = t.rows;
                        address = 0;
                        opIndex = 0;
                        fileNo = 1;
                        ln = 1;
                        col = 0;
                        isStmt = defaultIsStmt;
                    }
                }
            }
        }
    }
}
