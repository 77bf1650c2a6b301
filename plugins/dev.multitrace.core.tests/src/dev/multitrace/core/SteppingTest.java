package dev.multitrace.core;

import static dev.multitrace.core.BreakpointTest.symbol;
import static dev.multitrace.core.Recorder.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.linux.Signal;

import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ptrace-tests stepping classics, in our own words, through the service. */
class SteppingTest extends ServiceTest {

    private String bin;

    @BeforeEach
    void findBinary() {
        bin = Programs.path("stepping");
    }


    /** DELIVER with SINGLESTEP stops at the handler's first instruction; the program still sees its signal once. */
    @Test
    void stepIntoASignalHandler() throws Exception {
        long handler = symbol(bin, "handler");
        CompletableFuture<Long> stepPc = new CompletableFuture<>();
        EngineOps ops = new EngineOps() {
            @Override
            public ResumeAction signal(Engine engine, Task task, SignalReport report) {
                return report.signal() == Signal.SIGUSR1 ? ResumeAction.SINGLESTEP : ResumeAction.RESUME;
            }

            @Override
            public ResumeAction step(Engine engine, Task task) {
                stepPc.complete(engine.examine().registers().pc());
                return ResumeAction.RESUME;
            }
        };
        Engine e = tracing.launch(Programs.spec("stepping"), ops, "stepper", EnumSet.of(Event.SIGNAL, Event.STEP));
        e.control(ResumeAction.RESUME);
        assertEquals(handler, (long) await(stepPc), "the step stopped at the handler's first instruction");
        assertEquals("handled=1\n", Programs.readAll(e.task().process().stdout()));
        assertEquals(0, await(e.task().process().exitStatus()).code());
    }

    /**
     * A signal injected at an INTERRUPT report together with SINGLESTEP (gdb's vCont;S from any
     * stop): the step goes with the delivery and stops at the handler's first instruction, as
     * at a signal-delivery stop; the handler runs once.
     */
    @Test
    void injectedSignalWithAStepStopsAtTheHandler() throws Exception {
        long handler = symbol(bin, "handler");
        long beforeSyscall = symbol(bin, "before_syscall");
        CompletableFuture<Long> atBreakpoint = new CompletableFuture<>();
        CompletableFuture<Long> stepPc = new CompletableFuture<>();
        EngineOps ops = new EngineOps() {
            @Override
            public ResumeAction breakpoint(Engine engine, Task task, long address) {
                atBreakpoint.complete(address);
                return ResumeAction.STOP;
            }

            @Override
            public ResumeAction signal(Engine engine, Task task, SignalReport report) {
                if (report.originalAction() == SignalAction.REPORT) {
                    report.deliver(Signal.SIGUSR1);
                    return ResumeAction.SINGLESTEP;
                }
                return ResumeAction.RESUME;
            }

            @Override
            public ResumeAction step(Engine engine, Task task) {
                stepPc.complete(engine.examine().registers().pc());
                return ResumeAction.RESUME;
            }
        };
        Engine e = tracing.launch(Programs.spec("stepping"), ops, "stepper",
                EnumSet.of(Event.SIGNAL, Event.STEP, Event.BREAKPOINT));
        e.insertBreakpoint(beforeSyscall);
        e.control(ResumeAction.RESUME);
        assertEquals(beforeSyscall, (long) await(atBreakpoint));
        e.removeBreakpoint(beforeSyscall);
        e.control(ResumeAction.INTERRUPT);
        assertEquals(handler, (long) await(stepPc), "the step stopped at the handler's first instruction");
        assertEquals("handled=2\n", Programs.readAll(e.task().process().stdout()));
        assertEquals(0, await(e.task().process().exitStatus()).code());
    }

