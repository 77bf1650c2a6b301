package dev.multitrace.dsf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.session.DebugSession;
import dev.multitrace.testing.TestPrograms;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.eclipse.cdt.dsf.datamodel.IDMContext;
import org.eclipse.cdt.dsf.debug.service.IBreakpoints.IBreakpointDMContext;
import org.eclipse.cdt.dsf.debug.service.IBreakpointsExtension.IBreakpointHitDMEvent;
import org.eclipse.cdt.dsf.debug.service.IExpressions.IExpressionDMAddress;
import org.eclipse.cdt.dsf.debug.service.IExpressions.IExpressionDMContext;
import org.eclipse.cdt.dsf.debug.service.IFormattedValues;
import org.eclipse.cdt.dsf.debug.service.IFormattedValues.FormattedValueDMData;
import org.eclipse.cdt.dsf.debug.service.IRegisters.IRegisterDMContext;
import org.eclipse.cdt.dsf.debug.service.IRegisters.IRegisterGroupDMContext;
import org.eclipse.cdt.dsf.debug.service.IRunControl.IExecutionDMContext;
import org.eclipse.cdt.dsf.debug.service.IRunControl.IExitedDMEvent;
import org.eclipse.cdt.dsf.debug.service.IRunControl.IResumedDMEvent;
import org.eclipse.cdt.dsf.debug.service.IRunControl.ISuspendedDMEvent;
import org.eclipse.cdt.dsf.debug.service.IRunControl.StateChangeReason;
import org.eclipse.cdt.dsf.debug.service.IRunControl.StepType;
import org.eclipse.cdt.dsf.debug.service.IStack.IFrameDMContext;
import org.eclipse.cdt.dsf.debug.service.IStack.IFrameDMData;
import org.eclipse.cdt.utils.Addr64;
import org.eclipse.debug.core.model.MemoryByte;
import org.junit.jupiter.api.Test;

/**
 * The DSF services on a real program (the shared loop.c), in a DSF session with no UI: launch to main, run
 * control, the stack, registers, memory, expressions, and target breakpoints of each kind through IBreakpoints.
 */
class DsfServicesTest extends DsfProgramTestCase {

    private MultitraceRunControl runControl;
    private MultitraceStack stack;
    private MultitraceRegisters registers;
    private MultitraceMemory memory;
    private MultitraceExpressions expressions;
    private MultitraceBreakpoints breakpoints;

    /** Launches loop through IProcesses and waits for its stop at main. */
    private void launchLoopToMain() throws Exception {
        ISuspendedDMEvent atMain = launchToMain("loop", false);
        runControl = dsf.service(MultitraceRunControl.class);
        stack = dsf.service(MultitraceStack.class);
        registers = dsf.service(MultitraceRegisters.class);
        memory = dsf.service(MultitraceMemory.class);
        expressions = dsf.service(MultitraceExpressions.class);
        breakpoints = dsf.service(MultitraceBreakpoints.class);
        assertEquals(StateChangeReason.BREAKPOINT, atMain.getReason(), "stop at main is a (temporary) breakpoint stop");
    }

    private IFrameDMData topFrame() throws Exception {
        IFrameDMContext top = dsf.call(rm -> stack.getTopFrame(thread, rm));
        assertEquals(0, top.getLevel());
        return dsf.call(rm -> stack.getFrameData(top, rm));
    }

    private String value(IDMContext formatted, String format) throws Exception {
        FormattedValueDMData d = dsf.call(rm -> {
            if (formatted instanceof IRegisterDMContext r) {
                registers.getFormattedExpressionValue(registers.getFormattedValueContext(r, format), rm);
            } else {
                IExpressionDMContext e = (IExpressionDMContext) formatted;
                expressions.getFormattedExpressionValue(expressions.getFormattedValueContext(e, format), rm);
            }
        });
        return d.getFormattedValue();
    }

    private IRegisterDMContext register(String name) throws Exception {
        IFrameDMContext top = dsf.call(rm -> stack.getTopFrame(thread, rm));
        return dsf.call(rm -> registers.findRegister(top, name, rm));
    }

    private long expression(String text) throws Exception {
        IExpressionDMContext e = dsf.call(rm -> {
            rm.setData(expressions.createExpression(thread, text));
            rm.done();
        });
        return Long.parseLong(value(e, IFormattedValues.DECIMAL_FORMAT));
    }

