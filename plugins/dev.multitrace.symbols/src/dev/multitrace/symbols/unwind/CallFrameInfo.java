package dev.multitrace.symbols.unwind;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

import dev.multitrace.symbols.Registers;
import dev.multitrace.symbols.SymbolException;
import dev.multitrace.symbols.dwarf.UnitLength;
import dev.multitrace.symbols.elf.ByteReader;
import dev.multitrace.symbols.elf.ElfFile;
import dev.multitrace.symbols.elf.ElfSection;

/**
 * The call frame information of one ELF file: {@code .eh_frame} (GCC's format: CIE id 0, relative CIE
 * pointers, {@code z} augmentations with {@code R} FDE pointer encoding, {@code P} personality, {@code L}
 * LSDA, {@code S} signal frame) and {@code .debug_frame} (DWARF's: CIE id -1, versions 1, 3 and 4), from the
 * file itself or, for {@code .debug_frame}, its separate debug file. Pointer encodings: absptr,
 * (s|u)data2/4/8, (s|u)leb128, pcrel, textrel, datarel, funcrel, aligned, indirect.
 * <p>
 * Indexed lazily: the FDE headers of a section are scanned into a sorted table on the first lookup that
 * needs it; the rules of a pc are computed per lookup. One instance per build-id ({@link #of(ElfFile)}).
 * Thread-safe. Malformed CFI gives a {@link SymbolException} naming the file and section.
 */
public final class CallFrameInfo {

    private static final Map<String, CallFrameInfo> BY_BUILD_ID = new ConcurrentHashMap<>();
    private static final Map<ElfFile, CallFrameInfo> WITHOUT_BUILD_ID = new WeakHashMap<>();
    private static final int MAX_STATE_STACK = 64;

    private final ElfFile elf;
    private volatile List<Section> sections;

    private CallFrameInfo(ElfFile elf) {
        this.elf = elf;
    }

    /**
     * The CFI of {@code elf}, shared between all files on disk with its build-id (the same library mapped by
     * many processes, or opened again after a change of path). In-memory images are cached per instance
     * only: they may be edited copies that keep the original's build-id.
     */
    public static CallFrameInfo of(ElfFile elf) {
        Optional<String> id = elf.path() == null ? Optional.empty() : elf.buildIdHex();
        if (id.isPresent()) {
            return BY_BUILD_ID.computeIfAbsent(id.get(), k -> new CallFrameInfo(elf));
        }
        synchronized (WITHOUT_BUILD_ID) {
            return WITHOUT_BUILD_ID.computeIfAbsent(elf, CallFrameInfo::new);
        }
    }

    /** A fresh, uncached instance (tests, fuzzing). */
    public static CallFrameInfo uncached(ElfFile elf) {
        return new CallFrameInfo(elf);
    }

    /**
     * The rules in force at link-time address {@code pc}, from the first section whose FDEs cover it
     * ({@code .eh_frame}, then {@code .debug_frame}, then the debug file's {@code .debug_frame}).
     */
    public Optional<UnwindRow> rowAt(long pc) {
        for (Section s : sections()) {
            Fde fde = s.find(pc);
            if (fde != null) {
                return Optional.of(s.execute(fde, pc));
            }
        }
        return Optional.empty();
    }

    /** All FDEs as [start, end) link-time ranges, per section, for tests and tools. */
    public List<long[]> ranges() {
        List<long[]> out = new ArrayList<>();
        for (Section s : sections()) {
            s.index();
            for (int i = 0; i < s.starts.length; i++) {
                out.add(new long[] {s.starts[i], s.ends[i]});
            }
        }
        return out;
    }

