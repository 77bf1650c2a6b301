package dev.multitrace.symbols.values;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.multitrace.symbols.LoadedModule;
import dev.multitrace.symbols.ProcessSymbols;
import dev.multitrace.symbols.dwarf.DebugInfo;
import dev.multitrace.symbols.dwarf.Die;
import dev.multitrace.symbols.dwarf.DieReader;
import dev.multitrace.symbols.types.CType;
import dev.multitrace.symbols.types.TypeReader;
import dev.multitrace.symbols.unwind.Frame;
import dev.multitrace.symbols.MemoryReader;
import dev.multitrace.symbols.Registers;

/**
 * The variables visible in one frame of a stopped program, as gdb sees them: the arguments of the frame's
 * function, the locals of every lexical block containing the pc (innermost block first, each in
 * declaration order, function-static locals included), then the file-static and global variables of the
 * module, then of the other modules. A frame of a function inlined at the pc sees the inlined instance's
 * parameters and blocks, not its caller's. Only the DIEs of the scopes containing the pc are read; globals
 * go through the per-module name index of {@link DieReader}.
 */
public final class FrameScope {

    /** A variable and its value in this frame. */
    public record Variable(String name, Value value, boolean argument) {
    }

    private final ProcessSymbols symbols;
    private final MemoryReader memory;
    private final Frame frame;
    private final LoadedModule module;
    private final DieReader dies;
    private final TypeReader types;
    private final Locator locator;
    /** The DIEs of this frame's scopes, outermost (the function or inlined instance) first. */
    private final List<Die> scopes;
    private final long linkPc;
    /** The real function's DIE (null outside any), for its frame base and its call sites. */
    private final Die function;
    /** The whole call stack and the index of this frame's caller in it (-1: none), for entry values. */
    private final List<Frame> frames;
    private final int callerIndex;
    /** Entry values resolved through callers nest; deeper than this is a loop in corrupt DWARF. */
    private static final int MAX_ENTRY_DEPTH = 16;
    private final int entryDepth;
    /** The frame's registers, with those the unwinder did not recover taken from the inner frames. */
    private final Registers registers;

    private FrameScope(ProcessSymbols symbols, MemoryReader memory, Frame frame, LoadedModule module, List<Die> scopes, Die function, long linkPc,
            List<Frame> frames, int index, int callerIndex, int entryDepth) {
        this.registers = sameValues(frames, index);
        this.function = function;
        this.frames = frames;
        this.callerIndex = callerIndex;
        this.entryDepth = entryDepth;
        this.symbols = symbols;
        this.memory = memory;
        this.frame = frame;
        this.module = module;
        this.scopes = scopes;
        this.linkPc = linkPc;
        this.dies = module == null ? null : module.debugInfo().dies();
        this.types = module == null ? null : typeReader(module.debugInfo());
        this.locator = module == null ? null : new Locator(dies, types, memory, registers, frame.cfa(), module.bias(), function, linkPc,
                this::entryValue, this::threadLocal);
    }

    /** The type reader of a module's DWARF, one per DIE tree (types are cached in it, and live as long as it). */
    public static TypeReader typeReader(DebugInfo info) {
        return info.dies().attached(TypeReader.class, TypeReader::new);
    }

    /**
     * The scope of {@code frames.get(index)} (a call stack from the unwinder, innermost first): its pc is a
     * return address, looked up one byte back, unless it is the innermost real frame or was interrupted by
     * a signal.
     */
    public static FrameScope of(ProcessSymbols symbols, MemoryReader memory, List<Frame> frames, int index) {
        return of(symbols, memory, frames, index, 0);
    }