    /** Stepping over a syscall instruction lands on the next instruction, and the call ran. */
    @Test
    void stepOverASyscallInstruction() throws Exception {
        long atSyscall = symbol(bin, "at_syscall");
        long after = symbol(bin, "after_syscall");
        List<Long> pcs = new CopyOnWriteArrayList<>();
        EngineOps ops = new EngineOps() {
            @Override
            public ResumeAction breakpoint(Engine engine, Task task, long address) {
                return ResumeAction.SINGLESTEP; // execute the syscall instruction under the breakpoint
            }

            @Override
            public ResumeAction step(Engine engine, Task task) {
                pcs.add(engine.examine().registers().pc());
                return ResumeAction.RESUME;
            }
        };
        Engine e = tracing.launch(Programs.spec("stepping"), ops, "stepper", EnumSet.of(Event.BREAKPOINT, Event.STEP));
        e.insertBreakpoint(atSyscall);
        e.control(ResumeAction.RESUME);
        assertEquals(0, await(e.task().process().exitStatus()).code());
        assertEquals(List.of(after), pcs, "one step over the breakpointed syscall lands right after it");
    }

    /** A step that lands on a breakpoint reports the breakpoint; nothing is skipped: the next step runs its instruction. */
    @Test
    void stepOntoABreakpoint() throws Exception {
        long before = symbol(bin, "before_syscall");
        long atSyscall = symbol(bin, "at_syscall");
        List<String> log = new CopyOnWriteArrayList<>();
        EngineOps ops = new EngineOps() {
            int steps;

            @Override
            public ResumeAction breakpoint(Engine engine, Task task, long address) {
                log.add("bp@" + Long.toHexString(address));
                return ResumeAction.SINGLESTEP; // the last round of the stop decides: keep stepping
            }

            @Override
            public ResumeAction step(Engine engine, Task task) {
                log.add("step@" + Long.toHexString(engine.examine().registers().pc()));
                return ++steps < 2 ? ResumeAction.SINGLESTEP : ResumeAction.RESUME;
            }
        };
        Engine e = tracing.launch(Programs.spec("stepping"), ops, "stepper", EnumSet.of(Event.BREAKPOINT, Event.STEP));
        e.insertBreakpoint(before);
        e.insertBreakpoint(atSyscall);
        e.control(ResumeAction.RESUME);
        assertEquals(0, await(e.task().process().exitStatus()).code());
        long after = symbol(bin, "after_syscall");
        assertEquals(List.of("bp@" + Long.toHexString(before), "step@" + Long.toHexString(atSyscall),
                "bp@" + Long.toHexString(atSyscall), "step@" + Long.toHexString(after)), log);
    }

    /** BLOCKSTEP reports STEP to the engine that asked, on a branch target or (where the CPU has no branch trap) the next instruction. */
    @Test
    void blockStepReportsAStepAndTheProgramRunsOn() throws Exception {
        long callee = symbol(bin, "callee");
        List<Long> pcs = new CopyOnWriteArrayList<>();
        EngineOps ops = new EngineOps() {
            @Override
            public ResumeAction breakpoint(Engine engine, Task task, long address) {
                return ResumeAction.BLOCKSTEP;
            }

            @Override
            public ResumeAction step(Engine engine, Task task) {
                pcs.add(engine.examine().registers().pc());
                return pcs.size() < 3 ? ResumeAction.BLOCKSTEP : ResumeAction.RESUME;
            }
        };
        Engine e = tracing.launch(Programs.spec("stepping"), ops, "blockstepper", EnumSet.of(Event.BREAKPOINT, Event.STEP));
        e.insertBreakpoint(callee);
        e.control(ResumeAction.RESUME);
        assertEquals("handled=1\n", Programs.readAll(e.task().process().stdout()));
        assertEquals(0, await(e.task().process().exitStatus()).code());
        assertEquals(3, pcs.size(), pcs.toString());
        for (int i = 1; i < pcs.size(); i++) {
            org.junit.jupiter.api.Assertions.assertNotEquals(pcs.get(i - 1), pcs.get(i), "each block step moved on");
        }
    }