    private List<Section> sections() {
        List<Section> s = sections;
        if (s == null) {
            synchronized (this) {
                s = sections;
                if (s == null) {
                    s = new ArrayList<>();
                    addSection(s, elf, ".eh_frame", true);
                    addSection(s, elf, ".debug_frame", false);
                    if (elf.section(".debug_frame").isEmpty()) {
                        Optional<ElfFile> debug = elf.path() == null ? Optional.empty() : elf.findDebugFile();
                        if (debug.isPresent()) {
                            addSection(s, debug.get(), ".debug_frame", false);
                        }
                    }
                    sections = s;
                }
            }
        }
        return s;
    }

    private static void addSection(List<Section> out, ElfFile file, String name, boolean eh) {
        Optional<ElfSection> sec = file.section(name);
        if (sec.isPresent() && sec.get().hasFileData() && sec.get().size() > 0) {
            out.add(new Section(file, sec.get(), eh));
        }
    }

    /** A Common Information Entry. */
    private record Cie(int version, String augmentation, long codeAlign, long dataAlign, int returnAddress, int addressSize, int fdeEncoding,
            int lsdaEncoding, boolean hasAugmentationData, boolean signalFrame, int instructionsStart, int instructionsEnd) {
    }

    /** A Frame Description Entry: its range and where its instructions are. */
    private record Fde(Cie cie, long start, long end, int instructionsStart, int instructionsEnd) {
    }

    /** One CFI section and its lazily built index. */
    private static final class Section {
        final ElfFile file;
        final ElfSection header;
        final boolean eh;
        final ByteReader data;
        /** CIEs by offset, parsed on first use by any thread (empty: an augmentation we cannot read past). */
        final Map<Integer, Optional<Cie>> cies = new ConcurrentHashMap<>();
        long[] starts;
        long[] ends;
        int[] offsets;

        Section(ElfFile file, ElfSection header, boolean eh) {
            this.file = file;
            this.header = header;
            this.eh = eh;
            this.data = file.data(header);
        }

        synchronized void index() {
            if (starts != null) {
                return;
            }
            List<long[]> entries = new ArrayList<>();
            ByteReader r = data.slice(0, data.size());
            while (r.remaining() >= 4) {
                int at = r.pos();
                UnitLength unitLength = UnitLength.read(r, "entry");
                long length = unitLength.length();
                boolean dwarf64 = unitLength.dwarf64();
                if (length == 0 && !dwarf64) {
                    if (eh) {
                        break; // the terminator gcc puts at the end of .eh_frame
                    }
                    continue;
                }
                int idPos = r.pos();
                int end = (int) (idPos + length);
                long id = dwarf64 ? r.u64() : r.u32();
                if (!isCie(id, dwarf64)) {
                    long cieOffset = eh ? idPos - id : id;
                    Cie cie = cie(cieOffset, at);
                    if (cie != null) {
                        long[] range = readFdeRange(r, cie, end);
                        if (range[1] != range[0]) {
                            entries.add(new long[] {range[0], range[1], at});
                        }
                    }
                }
                r.seek(end);
            }
            entries.sort((a, b) -> Long.compareUnsigned(a[0], b[0]));
            long[] s = new long[entries.size()];
            long[] e = new long[entries.size()];
            int[] o = new int[entries.size()];
            for (int i = 0; i < s.length; i++) {
                s[i] = entries.get(i)[0];
                e[i] = entries.get(i)[1];
                o[i] = (int) entries.get(i)[2];
            }
            ends = e;
            offsets = o;
            starts = s;
        }

        private boolean isCie(long id, boolean dwarf64) {
            if (eh) {
                return id == 0;
            }
            return dwarf64 ? id == -1L : id == 0xffffffffL;
        }

        /** The CIE at {@code offset}, or null if its augmentation is one we cannot read past. */
        Cie cie(long offset, int fdeAt) {
            if (offset < 0 || offset >= data.size()) {
                throw data.error("FDE at offset 0x" + Integer.toHexString(fdeAt) + " points to a CIE at 0x" + Long.toHexString(offset) + ", outside the section");
            }
            Optional<Cie> cie = cies.get((int) offset);
            if (cie == null) {
                // parsed outside the map's lock: two threads may both parse it, with the same result
                cie = Optional.ofNullable(parseCie((int) offset));
                cies.putIfAbsent((int) offset, cie);
            }
            return cie.orElse(null);
        }