    private void step(StepType type) throws Exception {
        dsf.run(rm -> runControl.step(thread, type, rm));
        IResumedDMEvent resumed = dsf.events.next(IResumedDMEvent.class, e -> e.getDMContext().equals(thread));
        assertEquals(StateChangeReason.STEP, resumed.getReason());
        ISuspendedDMEvent stopped = dsf.events.next(ISuspendedDMEvent.class, e -> e.getDMContext().equals(thread));
        assertEquals(StateChangeReason.STEP, stopped.getReason());
    }

    private IBreakpointDMContext insert(Map<String, Object> attributes) throws Exception {
        return dsf.call(rm -> breakpoints.insertBreakpoint(process, attributes, rm));
    }

    private IBreakpointDMContext resumeToBreakpoint() throws Exception {
        dsf.run(rm -> runControl.resume(process, rm));
        IBreakpointHitDMEvent hit = dsf.events.next(IBreakpointHitDMEvent.class, e -> e.getDMContext().equals(thread));
        assertEquals(1, hit.getBreakpoints().length);
        return hit.getBreakpoints()[0];
    }

    @Test
    void launchStopsAtMainThenLineAndInstructionStepsMoveThePc() throws Exception {
        launchLoopToMain();
        assertTrue(dsf.<Boolean>call(rm -> {
            rm.setData(runControl.isSuspended(thread) && runControl.isSuspended(process));
            rm.done();
        }));
        IExecutionDMContext[] threads = dsf.call(rm -> runControl.getExecutionContexts(process, rm));
        assertArrayEquals(new IExecutionDMContext[] { thread }, threads);
        IFrameDMData main = topFrame();
        assertEquals("main", main.getFunction());
        assertEquals(TestPrograms.mark("loop", "main-first"), main.getLine());
        assertTrue(main.getFile().endsWith("loop.c"), main.getFile());

        step(StepType.STEP_OVER);
        assertEquals(TestPrograms.mark("loop", "after-signal"), topFrame().getLine(), "step over ran signal() to its return");

        BigInteger before = topFrame().getAddress().getValue();
        step(StepType.INSTRUCTION_STEP_INTO);
        BigInteger after = topFrame().getAddress().getValue();
        assertNotEquals(before, after, "one instruction moved the pc");
        assertEquals("0x" + after.toString(16), value(register("rip"), IFormattedValues.HEX_FORMAT),
                "rip is the top frame's address");

        dsf.run(rm -> runControl.resume(thread, rm));
        dsf.events.next(IExitedDMEvent.class, e -> e.getDMContext().equals(process));
        assertEquals(7, dsf.debugSession().process().exitStatus().get().code());
    }

    @Test
    void aLineBreakpointInACalleeShowsTheStackAndStepReturnGoesBackToTheCaller() throws Exception {
        launchLoopToMain();
        IBreakpointDMContext bp = insert(Map.of(MultitraceBreakpoints.KIND, MultitraceBreakpoints.LINE_KIND,
                MultitraceBreakpoints.FILE, "loop.c", MultitraceBreakpoints.LINE, TestPrograms.mark("loop", "square-body")));
        assertEquals(bp, resumeToBreakpoint());
        IBreakpointDMContext[] why = dsf.call(rm -> breakpoints.getExecutionContextBreakpoints(thread, rm));
        assertArrayEquals(new IBreakpointDMContext[] { bp }, why);

        IFrameDMContext[] frames = dsf.call(rm -> stack.getFrames(thread, rm));
        assertEquals(2, dsf.<Integer>call(rm -> stack.getStackDepth(thread, 2, rm)));
        assertTrue(frames.length >= 2, Arrays.toString(frames));
        IFrameDMData square = dsf.call(rm -> stack.getFrameData(frames[0], rm));
        IFrameDMData caller = dsf.call(rm -> stack.getFrameData(frames[1], rm));
        assertEquals("square", square.getFunction());
        assertEquals(TestPrograms.mark("loop", "square-body"), square.getLine());
        assertEquals("main", caller.getFunction());
        assertEquals(TestPrograms.mark("loop", "loop-call"), caller.getLine());

        dsf.run(rm -> breakpoints.removeBreakpoint(bp, rm));
        step(StepType.STEP_RETURN);
        IFrameDMData back = topFrame();
        assertEquals("main", back.getFunction());
        assertEquals(TestPrograms.mark("loop", "loop-call"), back.getLine());
    }