    private static FrameScope of(ProcessSymbols symbols, MemoryReader memory, List<Frame> frames, int index, int entryDepth) {
        Frame frame = frames.get(index);
        int real = index;
        while (real < frames.size() - 1 && frames.get(real).inlined()) {
            real++;
        }
        int inner = real - 1; // the nearest real frame inside this one
        while (inner >= 0 && frames.get(inner).inlined()) {
            inner--;
        }
        boolean returnAddress = inner >= 0 && !frames.get(inner).signalFrame();
        int inlinedDepth = real - index; // 0: the real function; k: the k-th inlined instance into it
        Optional<LoadedModule> module = symbols.moduleAt(frame.pc());
        if (module.isEmpty()) {
            return new FrameScope(symbols, memory, frame, null, List.of(), null, 0, frames, index, -1, entryDepth);
        }
        long linkPc = frame.pc() - (returnAddress ? 1 : 0) - module.get().bias();
        List<DebugInfo.Scope> chain = module.get().debugInfo().scopesAt(linkPc);
        DieReader dies = module.get().debugInfo().dies();
        // split the chain at inlined instances; keep the segment of this frame
        List<List<Die>> segments = new ArrayList<>();
        for (DebugInfo.Scope s : chain) {
            if (segments.isEmpty() || s.isInlined()) {
                segments.add(new ArrayList<>());
            }
            segments.get(segments.size() - 1).add(dies.die(s.dieOffset()));
        }
        Die function = segments.isEmpty() ? null : segments.get(0).get(0);
        List<Die> mine = segments.isEmpty() ? List.of() : segments.get(Math.min(inlinedDepth, segments.size() - 1));
        int caller = real + 1 < frames.size() ? real + 1 : -1;
        return new FrameScope(symbols, memory, frame, module.get(), mine, function, linkPc, frames, index, caller, entryDepth);
    }

    public Frame frame() {
        return frame;
    }

    /** The types of this frame's module (null if the pc is in no module). */
    public TypeReader types() {
        return types;
    }

    public MemoryReader memory() {
        return memory;
    }

    public ProcessSymbols symbols() {
        return symbols;
    }

    /** gdb's {@code info args}: the parameters of the function (or inlined instance), in order. */
    public List<Variable> arguments() {
        List<Variable> out = new ArrayList<>();
        if (!scopes.isEmpty()) {
            for (Die d : declared(scopes.get(0))) {
                if (d.tag() == Die.TAG_FORMAL_PARAMETER) {
                    variable(d, true).ifPresent(out::add);
                }
            }
        }
        return out;
    }

    /**
     * gdb's {@code info locals}: the locals of each block containing the pc, innermost block first; within a
     * function (or inlined instance) in declaration order, within a nested block in gdb's hash order.
     */
    public List<Variable> locals() {
        List<Variable> out = new ArrayList<>();
        for (int i = scopes.size() - 1; i >= 0; i--) {
            List<Die> symbols = declared(scopes.get(i));
            if (scopes.get(i).tag() == Die.TAG_LEXICAL_BLOCK) {
                symbols = BlockOrder.hashed(symbols.stream().filter(BlockOrder::isSymbol).toList(), this::nameOf);
            }
            for (Die d : symbols) {
                if (d.tag() == Die.TAG_VARIABLE && !d.flag(Die.AT_DECLARATION)) {
                    variable(d, false).ifPresent(out::add);
                }
            }
        }
        return out;
    }

    /**
     * The variable {@code name} as C scoping sees it from the pc: the innermost block's first, then the
     * arguments, then the module's file statics (of this unit first) and globals, then other modules'.
     */
    public Optional<Variable> lookup(String name) {
        Optional<Variable> v = lookupInModule(name);
        return v.isPresent() ? v : lookupInOtherModules(name);
    }

    /**
     * The variable {@code name} in this frame's blocks, its arguments, or this module's file statics and
     * globals (this unit's first): what C scoping finds before other modules. An enumerator of this module
     * ({@link #enumerator}) comes next, as gdb finds it in this module's symbols; only then the other modules
     * ({@link #lookupInOtherModules}), whose name indexes (a large library's whole DIE tree) are read only then.
     */
    public Optional<Variable> lookupInModule(String name) {
        for (int i = scopes.size() - 1; i >= 0; i--) {
            for (Die d : declared(scopes.get(i))) {
                if ((d.tag() == Die.TAG_VARIABLE || d.tag() == Die.TAG_FORMAL_PARAMETER) && name.equals(nameOf(d).orElse(null))) {
                    return variable(d, d.tag() == Die.TAG_FORMAL_PARAMETER);
                }
            }
        }
        if (module != null) {
            return global(module, name, true);
        }
        return Optional.empty();
    }