        private Cie parseCie(int offset) {
            ByteReader r = data.slice(0, data.size()).seek(offset);
            UnitLength unitLength = UnitLength.read(r, "CIE");
            long length = unitLength.length();
            boolean dwarf64 = unitLength.dwarf64();
            int idPos = r.pos();
            int end = (int) (idPos + length);
            long id = dwarf64 ? r.u64() : r.u32();
            if (!isCie(id, dwarf64)) {
                throw r.error("FDE's CIE pointer leads to offset 0x" + Integer.toHexString(offset) + ", which is not a CIE");
            }
            ByteReader c = r.slice(0, end).seek(r.pos());
            int version = c.u8();
            if (version != 1 && version != 3 && version != 4) {
                throw c.error("CIE at offset 0x" + Integer.toHexString(offset) + " has unsupported version " + version);
            }
            String aug = c.cstring();
            int addressSize = 8;
            if (version >= 4) {
                addressSize = c.u8();
                int segmentSize = c.u8();
                if (addressSize != 4 && addressSize != 8 || segmentSize != 0) {
                    throw c.error("CIE at offset 0x" + Integer.toHexString(offset) + ": address size " + addressSize + ", segment size " + segmentSize);
                }
            }
            long codeAlign = c.uleb128();
            long dataAlign = c.sleb128();
            int ra = version == 1 ? c.u8() : c.ulebInt("return address register");
            int fdeEnc = eh ? 0 : -1;
            int lsdaEnc = 0xff;
            boolean signal = false;
            boolean z = aug.startsWith("z");
            if (z) {
                long augLen = c.uleb128();
                if (augLen < 0 || augLen > c.remaining()) {
                    throw c.error("CIE at offset 0x" + Integer.toHexString(offset) + ": augmentation data length " + augLen + " past its end");
                }
                int augEnd = c.pos() + (int) augLen;
                for (int i = 1; i < aug.length(); i++) {
                    switch (aug.charAt(i)) {
                        case 'R' -> fdeEnc = c.u8();
                        case 'L' -> lsdaEnc = c.u8();
                        case 'P' -> readEncoded(c, c.u8(), 0);
                        case 'S' -> signal = true;
                        case 'B', 'G' -> {
                            // AArch64 pointer authentication / memory tagging: no data
                        }
                        default -> i = aug.length(); // unknown: the augmentation length lets us skip its data
                    }
                }
                c.seek(augEnd);
            } else if (!aug.isEmpty()) {
                return null; // e.g. the pre-z "eh" augmentation: FDEs of this CIE cannot be parsed safely
            }
            if (fdeEnc == -1) {
                fdeEnc = addressSize == 4 ? 0x03 : 0x00;
            }
            return new Cie(version, aug, codeAlign, dataAlign, ra, addressSize, fdeEnc, lsdaEnc, z, signal, c.pos(), end);
        }

        /** Reads an FDE's initial location and range at the reader's position (just after the CIE pointer). */
        private long[] readFdeRange(ByteReader r, Cie cie, int end) {
            ByteReader f = r.slice(0, end).seek(r.pos());
            long start = readEncoded(f, cie.fdeEncoding, 0);
            long range = readEncoded(f, cie.fdeEncoding & 0x0f, 0);
            return new long[] {start, start + range};
        }

