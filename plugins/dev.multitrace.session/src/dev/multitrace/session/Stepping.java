package dev.multitrace.session;

import dev.multitrace.core.Engine;
import dev.multitrace.core.Examination;
import dev.multitrace.core.GeneralRegisters;
import dev.multitrace.core.ResumeAction;
import dev.multitrace.core.Task;
import dev.multitrace.symbols.Registers;
import dev.multitrace.symbols.unwind.Frame;
import dev.multitrace.symbols.unwind.Unwinder;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The steps of a session's threads: source lines (into, over, return) over the DWARF line table and single
 * instructions, one {@link StepPlan} per stepping thread. A line step goes until a new line starts: it runs the
 * straight stretches of code to their end and calls to their return address (a breakpoint of the step's own,
 * see {@link #advance} and {@link #atTarget}), and single-steps the jumps, calls and returns between them.
 *
 * <p>Step into selection ({@link #stepIntoSelection}, gdb's and CDT's "step into selection") is a step into
 * that enters only calls of the chosen function: every other call of the line is run over (so in
 * {@code f(g(x))} with {@code f} chosen, {@code g} runs to its return and {@code f} is entered, stopping past its
 * prologue as a step into does). Matching is by name: the symbol's name equal to the chosen one, or to its last
 * {@code ::} part, or a compiler clone of it ({@code f.constprop.0}). It ends where a step into would end when the
 * line is left without entering the function: at the next line, or in the caller if the function returns, with
 * the stop's detail "(did not enter f)". Started on another line, it runs to that line first (temporary
 * breakpoints there, {@link #atLine}), as CDT runs to the line before it steps.
 *
 * <h2>Synchronization</h2>
 * {@link #step} and {@link #stepIntoSelection} run on any thread; everything else runs on the tracer thread, in
 * the debugger's callbacks ({@link DebuggerOps}). They put the plan in {@link #steps} <em>before</em> they drop
 * the thread's hold and before the {@code control} call that lets the thread run: the thread's next callback
 * may run on the tracer thread before {@code control} returns, and must find its plan. Once its thread runs, a
 * plan is read and changed only on the tracer thread (a step into selection's arrival at its line included).
 */
final class Stepping {

    /** A step that has not found its line after this many instructions stops where it is. */
    static final long MAX_STEP_INSTRUCTIONS = 5_000_000;

    private final DebugSession session;
    private final SessionSymbols symbols;
    private final Map<Integer, StepPlan> steps = new ConcurrentHashMap<>();

    Stepping(DebugSession session, SessionSymbols symbols) {
        this.session = session;
        this.symbols = symbols;
    }

    /** The step the thread is in, or null. */
    StepPlan plan(int tid) {
        return steps.get(tid);
    }

    /** Forgets the thread's step (it exited, or the session detaches). */
    void forget(int tid) {
        steps.remove(tid);
    }

    void forgetAll() {
        steps.clear();
    }

    /** Where a held thread is, as a step starts from it. */
    private record Held(Engine engine, GeneralRegisters regs, List<FrameInfo> frames) {
        long cfa() {
            return frames.isEmpty() ? 0 : frames.get(0).cfa();
        }
    }

    /**
     * The stop's registers and stack, as the views read them (a step after a look at the stop walks nothing).
     *
     * @throws IllegalStateException if the debugger does not hold the thread
     */
    private Held held(int tid) {
        Engine e = session.engine(tid);
        if (!session.isHeld(tid)) {
            throw new IllegalStateException("thread " + tid + " is not stopped by the debugger");
        }
        return new Held(e, session.registers(tid), session.frames(tid));
    }

    /** Starts a step of a held thread; the thread is reported stopped (reason STEP) when it ends. */
    void step(int tid, StepKind kind) {
        Held h = held(tid);
        Engine e = h.engine();
        GeneralRegisters regs = h.regs();
        long pc = regs.pc();
        List<FrameInfo> frames = h.frames();
        long cfa = h.cfa();
        // return from the real function: the frames of functions inlined at pc share its pc and cfa
        int real = 0;
        while (real < frames.size() - 1 && frames.get(real).inlined()) {
            real++;
        }
        StepPlan plan = new StepPlan(kind, symbols.lineAt(pc).orElse(null), pc, regs.sp(), cfa);
        if (kind == StepKind.RETURN) {
            if (frames.size() < real + 2 || cfa == 0) {
                String where = frames.isEmpty() ? "0x" + Long.toHexString(pc) : frames.get(0).label();
                throw new IllegalStateException("cannot step return: the caller of " + where + " is unknown");
            }
            plan.target = frames.get(real + 1).pc();
            plan.targetMinSp = cfa;
            plan.stopAtTarget = true;
            e.insertBreakpoint(plan.target);
        }
        start(e, tid, plan);
    }

    /** Publishes a held thread's plan and lets the thread go (the ordering rule of the class comment). */
    private void start(Engine e, int tid, StepPlan plan) {
        steps.put(tid, plan);
        session.holds.release(tid);
        for (SessionListener l : session.listeners) {
            l.threadResumed(tid, plan.kind);
        }
        if (plan.runningToTarget()) {
            session.resumeOthers(tid);
            session.letGo(e, tid, ResumeAction.RESUME);
        } else {
            session.letGo(e, tid, ResumeAction.SINGLESTEP);
        }
    }

    /**
     * Starts a step into selection of a held thread: into {@code function} where the line of {@code lineAddresses}
     * calls it (see the class comment). If the thread is not on that line it runs there first; with no
     * addresses, the line is the thread's current one. The thread is reported stopped (reason STEP) when it ends.
     *
     * @throws IllegalArgumentException if {@code function} is blank
     * @throws IllegalStateException    if the debugger does not hold the thread, or (current line) there is no
     *                                  line information at its pc
     */
    void stepIntoSelection(int tid, String function, long[] lineAddresses) {
        if (function == null || function.isBlank()) {
            throw new IllegalArgumentException("step into selection needs a function name");
        }
        Held h = held(tid);
        Engine e = h.engine();
        GeneralRegisters regs = h.regs();
        long pc = regs.pc();
        SourcePosition here = symbols.lineAt(pc).filter(p -> p.line() > 0).orElse(null);
        boolean onLine = lineAddresses.length == 0 || here != null && isOnLine(here, lineAddresses);
        if (onLine && here == null) {
            throw new IllegalStateException("cannot step into " + function + ": no line information at 0x" + Long.toHexString(pc));
        }
        StepPlan plan = new StepPlan(StepKind.INTO, here, pc, regs.sp(), h.cfa(), function.strip());
        if (!onLine) {
            plan.lineTargets = lineAddresses.clone();
            int planted = 0;
            try {
                for (long a : plan.lineTargets) {
                    e.insertBreakpoint(a);
                    planted++;
                }
            } catch (RuntimeException failed) {
                for (int i = 0; i < planted; i++) {
                    e.removeBreakpoint(plan.lineTargets[i]); // the thread stays held, with nothing planted
                }
                throw failed;
            }
        }
        start(e, tid, plan);
    }

    private boolean isOnLine(SourcePosition here, long[] lineAddresses) {
        for (long a : lineAddresses) {
            if (symbols.lineAt(a).filter(here::sameLine).isPresent()) {
                return true;
            }
        }
        return false;
    }

    /**
     * At one of the line's breakpoints a step into selection runs to (tracer thread): the breakpoints go, and the
     * step starts from here as if it had been asked here.
     */
    ResumeAction atLine(Engine engine, Task task, StepPlan plan, long address) {
        removeLineTargets(engine, plan);
        Examination x = engine.examine();
        GeneralRegisters regs = GeneralRegisters.read(x);
        plan.startLine = symbols.lineAt(address).orElse(null);
        plan.startPc = address;
        plan.frameCfa = cfaAt(x, regs);
        plan.prevPc = address;
        plan.prevSp = regs.sp();
        if (!session.isNonStop()) {
            session.stopOthers(task.tid()); // single-stepping now: the others wait, as at a step's start
        }
        return ResumeAction.SINGLESTEP;
    }

    private static void removeLineTargets(Engine e, StepPlan plan) {
        if (plan.lineTargets != null) {
            for (long a : plan.lineTargets) {
                e.removeBreakpoint(a);
            }
            plan.lineTargets = null;
        }
    }

    /** Whether {@code name} (a symbol's) is the function a step into selection looks for. */
    static boolean isSelected(String name, String selection) {
        String wanted = lastPart(selection);
        String have = lastPart(name);
        int clone = have.indexOf('.');
        return have.equals(wanted) || clone > 0 && have.substring(0, clone).equals(wanted);
    }

    private static String lastPart(String name) {
        int sep = name.lastIndexOf("::");
        return sep < 0 ? name : name.substring(sep + 2);
    }

    /** The detail of a step's end where it could have entered its selection and did not. */
    private static String missed(StepPlan plan) {
        return plan.selection == null ? "" : "(did not enter " + plan.selection + ")";
    }

    /** Ends a step: the thread is held with reason STEP (the others too, in all-stop). Tracer thread. */
    ResumeAction finishStep(Engine e, int tid, StepPlan plan, String detail) {
        cancelStep(e, tid, plan);
        return session.holdForEvent(tid, new StopReason(StopReason.Kind.STEP, detail));
    }

    void cancelStep(Engine e, int tid, StepPlan plan) {
        if (plan == null) {
            return;
        }
        steps.remove(tid, plan);
        if (plan.target != 0) {
            e.removeBreakpoint(plan.target);
            plan.target = 0;
        }
        removeLineTargets(e, plan);
    }

    /** The next move of a step after one instruction (or after running to its target). Tracer thread. */
    ResumeAction continueStep(Engine e, Task task, StepPlan plan) {
        int tid = task.tid();
        Examination x = e.examine();
        GeneralRegisters regs = GeneralRegisters.read(x);
        long pc = regs.pc();
        long sp = regs.sp();
        plan.instructions++;
        // the word on top of the stack, read once: a pushed return address if the last instruction was a call
        OptionalLong top = sp == plan.prevSp - 8 ? Examinations.readWord(x, sp) : OptionalLong.empty();
        boolean called = isReturnAddressOf(top, plan.prevPc);
        long prevPc = plan.prevPc;
        plan.prevPc = pc;
        plan.prevSp = sp;
        if (plan.stubReturn != 0) {
            return throughStub(e, tid, plan, pc, called ? top.getAsLong() : 0, sp);
        }
        if (plan.kind == StepKind.INSTRUCTION || (plan.kind == StepKind.INSTRUCTION_OVER && !called)) {
            return finishStep(e, tid, plan, "");
        }
        if (plan.instructions > MAX_STEP_INSTRUCTIONS) {
            return finishStep(e, tid, plan, "(gave up after " + plan.instructions + " instructions)");
        }
        if (called) {
            // only a step into asks what it called: a step over runs every call over
            if (plan.kind == StepKind.INTO) {
                // through a PLT stub, the shared library's function the dynamic linker binds, entered as a direct call is
                Optional<String> stub = symbols.pltStubAt(pc);
                Optional<FunctionInfo> viaPlt = stub.flatMap(symbols::pltTarget);
                if (viaPlt.isEmpty() && plan.selection == null && stub.isPresent()) {
                    // its function is found where the stub (and the dynamic linker's binding) lead: see throughStub
                    plan.stubReturn = top.getAsLong();
                    plan.stubReturnSp = sp + 8;
                    return ResumeAction.SINGLESTEP;
                }
                long entry = viaPlt.map(FunctionInfo::start).orElse(pc);
                Optional<FunctionInfo> fn = viaPlt.isPresent() ? viaPlt : symbols.functionAt(pc);
                boolean enter = plan.selection == null ? fn.isPresent() && symbols.lineAt(entry).filter(p -> p.line() > 0).isPresent()
                        : fn.filter(f -> isSelected(f.name(), plan.selection)).isPresent();
                if (enter) {
                    long body = symbols.afterPrologue(fn.get());
                    if (body == pc) {
                        return finishStep(e, tid, plan, "");
                    }
                    // through a stub: on through the dynamic linker's binding to the function's body
                    return runTo(e, tid, plan, body, 0, true);
                }
            }
            // Over the call: to its return address, in this frame (a recursive call passes it deeper).
            return runTo(e, tid, plan, top.getAsLong(), sp + 8, false);
        }
        if (plan.frameCfa != 0 && Long.compareUnsigned(sp, plan.frameCfa) >= 0 && prevPc != pc) {
            // The frame returned. A caller without line information runs on (as gdb's step lets it); at the
            // start of one of the caller's rows the step ends; in the middle of the caller's line (the return
            // address of its call) it goes on to the start of a line there, as gdb's does.
            Optional<SourcePosition> back = symbols.lineAt(pc).filter(p -> p.line() > 0);
            if (back.isEmpty()) {
                steps.remove(tid, plan);
                return ResumeAction.RESUME;
            }
            if (back.get().statement() && back.get().rowStart() == pc) {
                return finishStep(e, tid, plan, missed(plan));
            }
            plan.returnedTo(back.get(), pc, cfaAt(x, regs));
            return advance(e, x, plan, pc, back);
        }
        Optional<SourcePosition> pos = symbols.lineAt(pc);
        if (pos.isPresent() && pos.get().line() > 0 && pos.get().statement() && pos.get().rowStart() == pc) {
            boolean newLine = !pos.get().sameLine(plan.startLine);
            // a step into selection goes on while on its line, as CDT steps again while the line is the same
            boolean loopedBack = !newLine && plan.selection == null && Long.compareUnsigned(pc, plan.startPc) <= 0;
            if (newLine || loopedBack) {
                return finishStep(e, tid, plan, missed(plan));
            }
        }
        enteredMidRow(plan, pc, pos);
        return advance(e, x, plan, pc, pos);
    }

    /**
     * A jump (or a return) into the middle of a row: as gdb's step, the line of that row becomes the one
     * being stepped, so the step ends at the start of a line other than it (optimized code jumps between
     * lines; without this, the start of the very line the jump went into would end the step).
     */
    private static void enteredMidRow(StepPlan plan, long pc, Optional<SourcePosition> pos) {
        if ((plan.kind == StepKind.INTO || plan.kind == StepKind.OVER) && pos.isPresent() && pos.get().line() > 0
                && pos.get().rowStart() != pc && !pos.get().sameLine(plan.startLine)) {
            plan.startLine = pos.get();
            plan.startPc = pc;
        }
    }

    /**
     * A line step's next move from {@code pc}, still in its line: the straight stretch of code ahead (no jump,
     * call or return in it, see {@link StraightRun}) is run to a breakpoint of the step's own at its end; at
     * an instruction that transfers control, one instruction. The other threads stay as they are (held, in
     * all-stop): nothing in the stretch can wait for them.
     */
    private ResumeAction advance(Engine e, Examination x, StepPlan plan, long pc, Optional<SourcePosition> row) {
        if ((plan.kind == StepKind.INTO || plan.kind == StepKind.OVER) && row.isPresent() && row.get().line() > 0) {
            // A step over runs the stretch's calls too, where it knows its frame: a recursive call reaches the
            // stretch's end first, in a deeper frame, and only the step's own frame (its CFA) ends the run.
            boolean overCalls = plan.kind == StepKind.OVER && plan.selection == null && plan.frameCfa != 0;
            StraightRun.Stretch stretch = StraightRun.from(x, pc, row.get().rowEnd(), overCalls);
            if (stretch.end() != pc) {
                plan.target = stretch.end();
                plan.targetMinSp = 0;
                plan.targetCfa = stretch.calls() ? plan.frameCfa : 0;
                plan.stopAtTarget = false;
                e.insertBreakpoint(stretch.end());
                // over a call the others run, as at a call run to its return (it may wait for them)
                plan.othersReleased = stretch.calls();
                if (stretch.calls()) {
                    session.resumeOthers(x.task().tid());
                }
                return ResumeAction.RESUME;
            }
        }
        return ResumeAction.SINGLESTEP;
    }

    /** Whether a frame with CFA {@code cfa} is deeper than the one of {@code frameCfa} (unknown, 0: not known to be). */
    private static boolean isDeeper(long cfa, long frameCfa) {
        return cfa != 0 && Long.compareUnsigned(cfa, frameCfa) < 0;
    }

    /** The CFA of the innermost frame at the stop; 0 if the unwinder cannot say. */
    private long cfaAt(Examination x, GeneralRegisters regs) {
        List<Frame> frames = new Unwinder(symbols.current()).unwind(Registers.fromUserRegs(regs.values()), Examinations.memory(x), 2);
        return frames.isEmpty() ? 0 : frames.get(0).cfa();
    }

    /** Whether {@code word} (the value on top of the stack) is the return address of a call at {@code callPc}. */
    private static boolean isReturnAddressOf(OptionalLong word, long callPc) {
        // A call instruction is 2 to 7 bytes long (ff /2 with a SIB and disp32 is the longest common form).
        return word.isPresent() && Long.compareUnsigned(word.getAsLong() - callPc, 2) >= 0
                && Long.compareUnsigned(word.getAsLong() - callPc, 8) < 0;
    }

    private ResumeAction runTo(Engine e, int tid, StepPlan plan, long address, long minSp, boolean stop) {
        if (address == 0) {
            return finishStep(e, tid, plan, "(no return address)");
        }
        plan.target = address;
        plan.targetMinSp = minSp;
        plan.targetCfa = 0;
        plan.stopAtTarget = stop;
        plan.othersReleased = true;
        e.insertBreakpoint(address);
        session.resumeOthers(tid);
        return ResumeAction.RESUME;
    }

    /**
     * At the breakpoint a step runs to (tracer thread): the step goes on, or ends, if the thread came back to
     * the frame it runs to; null if this is a deeper frame of a recursive call (the hit is not the step's).
     */
    ResumeAction atTarget(Engine engine, Task task, StepPlan plan, long address) {
        int tid = task.tid();
        Examination x = engine.examine();
        GeneralRegisters regs = GeneralRegisters.read(x);
        long sp = regs.sp();
        if (Long.compareUnsigned(sp, plan.targetMinSp) < 0 || plan.targetCfa != 0 && isDeeper(cfaAt(x, regs), plan.targetCfa)) {
            return null;
        }
        engine.removeBreakpoint(address);
        plan.target = 0;
        if (plan.stopAtTarget) {
            return finishStep(engine, tid, plan, "");
        }
        if (plan.othersReleased && !session.isNonStop()) {
            session.stopOthers(tid); // single-stepping again: the others wait, as at the step's start
        }
        plan.prevPc = address;
        plan.prevSp = sp;
        if (plan.stubReturn != 0) {
            return throughStub(engine, tid, plan, address, 0, sp); // back from a call of the dynamic linker's
        }
        return landed(engine, x, task, plan);
    }

    /**
     * A step into on its way through a PLT stub whose function the symbols do not name (an ifunc such as
     * {@code strlen}, whose slot the dynamic linker binds to this CPU's implementation, {@code __strlen_evex}):
     * single steps through the stub and, at a first call, through the dynamic linker's lazy binding, whose calls
     * (the slot's lookup, the ifunc's resolver) are run to their return, until the thread jumps out of them into the
     * function. That function is entered past its prologue if it has line information, as gdb's step enters it;
     * else the step runs to the call's return and goes on in the caller's line.
     *
     * @param callReturn the return address if the last instruction was a call, else 0
     */
    private ResumeAction throughStub(Engine e, int tid, StepPlan plan, long pc, long callReturn, long sp) {
        if (callReturn != 0) {
            return runTo(e, tid, plan, callReturn, sp + 8, false);
        }
        if (symbols.inBindingPath(pc)) {
            return ResumeAction.SINGLESTEP;
        }
        long back = plan.stubReturn;
        long backSp = plan.stubReturnSp;
        plan.stubReturn = 0;
        if (Long.compareUnsigned(sp, backSp) >= 0) {
            return ResumeAction.SINGLESTEP; // returned to the caller (the function was the dynamic linker's own): on in its line
        }
        Optional<FunctionInfo> fn = symbols.functionAt(pc);
        if (fn.isPresent() && symbols.lineAt(pc).filter(p -> p.line() > 0).isPresent()) {
            long body = symbols.afterPrologue(fn.get());
            return body == pc ? finishStep(e, tid, plan, "") : runTo(e, tid, plan, body, 0, true);
        }
        return runTo(e, tid, plan, back, backSp, false);
    }

    /** After running over a call or a straight stretch: stop if that is a new line, else go on from there. */
    private ResumeAction landed(Engine engine, Examination x, Task task, StepPlan plan) {
        Optional<SourcePosition> pos = symbols.lineAt(plan.prevPc);
        if (pos.isPresent() && pos.get().line() > 0 && pos.get().statement()
                && pos.get().rowStart() == plan.prevPc && !pos.get().sameLine(plan.startLine)) {
            return finishStep(engine, task.tid(), plan, missed(plan));
        }
        enteredMidRow(plan, plan.prevPc, pos);
        return advance(engine, x, plan, plan.prevPc, pos);
    }

    /** What a thread does after an event that does not stop it: go on with its step, or run. */
    ResumeAction stepAction(int tid) {
        StepPlan plan = steps.get(tid);
        return plan == null || plan.runningToTarget() ? ResumeAction.RESUME : ResumeAction.SINGLESTEP;
    }
}
