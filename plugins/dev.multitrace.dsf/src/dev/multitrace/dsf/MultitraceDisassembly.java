package dev.multitrace.dsf;

import dev.multitrace.session.DebugSession;
import dev.multitrace.session.DisassembledInstruction;
import dev.multitrace.session.FunctionInfo;
import dev.multitrace.session.SourcePosition;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Function;

import org.eclipse.cdt.dsf.concurrent.DataRequestMonitor;
import org.eclipse.cdt.dsf.concurrent.RequestMonitor;
import org.eclipse.cdt.dsf.datamodel.DMContexts;
import org.eclipse.cdt.dsf.debug.service.IDisassembly;
import org.eclipse.cdt.dsf.debug.service.IDisassembly3;
import org.eclipse.cdt.dsf.debug.service.IInstruction;
import org.eclipse.cdt.dsf.debug.service.IInstructionWithRawOpcodes;
import org.eclipse.cdt.dsf.debug.service.IInstructionWithSize;
import org.eclipse.cdt.dsf.debug.service.IMixedInstruction;
import org.eclipse.cdt.dsf.service.DsfSession;

/**
 * The Disassembly view's instructions: the session's disassembly (Capstone, AT&amp;T syntax as objdump's; the
 * program's own bytes, never a planted int3) with each instruction's function and offset, and for mixed mode
 * grouped by source line. The code is read through a thread the debugger holds, so a running process has
 * none to show; in a postmortem session, from the core (and the mapped files for the code it left out). The opcodes flag of {@link IDisassembly3} changes nothing: the raw bytes always come along.
 */
public final class MultitraceDisassembly extends MultitraceService implements IDisassembly3 {

    /** The live session's backend; null in a postmortem session. */
    private DebugSessionService live;
    /** The core of a postmortem session; null in a live one. */
    private CoreDumpService core;

    public MultitraceDisassembly(DsfSession session) {
        super(session, IDisassembly.class, IDisassembly3.class);
    }

    /** Serves whichever session it is in: the live one's backend or the core's, started before it. */
    @Override
    protected void start() throws org.eclipse.core.runtime.CoreException {
        live = getServicesTracker().getService(DebugSessionService.class);
        core = live == null ? getServicesTracker().getService(CoreDumpService.class) : null;
        if (live == null && core == null) {
            throw new org.eclipse.core.runtime.CoreException(error(INTERNAL_ERROR, "the disassembly needs a live session or a core first"));
        }
    }

    /** An instruction as the view shows it. */
    private record InstructionData(DisassembledInstruction d) implements IInstructionWithSize, IInstructionWithRawOpcodes {
        @Override
        public BigInteger getAdress() {
            return unsigned(d.address());
        }

        @Override
        public String getFuntionName() {
            return d.function().map(FunctionInfo::name).orElse(null);
        }

        @Override
        public long getOffset() {
            return d.offset();
        }

        @Override
        public String getInstruction() {
            return d.instruction().text();
        }

        @Override
        public String getOpcode() {
            return d.instruction().mnemonic();
        }

        @Override
        public String getArgs() {
            return d.instruction().operands();
        }

        @Override
        public Integer getSize() {
            return d.instruction().length();
        }

        @Override
        public BigInteger getRawOpcodes() {
            return new BigInteger(1, d.instruction().bytes());
        }
    }

    /** Consecutive instructions of one source line (file null: no line information). */
    private record MixedData(String file, int line, IInstruction[] instructions) implements IMixedInstruction {
        @Override
        public String getFileName() {
            return file;
        }

        @Override
        public int getLineNumber() {
            return line;
        }

        @Override
        public IInstruction[] getInstructions() {
            return instructions.clone();
        }
    }

    static BigInteger unsigned(long value) {
        return new BigInteger(Long.toUnsignedString(value));
    }

    /**
     * Runs {@code disassemble} with the code of the context's process; its result, or {@code rm} failed with why
     * there is none (no process, all threads run, bad range, no Capstone).
     */
    private <T> void answer(IDisassemblyDMContext ctx, DataRequestMonitor<T> rm, Function<Code, T> disassemble) {
        Code code = code(ctx, rm);
        if (code == null) {
            return;
        }
        try {
            rm.setData(disassemble.apply(code));
        } catch (RuntimeException e) {
            // a bad range, unreadable code, a thread that resumed meanwhile, Capstone missing: each says which
            rm.setStatus(DebugSessionService.error(REQUEST_FAILED, String.valueOf(e.getMessage())));
        }
        rm.done();
    }

    /** The code of the context's process: the core's, or read through a thread the debugger holds; null with {@code rm} failed. */
    private Code code(IDisassemblyDMContext ctx, RequestMonitor rm) {
        ProcessContext p = DMContexts.getAncestorOfType(ctx, ProcessContext.class);
        if (core != null) {
            if (p == null || !p.equals(core.process())) {
                rm.setStatus(DebugSessionService.error(INVALID_HANDLE, "not the core's process: " + ctx));
                rm.done();
                return null;
            }
            return new CoreCode(core.dump());
        }
        DebugSession s = live.live(p, rm);
        if (s == null) {
            return null;
        }
        ThreadContext own = DMContexts.getAncestorOfType(ctx, ThreadContext.class);
        OptionalInt tid = own != null && s.isHeld(own.tid()) ? OptionalInt.of(own.tid()) : s.anyHeldThread();
        if (tid.isEmpty()) {
            rm.setStatus(DebugSessionService.error(INVALID_STATE,
                    "process " + s.pid() + " is running: suspend it to see its code"));
            rm.done();
            return null;
        }
        return new Held(s, tid.getAsInt());
    }