        Fde fde(int offset) {
            ByteReader r = data.slice(0, data.size()).seek(offset);
            UnitLength unitLength = UnitLength.read(r, "FDE");
            long length = unitLength.length();
            boolean dwarf64 = unitLength.dwarf64();
            int idPos = r.pos();
            int end = (int) (idPos + length);
            long id = dwarf64 ? r.u64() : r.u32();
            Cie cie = cie(eh ? idPos - id : id, offset);
            ByteReader f = r.slice(0, end).seek(r.pos());
            long start = readEncoded(f, cie.fdeEncoding, 0);
            long range = readEncoded(f, cie.fdeEncoding & 0x0f, 0);
            if (cie.hasAugmentationData) {
                long augLen = f.uleb128();
                f.skip(augLen);
            }
            return new Fde(cie, start, start + range, f.pos(), end);
        }

        /** The FDE covering link-time {@code pc}, or null. */
        Fde find(long pc) {
            index();
            int lo = 0;
            int hi = starts.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (Long.compareUnsigned(starts[mid], pc) <= 0) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            // FDEs do not overlap in practice; check a few below in case a large one encloses a small one
            for (int i = lo - 1; i >= 0 && i >= lo - 4; i--) {
                if (Long.compareUnsigned(pc, starts[i]) >= 0 && Long.compareUnsigned(pc, ends[i]) < 0) {
                    return fde(offsets[i]);
                }
            }
            return null;
        }

        /**
         * Reads a pointer in DW_EH_PE encoding {@code enc}. pcrel is relative to the link-time address of the
         * value itself (sh_addr of the section plus its offset), datarel to {@code .got}, textrel to {@code .text},
         * funcrel to {@code funcBase}; indirect reads the final pointer from the file's own data.
         */
        long readEncoded(ByteReader r, int enc, long funcBase) {
            return readEncoded(r, enc, funcBase, 0);
        }

        /** As above, for a reader whose position 0 is at {@code sliceBase} in the section. */
        long readEncoded(ByteReader r, int enc, long funcBase, int sliceBase) {
            if (enc == 0xff) {
                return 0; // DW_EH_PE_omit
            }
            int at = r.pos();
            long base = switch (enc & 0x70) {
                case 0x00 -> 0;
                case 0x10 -> header.addr() + sliceBase + at;
                case 0x20 -> file.section(".text").map(ElfSection::addr).orElse(0L);
                case 0x30 -> file.section(".got").map(ElfSection::addr).orElse(0L);
                case 0x40 -> funcBase;
                case 0x50 -> {
                    int aligned = ((sliceBase + at + 7) & ~7) - sliceBase;
                    r.seek(aligned);
                    yield 0;
                }
                default -> throw r.error("unsupported pointer encoding 0x" + Integer.toHexString(enc) + " at offset 0x" + Integer.toHexString(at));
            };
            long v = switch (enc & 0x0f) {
                case 0x00 -> r.u64();
                case 0x01 -> r.uleb128();
                case 0x02 -> r.u16();
                case 0x03 -> r.u32();
                case 0x04 -> r.u64();
                case 0x09 -> r.sleb128();
                case 0x0a -> (short) r.u16();
                case 0x0b -> r.s32();
                case 0x0c -> r.u64();
                default -> throw r.error("unsupported pointer encoding 0x" + Integer.toHexString(enc) + " at offset 0x" + Integer.toHexString(at));
            };
            long value = base + v;
            if ((enc & 0x80) != 0) {
                value = readFileWord(r, value);
            }
            return value;
        }

        /** The 64-bit word at link-time address {@code address} in the file's sections (for DW_EH_PE_indirect). */
        private long readFileWord(ByteReader r, long address) {
            for (ElfSection s : file.sections()) {
                if ((s.flags() & ElfSection.SHF_ALLOC) != 0 && s.hasFileData() && Long.compareUnsigned(address - s.addr(), s.size()) < 0
                        && s.size() - (address - s.addr()) >= 8) {
                    return file.rawData(s).seek(address - s.addr()).u64();
                }
            }
            return 0; // e.g. a personality pointer in .bss, filled at run time: not needed for unwinding
        }