    /**
     * Step-through-sigreturn: from the handler's ret, single steps go into glibc's rt_sigreturn
     * trampoline (mov $15,%rax; syscall), and stepping its syscall lands on the interrupted
     * instruction with the interrupted registers back (rax = tgkill's 0).
     */
    @Test
    void stepThroughSigreturnBackToTheInterruptedCode() throws Exception {
        String sr = Programs.path("sigreturn");
        long handlerRet = symbol(sr, "sr_handler_ret");
        long afterKill = symbol(sr, "after_kill");
        List<long[]> steps = new CopyOnWriteArrayList<>();
        List<byte[]> code = new CopyOnWriteArrayList<>();
        EngineOps ops = new EngineOps() {
            @Override
            public ResumeAction breakpoint(Engine engine, Task task, long address) {
                return ResumeAction.SINGLESTEP;
            }

            @Override
            public ResumeAction step(Engine engine, Task task) {
                Examination x = engine.examine();
                long pc = x.registers().pc();
                steps.add(new long[] {pc, x.registers().get("rax")});
                code.add(x.read(pc, 9));
                return steps.size() < 3 ? ResumeAction.SINGLESTEP : ResumeAction.RESUME;
            }
        };
        Engine e = tracing.launch(Programs.spec("sigreturn"), ops, "stepper", EnumSet.of(Event.BREAKPOINT, Event.STEP));
        e.insertBreakpoint(handlerRet);
        e.control(ResumeAction.RESUME);
        assertEquals("handled=1 tgkill=0\n", Programs.readAll(e.task().process().stdout()));
        assertEquals(0, await(e.task().process().exitStatus()).code());
        assertEquals(3, steps.size());
        long restorer = steps.get(0)[0];
        byte[] trampoline = {0x48, (byte) 0xc7, (byte) 0xc0, 0x0f, 0, 0, 0, 0x0f, 0x05}; // mov $15,%rax; syscall
        assertEquals(java.util.Arrays.toString(trampoline), java.util.Arrays.toString(code.get(0)),
                "the handler returned into the rt_sigreturn trampoline");
        assertEquals(restorer + 7, steps.get(1)[0], "then onto its syscall");
        assertEquals(afterKill, steps.get(2)[0], "rt_sigreturn resumes the interrupted code where the signal came");
        assertEquals(0, steps.get(2)[1], "with the interrupted registers: tgkill's result in rax");
    }

    /** Step over fork: the parent's step ends right after the syscall; the unfollowed child is let go, runs and exits 5. */
    @Test
    void stepOverForkLandsAfterTheSyscallAndTheChildRunsOn() throws Exception {
        stepOverFork("fork", false);
    }

    @Test
    void stepOverVforkLandsAfterTheSyscallAndTheChildRunsOn() throws Exception {
        stepOverFork("vfork", false);
    }

    /** The same step started from a hardware breakpoint (no int3 to step off: a plain step of the syscall). */
    @Test
    void stepOverForkFromAHardwareBreakpoint() throws Exception {
        assumeTrappingDebugRegisters();
        stepOverFork("fork", false, true);
    }

    /** The same with the child followed: the engine attached to it sees it run and exit 5 without a trap. */
    @Test
    void stepOverAFollowedForkSeesTheChildExit() throws Exception {
        stepOverFork("fork", true);
    }

    /** Step over a clone of a thread: the new thread runs untrapped and its exit is seen. */
    @Test
    void stepOverCloneOfAThreadSeesTheThreadExit() throws Exception {
        stepOverFork("thread", true);
    }

    private void stepOverFork(String mode, boolean follow) throws Exception {
        stepOverFork(mode, follow, false);
    }