    /** Where a process's code is read. */
    private interface Code {
        List<DisassembledInstruction> range(BigInteger start, BigInteger end);

        List<DisassembledInstruction> lines(String file, int line, int lines);
    }

    /** A live session and a thread it holds. */
    private record Held(DebugSession session, int tid) implements Code {
        @Override
        public List<DisassembledInstruction> range(BigInteger start, BigInteger end) {
            return session.disassemble(tid, start.longValue(), end.longValue());
        }

        @Override
        public List<DisassembledInstruction> lines(String file, int line, int lines) {
            return session.disassemble(tid, named(file), line, lines);
        }
    }

    /** A core: its memory, and the mapped files' code it left out. */
    private record CoreCode(dev.multitrace.session.CoreDump dump) implements Code {
        @Override
        public List<DisassembledInstruction> range(BigInteger start, BigInteger end) {
            return dump.disassemble(start.longValue(), end.longValue());
        }

        @Override
        public List<DisassembledInstruction> lines(String file, int line, int lines) {
            return dump.disassemble(named(file), line, lines);
        }
    }

    private static String named(String file) {
        if (file == null || file.isEmpty()) {
            throw new IllegalArgumentException("no source file given");
        }
        return file;
    }

    private static IInstruction[] plain(List<DisassembledInstruction> list) {
        return list.stream().map(InstructionData::new).toArray(IInstruction[]::new);
    }

    private static IMixedInstruction[] mixed(List<DisassembledInstruction> list) {
        List<IMixedInstruction> out = new ArrayList<>();
        List<IInstruction> group = new ArrayList<>();
        SourcePosition groupLine = null;
        for (DisassembledInstruction d : list) {
            SourcePosition line = d.source().orElse(null);
            if (!group.isEmpty() && !sameLine(line, groupLine)) {
                out.add(mixedOf(groupLine, group));
                group.clear();
            }
            groupLine = line;
            group.add(new InstructionData(d));
        }
        if (!group.isEmpty()) {
            out.add(mixedOf(groupLine, group));
        }
        return out.toArray(IMixedInstruction[]::new);
    }

    private static boolean sameLine(SourcePosition a, SourcePosition b) {
        return a == null ? b == null : a.sameLine(b);
    }

    private static IMixedInstruction mixedOf(SourcePosition line, List<IInstruction> group) {
        return new MixedData(line == null ? null : line.file(), line == null ? 0 : line.line(), group.toArray(IInstruction[]::new));
    }

    /** A missing end means "a little past the start", as the view asks when it has only an address. */
    private static BigInteger endOf(BigInteger start, BigInteger end) {
        return end != null ? end : start.add(BigInteger.valueOf(256));
    }

    private static boolean badRange(BigInteger start, RequestMonitor rm) {
        if (start == null || start.signum() < 0 || start.bitLength() > 64) {
            rm.setStatus(DebugSessionService.error(REQUEST_FAILED, "no start address " + start));
            rm.done();
            return true;
        }
        return false;
    }

    @Override
    public void getInstructions(IDisassemblyDMContext ctx, BigInteger start, BigInteger end, DataRequestMonitor<IInstruction[]> rm) {
        if (badRange(start, rm)) {
            return;
        }
        answer(ctx, rm, h -> plain(h.range(start, endOf(start, end))));
    }

    @Override
    public void getInstructions(IDisassemblyDMContext ctx, String file, int line, int lines, DataRequestMonitor<IInstruction[]> rm) {
        answer(ctx, rm, h -> plain(h.lines(file, line, lines)));
    }

    @Override
    public void getMixedInstructions(IDisassemblyDMContext ctx, BigInteger start, BigInteger end,
            DataRequestMonitor<IMixedInstruction[]> rm) {
        if (badRange(start, rm)) {
            return;
        }
        answer(ctx, rm, h -> mixed(h.range(start, endOf(start, end))));
    }

    @Override
    public void getMixedInstructions(IDisassemblyDMContext ctx, String file, int line, int lines,
            DataRequestMonitor<IMixedInstruction[]> rm) {
        answer(ctx, rm, h -> mixed(h.lines(file, line, lines)));
    }

    @Override
    public void getInstructions(IDisassemblyDMContext ctx, BigInteger start, BigInteger end, boolean opCodes,
            DataRequestMonitor<IInstruction[]> rm) {
        getInstructions(ctx, start, end, rm);
    }

    @Override
    public void getInstructions(IDisassemblyDMContext ctx, String file, int line, int lines, boolean opCodes,
            DataRequestMonitor<IInstruction[]> rm) {
        getInstructions(ctx, file, line, lines, rm);
    }

    @Override
    public void getMixedInstructions(IDisassemblyDMContext ctx, BigInteger start, BigInteger end, boolean opCodes,
            DataRequestMonitor<IMixedInstruction[]> rm) {
        getMixedInstructions(ctx, start, end, rm);
    }

    @Override
    public void getMixedInstructions(IDisassemblyDMContext ctx, String file, int line, int lines, boolean opCodes,
            DataRequestMonitor<IMixedInstruction[]> rm) {
        getMixedInstructions(ctx, file, line, lines, rm);
    }

    /** The start of the instruction that {@code address} is in (decoded from its function's start). */
    @Override
    public void alignOpCodeAddress(IDisassemblyDMContext ctx, BigInteger address, DataRequestMonitor<BigInteger> rm) {
        if (badRange(address, rm)) {
            return;
        }
        answer(ctx, rm, h -> {
            List<DisassembledInstruction> at = h.range(address, address.add(BigInteger.ONE));
            return at.isEmpty() ? address : unsigned(at.get(0).address());
        });
    }
}