    @Test
    void registersReadInEveryFormatAndWrite() throws Exception {
        launchLoopToMain();
        IFrameDMContext top = dsf.call(rm -> stack.getTopFrame(thread, rm));
        IRegisterGroupDMContext[] groups = dsf.call(rm -> registers.getRegisterGroups(top, rm));
        assertEquals(2, groups.length, "General and SSE");
        assertEquals(MultitraceRegisters.GENERAL_GROUP, dsf.call(
                (org.eclipse.cdt.dsf.concurrent.DataRequestMonitor<org.eclipse.cdt.dsf.debug.service.IRegisters.IRegisterGroupDMData> rm) -> registers
                        .getRegisterGroupData(groups[0], rm)).getName());
        IRegisterDMContext[] all = dsf.call(rm -> registers.getRegisters(groups[0], rm));
        assertTrue(all.length >= 27, "the user_regs_struct registers: " + all.length);

        DebugSession s = dsf.debugSession();
        long rsp = s.registers(thread.tid()).get("rsp");
        IRegisterDMContext rspReg = register("rsp");
        assertEquals("0x" + Long.toHexString(rsp), value(rspReg, IFormattedValues.NATURAL_FORMAT));
        assertEquals(Long.toString(rsp), value(rspReg, IFormattedValues.DECIMAL_FORMAT));
        assertEquals(Long.toBinaryString(rsp), value(rspReg, IFormattedValues.BINARY_FORMAT));
        assertEquals("0" + Long.toOctalString(rsp), value(rspReg, IFormattedValues.OCTAL_FORMAT));

        IRegisterDMContext rax = register("rax");
        dsf.run(rm -> registers.writeRegister(rax, "0x1234", IFormattedValues.HEX_FORMAT, rm));
        assertEquals("4660", value(rax, IFormattedValues.DECIMAL_FORMAT));
        assertEquals(0x1234, s.registers(thread.tid()).get("rax"), "written into the thread");
        assertEquals(0x1234, expression("$rax"));
    }

    @Test
    void memoryAndExpressionsReadAndWriteTheProgramsData() throws Exception {
        launchLoopToMain();
        long counter = expression("&counter");
        assertNotEquals(0, counter);
        assertEquals(0, expression("*(int*)&counter"));

        dsf.run(rm -> memory.setMemory(process, new Addr64(BigInteger.valueOf(counter)), 0, 1, 4,
                new byte[] { 42, 0, 0, 0 }, rm));
        assertEquals(42, expression("*(int*)&counter"), "the expression reads what memory wrote");
        MemoryByte[] read = dsf.call(rm -> memory.getMemory(process, new Addr64(BigInteger.valueOf(counter)), 0, 4, 1, rm));
        assertEquals(4, read.length);
        assertEquals(42, read[0].getValue());
        assertTrue(read[0].isReadable());

        dsf.run(rm -> memory.fillMemory(process, new Addr64(BigInteger.valueOf(counter)), 0, 1, 2, new byte[] { 1, 0 }, rm));
        assertEquals(0x0001_0001, expression("*(int*)&counter"), "the pattern twice");

        IExpressionDMContext load = dsf.call(rm -> {
            rm.setData(expressions.createExpression(thread, "*(int*)&counter"));
            rm.done();
        });
        IExpressionDMAddress where = dsf.call(rm -> expressions.getExpressionAddressData(load, rm));
        assertEquals(BigInteger.valueOf(counter), where.getAddress().getValue());
        assertEquals(4, where.getSize());
        dsf.run(rm -> expressions.writeExpression(load, "7", IFormattedValues.DECIMAL_FORMAT, rm));
        assertEquals(7, expression("*(int*)&counter"));

        // Memory the process does not map: the bytes come back unreadable, not as a failure.
        MemoryByte[] none = dsf.call(rm -> memory.getMemory(process, new Addr64(BigInteger.valueOf(8)), 0, 1, 4, rm));
        assertFalse(none[0].isReadable());

        ExecutionException bad = assertThrows(ExecutionException.class, () -> expression("*(int*"));
        assertTrue(bad.getMessage().contains("column") || bad.getCause() != null, bad.toString());
    }