        /** Runs the CIE's and the FDE's instructions up to {@code pc}. */
        UnwindRow execute(Fde fde, long pc) {
            Cie cie = fde.cie;
            State state = new State();
            ByteReader initial = data.slice(cie.instructionsStart, cie.instructionsEnd - cie.instructionsStart);
            run(initial, cie, state, null, fde.start, Long.MAX_VALUE, fde);
            UnwindRow.Rule[] afterCie = state.rules.clone();
            ByteReader instr = data.slice(fde.instructionsStart, fde.instructionsEnd - fde.instructionsStart);
            run(instr, cie, state, afterCie, fde.start, pc, fde);
            return new UnwindRow(state.cfaRegister, state.cfaOffset, state.cfaExpression, state.rules, cie.returnAddress, cie.signalFrame, fde.start);
        }

        private static final class State {
            int cfaRegister = -1;
            long cfaOffset;
            ByteReader cfaExpression;
            UnwindRow.Rule[] rules = new UnwindRow.Rule[Registers.COUNT];

            State copy() {
                State s = new State();
                s.cfaRegister = cfaRegister;
                s.cfaOffset = cfaOffset;
                s.cfaExpression = cfaExpression;
                s.rules = rules.clone();
                return s;
            }

            void restoreFrom(State s) {
                cfaRegister = s.cfaRegister;
                cfaOffset = s.cfaOffset;
                cfaExpression = s.cfaExpression;
                rules = s.rules.clone();
            }

            void set(int reg, UnwindRow.Rule rule) {
                if (reg >= 0 && reg < rules.length) {
                    rules[reg] = rule; // other columns (vector registers) do not take part in unwinding
                }
            }
        }