    private void stepOverFork(String mode, boolean follow, boolean hardware) throws Exception {
        String bin = Programs.path("forkstep");
        long atFork = symbol(bin, "at_fork");
        long afterFork = symbol(bin, "after_fork");
        List<long[]> steps = new CopyOnWriteArrayList<>();
        List<String> child = new CopyOnWriteArrayList<>();
        EngineOps childOps = new EngineOps() {
            @Override
            public ResumeAction signal(Engine engine, Task task, SignalReport report) {
                child.add("signal " + Signal.name(report.signal()));
                return ResumeAction.RESUME;
            }

            @Override
            public ResumeAction death(Engine engine, Task task, ExitStatus status) {
                child.add("death " + status.code());
                return ResumeAction.RESUME;
            }
        };
        EngineOps ops = new EngineOps() {
            @Override
            public ResumeAction breakpoint(Engine engine, Task task, long address) {
                return ResumeAction.SINGLESTEP;
            }

            @Override
            public ResumeAction watchpoint(Engine engine, Task task, Watchpoint wp, long dataAddress) {
                return ResumeAction.SINGLESTEP;
            }

            @Override
            public ResumeAction step(Engine engine, Task task) {
                Examination x = engine.examine();
                steps.add(new long[] {x.registers().pc(), x.registers().get("rax")});
                return ResumeAction.RESUME;
            }

            @Override
            public ResumeAction clone(Engine engine, Task parent, Task c, CloneKind kind) {
                child.add("clone " + kind);
                tracing.attach(c, childOps, "child", EnumSet.of(Event.DEATH, Event.SIGNAL));
                // This stop is inside the stepped syscall. An engine called here decides anew (the
                // last round decides): SINGLESTEP finishes the step as the syscall returns, where
                // RESUME would cancel it. Engines not called here keep their step.
                return ResumeAction.SINGLESTEP;
            }
        };
        EnumSet<Event> events = EnumSet.of(Event.BREAKPOINT, Event.WATCHPOINT, Event.STEP);
        if (follow) {
            events.add(Event.CLONE);
        }
        Engine e = tracing.launch(Programs.spec("forkstep", mode), ops, "stepper", events);
        e.task().process().setFollowForks(follow);
        if (hardware) {
            e.insertWatchpoint(atFork, 1, WatchKind.EXECUTE);
        } else {
            e.insertBreakpoint(atFork);
        }
        e.control(ResumeAction.RESUME);
        assertEquals("child=5\n", Programs.readAll(e.task().process().stdout()), "the parent saw its child run to its end");
        assertEquals(0, await(e.task().process().exitStatus()).code());
        assertEquals(1, steps.size(), "one STEP for one step");
        assertEquals(afterFork, steps.get(0)[0], "the parent's step ends right after the syscall instruction");
        assertTrue(steps.get(0)[1] > 0, "in the parent, with the child's id in rax: " + steps.get(0)[1]);
        if (follow) {
            String kind = mode.equals("thread") ? "THREAD" : "FORK";
            assertEquals(List.of("clone " + kind, "death " + (mode.equals("thread") ? 0 : 5)), child,
                    "the child ran without a trap or signal and its exit was seen");
        }
    }

    /**
     * PTRACE_SINGLEBLOCK stops only at taken branches' targets: from bs_start, bs_top twice and
     * bs_target, never bs_skipped. Where the CPU (or hypervisor) gives no branch trap the
     * service, or the hardware, single-steps instead, and then the stops must be every
     * instruction of the loop in order: either way the list is exact.
     */
    @Test
    void blockStepLandsOnTheTakenBranchesTargets() throws Exception {
        String bs = Programs.path("blockstep");
        long begin = symbol(bs, "bs_begin");
        long start = symbol(bs, "bs_start");
        long top = symbol(bs, "bs_top");
        long jnz = symbol(bs, "bs_jnz");
        long after = symbol(bs, "bs_after");
        long target = symbol(bs, "bs_target");
        List<Long> pcs = new CopyOnWriteArrayList<>();
        EngineOps ops = new EngineOps() {
            @Override
            public ResumeAction breakpoint(Engine engine, Task task, long address) {
                return ResumeAction.BLOCKSTEP;
            }

            @Override
            public ResumeAction step(Engine engine, Task task) {
                long pc = engine.examine().registers().pc();
                pcs.add(pc);
                return pc == target || pcs.size() > 20 ? ResumeAction.RESUME : ResumeAction.BLOCKSTEP;
            }
        };
        Engine e = tracing.launch(Programs.spec("blockstep"), ops, "blockstepper", EnumSet.of(Event.BREAKPOINT, Event.STEP));
        e.insertBreakpoint(begin); // stepping off the breakpoint is one instruction: the first STEP is at bs_start
        e.control(ResumeAction.RESUME);
        assertEquals(0, await(e.task().process().exitStatus()).code());
        List<Long> branchTargets = List.of(start, top, top, target);
        List<Long> everyInstruction = List.of(start, top, jnz, top, jnz, top, jnz, after, target);
        assertTrue(pcs.equals(branchTargets) || pcs.equals(everyInstruction), "stops: " + hex(pcs));
        System.out.println("block step on this machine: " + (pcs.equals(branchTargets) ? "branch trap (BTF)" : "single-step fallback"));
    }

    private static List<String> hex(List<Long> l) {
        return l.stream().map(Long::toHexString).toList();
    }
}