    @Test
    void functionAddressConditionIgnoreCountAndTemporaryTargetBreakpoints() throws Exception {
        launchLoopToMain();
        DebugSession s = dsf.debugSession();
        // A function breakpoint with an ignore count: square(0) and square(1) pass, square(2) stops.
        IBreakpointDMContext fn = insert(Map.of(MultitraceBreakpoints.KIND, MultitraceBreakpoints.FUNCTION_KIND,
                MultitraceBreakpoints.FUNCTION, "square", MultitraceBreakpoints.IGNORE_COUNT, 2));
        assertEquals(fn, resumeToBreakpoint());
        assertEquals("square", topFrame().getFunction());
        assertEquals(2, expression("$rdi"), "the third call, x == 2");
        dsf.run(rm -> breakpoints.removeBreakpoint(fn, rm));

        // A conditional address breakpoint on the counting line: stops when counter reaches 4.
        long at = s.symbols().addressesFor("loop.c", TestPrograms.mark("loop", "loop-count"))[0];
        IBreakpointDMContext addr = insert(Map.of(MultitraceBreakpoints.KIND, MultitraceBreakpoints.ADDRESS_KIND,
                MultitraceBreakpoints.ADDRESS, "0x" + Long.toHexString(at),
                MultitraceBreakpoints.CONDITION, "*(int*)&counter == 4"));
        assertEquals(addr, resumeToBreakpoint());
        assertEquals(BigInteger.valueOf(at), topFrame().getAddress().getValue());
        assertEquals(4, expression("*(int*)&counter"));
        dsf.run(rm -> breakpoints.removeBreakpoint(addr, rm));

        // A temporary line breakpoint on the print: stops once and is gone from the process.
        IBreakpointDMContext temp = insert(Map.of(MultitraceBreakpoints.KIND, MultitraceBreakpoints.LINE_KIND,
                MultitraceBreakpoints.FILE, TestPrograms.source("loop").toString(), MultitraceBreakpoints.LINE,
                TestPrograms.mark("loop", "print"), MultitraceBreakpoints.TEMPORARY, true));
        assertEquals(temp, resumeToBreakpoint());
        assertEquals(TestPrograms.mark("loop", "print"), topFrame().getLine());
        assertTrue(s.breakpoints().isEmpty(), "the temporary breakpoint is planted no more: " + s.breakpoints());

        // A disabled one is kept but not planted.
        IBreakpointDMContext off = insert(Map.of(MultitraceBreakpoints.KIND, MultitraceBreakpoints.FUNCTION_KIND,
                MultitraceBreakpoints.FUNCTION, "main", MultitraceBreakpoints.ENABLED, false));
        assertEquals(2, dsf.<IBreakpointDMContext[]>call(rm -> breakpoints.getBreakpoints(process, rm)).length);
        assertFalse(dsf.<org.eclipse.cdt.dsf.debug.service.IBreakpoints.IBreakpointDMData>call(
                rm -> breakpoints.getBreakpointDMData(off, rm)).isEnabled());
        assertTrue(s.breakpoints().isEmpty());

        // A bad condition is refused with the parser's reason.
        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> insert(Map.of(MultitraceBreakpoints.KIND, MultitraceBreakpoints.FUNCTION_KIND,
                        MultitraceBreakpoints.FUNCTION, "square", MultitraceBreakpoints.CONDITION, "$rdi ==")));
        assertTrue(refused.getMessage().contains("bad condition"), refused.getMessage());

        dsf.run(rm -> runControl.resume(process, rm));
        dsf.events.next(IExitedDMEvent.class, e -> e.getDMContext().equals(process));
        assertEquals(7, s.process().exitStatus().get().code());
    }

    @Test
    void suspendStopsARunningProgram() throws Exception {
        dsf = new DsfHarness(false);
        runControl = dsf.service(MultitraceRunControl.class);
        stack = dsf.service(MultitraceStack.class);
        MultitraceProcesses processes = dsf.service(MultitraceProcesses.class);
        process = (ProcessContext) dsf.<IDMContext>call(rm -> processes.debugNewProcess(null,
                TestPrograms.path("spin").toString(), Map.of(MultitraceProcesses.STOP_AT_MAIN, false), rm));
        thread = new ThreadContext(process, process.pid());
        Thread.sleep(200);
        assertFalse(dsf.<Boolean>call(rm -> {
            rm.setData(runControl.isSuspended(thread));
            rm.done();
        }));
        dsf.run(rm -> runControl.suspend(process, rm));
        ISuspendedDMEvent stopped = dsf.events.next(ISuspendedDMEvent.class, e -> e.getDMContext().equals(thread));
        assertEquals(StateChangeReason.USER_REQUEST, stopped.getReason());
        assertInstanceOf(IFrameDMContext.class, dsf.<IFrameDMContext>call(rm -> stack.getTopFrame(thread, rm)));
        dsf.run(rm -> dsf.service(MultitraceProcesses.class).terminate(process, rm));
        dsf.events.next(IExitedDMEvent.class, e -> e.getDMContext().equals(process));
    }
}