        /**
         * Executes {@code in} from location {@code start}; stops before the first advance past {@code pc}.
         * {@code initialRules} is the state after the CIE (for DW_CFA_restore), null while running the CIE.
         */
        private void run(ByteReader in, Cie cie, State state, UnwindRow.Rule[] initialRules, long start, long pc, Fde fde) {
            long loc = start;
            List<State> stack = new ArrayList<>();
            while (in.hasRemaining()) {
                int op = in.u8();
                int high = op & 0xc0;
                int low = op & 0x3f;
                long next = loc;
                if (high == 0x40) { // advance_loc
                    next = loc + low * cie.codeAlign;
                } else if (high == 0x80) { // offset
                    state.set(low, new UnwindRow.Rule(UnwindRow.Kind.OFFSET, in.uleb128() * cie.dataAlign, 0, null));
                } else if (high == 0xc0) { // restore
                    state.set(low, initial(initialRules, low));
                } else {
                    switch (op) {
                        case 0x00 -> {
                            // nop
                        }
                        case 0x01 -> next = readEncoded(in, cie.fdeEncoding, fde.start, initialRules == null ? cie.instructionsStart : fde.instructionsStart);
                        case 0x02 -> next = loc + in.u8() * cie.codeAlign;
                        case 0x03 -> next = loc + in.u16() * cie.codeAlign;
                        case 0x04 -> next = loc + in.u32() * cie.codeAlign;
                        case 0x05 -> state.set(reg(in), offset(UnwindRow.Kind.OFFSET, in.uleb128() * cie.dataAlign));
                        case 0x06 -> {
                            int r = reg(in);
                            state.set(r, initial(initialRules, r));
                        }
                        case 0x07 -> state.set(reg(in), UnwindRow.Rule.UNDEFINED);
                        case 0x08 -> state.set(reg(in), UnwindRow.Rule.SAME_VALUE);
                        case 0x09 -> {
                            int r = reg(in);
                            state.set(r, new UnwindRow.Rule(UnwindRow.Kind.REGISTER, 0, reg(in), null));
                        }
                        case 0x0a -> {
                            if (stack.size() >= MAX_STATE_STACK) {
                                throw in.error("DW_CFA_remember_state nested deeper than " + MAX_STATE_STACK);
                            }
                            stack.add(state.copy());
                        }
                        case 0x0b -> {
                            if (stack.isEmpty()) {
                                throw in.error("DW_CFA_restore_state without remember_state at offset 0x" + Integer.toHexString(in.pos() - 1));
                            }
                            State saved = stack.remove(stack.size() - 1);
                            // gcc and gdb remember the CFA rule with the register rules, and restore both
                            state.restoreFrom(saved);
                        }
                        case 0x0c -> {
                            state.cfaRegister = reg(in);
                            state.cfaOffset = in.uleb128();
                            state.cfaExpression = null;
                        }
                        case 0x0d -> {
                            state.cfaRegister = reg(in);
                            state.cfaExpression = null;
                        }
                        case 0x0e -> state.cfaOffset = in.uleb128();
                        case 0x0f -> {
                            state.cfaExpression = block(in);
                            state.cfaRegister = -1;
                        }
                        case 0x10 -> {
                            int r = reg(in);
                            state.set(r, new UnwindRow.Rule(UnwindRow.Kind.EXPRESSION, 0, 0, block(in)));
                        }
                        case 0x11 -> state.set(reg(in), offset(UnwindRow.Kind.OFFSET, in.sleb128() * cie.dataAlign));
                        case 0x12 -> {
                            state.cfaRegister = reg(in);
                            state.cfaOffset = in.sleb128() * cie.dataAlign;
                            state.cfaExpression = null;
                        }
                        case 0x13 -> state.cfaOffset = in.sleb128() * cie.dataAlign;
                        case 0x14 -> state.set(reg(in), offset(UnwindRow.Kind.VAL_OFFSET, in.uleb128() * cie.dataAlign));
                        case 0x15 -> state.set(reg(in), offset(UnwindRow.Kind.VAL_OFFSET, in.sleb128() * cie.dataAlign));
                        case 0x16 -> {
                            int r = reg(in);
                            state.set(r, new UnwindRow.Rule(UnwindRow.Kind.VAL_EXPRESSION, 0, 0, block(in)));
                        }
                        case 0x2e -> in.uleb128(); // GNU_args_size: the callee pops no arguments on x86-64 unwinding
                        case 0x2f -> state.set(reg(in), offset(UnwindRow.Kind.OFFSET, -in.uleb128() * cie.dataAlign));
                        default -> throw in.error("unsupported call frame instruction 0x" + Integer.toHexString(op) + " at offset 0x"
                                + Integer.toHexString(in.pos() - 1) + " of the " + (initialRules == null ? "CIE" : "FDE for 0x" + Long.toHexString(fde.start)));
                    }
                }
                if (next != loc) {
                    if (Long.compareUnsigned(next, pc) > 0) {
                        return;
                    }
                    loc = next;
                }
            }
        }

        private static UnwindRow.Rule initial(UnwindRow.Rule[] initialRules, int reg) {
            return initialRules == null || reg >= initialRules.length ? null : initialRules[reg];
        }

        private static UnwindRow.Rule offset(UnwindRow.Kind kind, long offset) {
            return new UnwindRow.Rule(kind, offset, 0, null);
        }

        private static int reg(ByteReader in) {
            long r = in.uleb128();
            if (r < 0 || r > 1000) {
                throw in.error("register number " + Long.toUnsignedString(r) + " at offset 0x" + Integer.toHexString(in.pos()));
            }
            return (int) r;
        }

        private static ByteReader block(ByteReader in) {
            long len = in.uleb128();
            if (len < 0 || len > in.remaining()) {
                throw in.error("expression of " + Long.toUnsignedString(len) + " bytes past the end of its entry");
            }
            ByteReader b = in.slice(in.pos(), len);
            in.skip(len);
            return b;
        }
    }

    @Override
    public String toString() {
        return "CallFrameInfo[" + elf.name() + "]";
    }
}
