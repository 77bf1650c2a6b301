package dev.multitrace.core;

import static dev.multitrace.core.BreakpointTest.symbol;
import static dev.multitrace.core.Recorder.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