    /** A global or file-static variable or function {@code name} of a module other than this frame's. */
    public Optional<Variable> lookupInOtherModules(String name) {
        for (LoadedModule m : symbols.modules()) {
            if (m != module) {
                Optional<Variable> v = global(m, name, false);
                if (v.isPresent()) {
                    return v;
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The type named {@code name} in this frame's module: a typedef or base type name, or
     * {@code struct T}/{@code union T}/{@code enum T}; a definition preferred over a declaration.
     */
    public Optional<CType> type(String name) {
        if (module == null) {
            return Optional.empty();
        }
        CType found = null;
        for (DieReader.Named n : dies.lookup(name)) {
            int tag = n.tag();
            if (tag == Die.TAG_VARIABLE || tag == Die.TAG_SUBPROGRAM || tag == Die.TAG_ENUMERATOR) {
                continue;
            }
            CType t = types.type(n.offset());
            if (found == null || found.incomplete() && !t.incomplete()) {
                found = t;
            }
        }
        return Optional.ofNullable(found);
    }

    /** An enumeration constant ({@code BLUE}) of this frame's module, as a value of its enum type. */
    public Optional<Value> enumerator(String name) {
        if (module == null) {
            return Optional.empty();
        }
        for (DieReader.Named n : dies.lookup(name)) {
            if (n.tag() == Die.TAG_ENUMERATOR) {
                CType e = types.type(n.offset());
                for (CType.Enumerator en : e.enumerators()) {
                    if (en.name().equals(name)) {
                        return Optional.of(Value.ofLong(e, en.value()));
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** A global, file-static variable or function of module {@code m}, those of this frame's unit first. */
    private Optional<Variable> global(LoadedModule m, String name, boolean own) {
        DieReader mdies = m.debugInfo().dies();
        List<DieReader.Named> found = mdies.lookup(name);
        long unit = own && !scopes.isEmpty() ? scopes.get(0).unitOffset() : -1;
        DieReader.Named best = null;
        DieReader.Named optimizedAway = null;
        for (DieReader.Named n : found) {
            if (n.tag() != Die.TAG_VARIABLE && n.tag() != Die.TAG_SUBPROGRAM) {
                continue;
            }
            Die d = mdies.die(n.offset());
            boolean definition = n.tag() == Die.TAG_VARIABLE ? d.has(Die.AT_LOCATION) || d.has(Die.AT_CONST_VALUE) : d.has(Die.AT_LOW_PC);
            if (!definition) {
                // a static the optimizer removed has neither location nor value: gdb shows it <optimized out>
                if (n.tag() == Die.TAG_VARIABLE && !d.flag(Die.AT_DECLARATION) && n.unitOffset() == unit && optimizedAway == null) {
                    optimizedAway = n;
                }
                continue;
            }
            if (best == null || n.unitOffset() == unit || d.flag(Die.AT_EXTERNAL) && best.unitOffset() != unit) {
                best = n;
            }
        }
        if (best == null) {
            best = optimizedAway;
        }
        if (best == null) {
            return Optional.empty();
        }
        Die d = mdies.die(best.offset());
        TypeReader mtypes = typeReader(m.debugInfo());
        if (d.tag() == Die.TAG_SUBPROGRAM) {
            long low = d.number(Die.AT_LOW_PC).orElse(0) + m.bias();
            CType fn = mtypes.type(d.offset());
            return Optional.of(new Variable(name, Value.at(fn, new byte[0], low), false));
        }
        Locator l = m == module ? locator : new Locator(mdies, mtypes, memory, registers, frame.cfa(), m.bias(), null, 0, null, null);
        return Optional.of(new Variable(name, l.value(d, typeOf(mdies, mtypes, d)), false));
    }

    private Optional<Variable> variable(Die d, boolean argument) {
        Optional<String> name = nameOf(d);
        if (name.isEmpty()) {
            return Optional.empty();
        }
        CType type = withBounds(typeOf(dies, types, d));
        return Optional.of(new Variable(name.get(), locator.value(d, type), argument));
    }

    /**
     * The children of a scope DIE, then (as gdb's inherit_abstract_dies) the variables and parameters of its
     * abstract origin that none of its children stands for: gcc may move an inlined function's local into a
     * lexical block of the concrete instance, and gdb then lists it twice, the copy without a location as
     * {@code <optimized out>}.
     */
    private List<Die> declared(Die scope) {
        List<Die> own = hoisted(scope, 0);
        long origin = scope.ref(Die.AT_ABSTRACT_ORIGIN);
        if (origin < 0) {
            return own;
        }
        java.util.Set<Long> concrete = new java.util.HashSet<>();
        for (Die d : own) {
            concrete.add(d.ref(Die.AT_ABSTRACT_ORIGIN));
        }
        List<Die> out = new ArrayList<>(own);
        for (Die d : dies.children(dies.die(origin))) {
            if (concrete.contains(d.offset())) {
                continue;
            }
            if (d.tag() == Die.TAG_VARIABLE || d.tag() == Die.TAG_FORMAL_PARAMETER) {
                out.add(d);
            } else if (d.tag() == Die.TAG_LEXICAL_BLOCK) {
                // an abstract block no concrete block stands for has no code: gdb reads its variables into this block
                for (Die h : hoisted(d, 0)) {
                    if (h.tag() == Die.TAG_VARIABLE || h.tag() == Die.TAG_FORMAL_PARAMETER) {
                        out.add(h);
                    }
                }
            }
        }
        return out;
    }

    /** A variable-length array's type with its length in this frame ({@code int [5]}), as gdb shows it. */
    private CType withBounds(CType t) {
        CType s = t.strip();
        Die sub = s.kind() == CType.Kind.ARRAY ? s.dynamicBound() : null;
        if (sub == null) {
            return t;
        }
        boolean isCount = sub.has(Die.AT_COUNT);
        int at = isCount ? Die.AT_COUNT : Die.AT_UPPER_BOUND;
        java.util.OptionalLong v = java.util.OptionalLong.empty();
        if (sub.ref(at) >= 0) {
            Die var = dies.die(sub.ref(at));
            Value bound = locator.value(var, typeOf(dies, types, var));
            v = bound.available() ? java.util.OptionalLong.of(bound.asLong()) : v;
        } else if (sub.block(at) != null) {
            v = locator.evaluate(sub.block(at), sub);
        }
        if (v.isEmpty() || v.getAsLong() < (isCount ? 0 : -1) || v.getAsLong() > Integer.MAX_VALUE) {
            return t;
        }
        return CType.arrayOf(s.target(), isCount ? v.getAsLong() : v.getAsLong() + 1);
    }

    /**
     * The children of a scope, with those of its lexical blocks that have no code range put in their place:
     * gdb reads such a block's children as if the block were not there. Local enums' enumerators follow
     * their enum, as gdb adds them to the same block.
     */
    private List<Die> hoisted(Die scope, int depth) {
        List<Die> out = new ArrayList<>();
        for (Die d : dies.children(scope)) {
            if (d.tag() == Die.TAG_LEXICAL_BLOCK && !d.has(Die.AT_LOW_PC) && !d.has(DW_AT_RANGES) && depth < 32) {
                out.addAll(hoisted(d, depth + 1));
                continue;
            }
            out.add(d);
            if (d.tag() == Die.TAG_ENUMERATION_TYPE) {
                out.addAll(dies.children(d));
            }
        }
        return out;
    }

    private static final int DW_AT_RANGES = 0x55;

    /** A DIE's own name, or its abstract origin's (an inlined or out-of-line instance) or specification's. */
    private Optional<String> nameOf(Die d) {
        Die at = d;
        for (int hop = 0; hop < 8; hop++) {
            Optional<String> n = at.name();
            if (n.isPresent()) {
                return n;
            }
            long origin = at.has(Die.AT_ABSTRACT_ORIGIN) ? at.ref(Die.AT_ABSTRACT_ORIGIN) : at.ref(Die.AT_SPECIFICATION);
            if (origin < 0) {
                return Optional.empty();
            }
            at = dies.die(origin);
        }
        return Optional.empty();
    }

    private static CType typeOf(DieReader dies, TypeReader types, Die d) {
        Die at = d;
        for (int hop = 0; hop < 8; hop++) {
            if (at.has(Die.AT_TYPE)) {
                return types.typeOf(at);
            }
            long origin = at.has(Die.AT_ABSTRACT_ORIGIN) ? at.ref(Die.AT_ABSTRACT_ORIGIN) : at.ref(Die.AT_SPECIFICATION);
            if (origin < 0) {
                break;
            }
            at = dies.die(origin);
        }
        return CType.VOID;
    }

    /**
     * gdb's rule for registers the CFI does not mention in an outer frame: "same value" as in the frame it
     * called (gcc's CFI lists only the callee-saved registers). So an argument still in rsi in the caller
     * reads as gdb shows it, rather than {@code <optimized out>}.
     */
    private static Registers sameValues(List<Frame> frames, int index) {
        Registers r = frames.get(index).registers();
        for (int k = index - 1; k >= 0; k--) {
            Registers inner = frames.get(k).registers();
            if (!r.hasVectors() && inner.hasVectors()) {
                r = r.withVectors(inner.vectors());
            }
            if (r.fsBase().isEmpty() && inner.fsBase().isPresent()) {
                r = r.withFsBase(inner.fsBase().getAsLong());
            }
            for (int reg = 0; reg < Registers.COUNT; reg++) {
                if (!r.isKnown(reg) && inner.isKnown(reg)) {
                    r = r.with(reg, inner.value(reg));
                }
            }
        }
        return r;
    }

    /** The registers variables are read from in this frame (see {@link #sameValues}). */
    public Registers registers() {
        return registers;
    }

    /** A register's value on entry to this frame's function, from its caller's call site. */
    private long entryValue(int reg) throws dev.multitrace.symbols.unwind.DwarfExpression.NoValue {
        if (callerIndex < 0 || entryDepth >= MAX_ENTRY_DEPTH) {
            throw new dev.multitrace.symbols.unwind.DwarfExpression.NoValue("no caller frame");
        }
        FrameScope caller = of(symbols, memory, frames, callerIndex, entryDepth + 1);
        if (caller.module == null) {
            throw new dev.multitrace.symbols.unwind.DwarfExpression.NoValue("the caller is in no module");
        }
        return CallSites.entryValue(caller, function == null ? null : nameOf(function).orElse(null), reg);
    }

    /**
     * The thread-local variable at {@code offset} in this module's TLS block. The executable's block is the
     * first of the static TLS area, which on x86-64 ends at the thread pointer: it starts
     * {@code roundup(p_memsz, p_align)} of its PT_TLS below fs_base (glibc's layout; gdb asks libthread_db
     * for the same). Shared libraries' blocks (found through the DTV) are not supported yet.
     */
    private long threadLocal(long offset) throws dev.multitrace.symbols.unwind.DwarfExpression.NoValue {
        if (symbols.modules().isEmpty() || symbols.modules().get(0) != module) {
            throw new dev.multitrace.symbols.unwind.DwarfExpression.NoValue("thread-local storage of a shared library");
        }
        if (registers.fsBase().isEmpty()) {
            throw new dev.multitrace.symbols.unwind.DwarfExpression.NoValue("the thread pointer (fs_base) is not known");
        }
        for (dev.multitrace.symbols.elf.ElfSegment s : module.elf().segments()) {
            if (s.type() == PT_TLS) {
                long align = Math.max(1, s.align());
                long blockOffset = (s.memsz() + align - 1) / align * align;
                return registers.fsBase().getAsLong() - blockOffset + offset;
            }
        }
        throw new dev.multitrace.symbols.unwind.DwarfExpression.NoValue("the executable has no PT_TLS segment");
    }

    private static final int PT_TLS = 7;

    Die functionDie() {
        return function;
    }

    DieReader dies() {
        return dies;
    }

    long bias() {
        return module.bias();
    }

    Locator locator() {
        return locator;
    }

    /** The link-time pc this frame's scopes and location lists are looked up at. */
    public long linkPc() {
        return linkPc;
    }
}
