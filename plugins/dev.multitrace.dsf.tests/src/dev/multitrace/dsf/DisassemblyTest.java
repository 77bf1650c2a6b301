package dev.multitrace.dsf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.multitrace.core.Disassembler;
import dev.multitrace.session.CodeBreakpoint;
import dev.multitrace.session.DebugSession;
import dev.multitrace.session.FunctionInfo;
import dev.multitrace.testing.OrphanProcess;
import dev.multitrace.testing.TestPrograms;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.cdt.dsf.debug.service.IInstruction;
import org.eclipse.cdt.dsf.debug.service.IInstructionWithRawOpcodes;
import org.eclipse.cdt.dsf.debug.service.IInstructionWithSize;
import org.eclipse.cdt.dsf.debug.service.IMixedInstruction;
import org.eclipse.cdt.dsf.debug.service.IRunControl.ISuspendedDMEvent;
import org.eclipse.cdt.dsf.debug.service.IRunControl.StepType;
import org.eclipse.cdt.dsf.debug.service.IStack.IFrameDMContext;
import org.eclipse.cdt.dsf.debug.service.IStack.IFrameDMData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Disassembly view's service on real programs, against {@code objdump -d} of the same file: every
 * instruction of every function of the program's .text (loop at -O0, probeprog at -O2), with a breakpoint
 * planted in one of them. Addresses, lengths and bytes must be equal; the text is compared after these
 * normalizations of the two tools' spellings (Capstone 4 / binutils 2.40):
 * <ul>
 * <li>Capstone writes the operand-size suffix objdump leaves out when a register implies it ({@code movl},
 * {@code callq}, {@code retq}): a Capstone mnemonic that is objdump's plus {@code b/w/l/q} is equal;</li>
 * <li>numbers are compared by value (Capstone writes small ones in decimal: {@code $8}, {@code -4(%rbp)});</li>
 * <li>spaces are ignored; objdump's {@code # 4040 <counter>} comments are dropped;</li>
 * <li>objdump writes a scale of 1 ({@code (%rax,%rbx,1)}) and a zero displacement ({@code 0x0(%rax)}),
 * Capstone leaves both out;</li>
 * <li>a direct branch's target is objdump's file address ({@code 1227 <main+0x4c>}) and Capstone's run-time
 * address ({@code 0x555555555227}): compared as numbers after the load bias;</li>
 * <li>a shift by one ({@code d1 /7}) is {@code sar %rsi} in objdump and {@code sarq $1, %rsi} in Capstone;</li>
 * <li>{@code movq %rax,%xmm1} ({@code 66 48 0f 6e}) is named {@code movd} by Capstone 4;</li>
 * <li>objdump writes a segment override of an instruction as a word before it ({@code cs nopw 0x0(%rax,%rax,1)},
 * alignment inside a function at -O2), Capstone on the operand ({@code nopw %cs:(%rax, %rax)}); and a
 * redundant operand-size prefix as {@code data16}, which Capstone does not write.</li>
 * </ul>
 * Padding between functions (where objdump writes {@code cs nopw} and {@code xchg %ax,%ax}) is outside every
 * function's symbol and not compared.
 */
class DisassemblyTest {

    private static final Set<String> SHIFTS = Set.of("sar", "shr", "shl", "sal", "rol", "ror", "rcl", "rcr");
    private static final Pattern FUNCTION = Pattern.compile("^([0-9a-f]+) <([^>]+)>:$");
    private static final Pattern LINE = Pattern.compile("^\\s+([0-9a-f]+):\\t([0-9a-f ]+?)\\s*\\t(.*)$");
    private static final Pattern NUMBER = Pattern.compile("(?<![%\\w])(-?)(0x[0-9a-f]+|\\d+)");
    private static final Pattern SEGMENT_PREFIX = Pattern.compile("^(cs|ds|es|ss|fs|gs) (\\w+)\\s+(.*)$");
    private static final Pattern BRANCH_TARGET = Pattern.compile("^([0-9a-f]+) <[^>]*>$");

    private DsfHarness dsf;

    @AfterEach
    void end() throws Exception {
        if (dsf != null) {
            dsf.close();
        }
    }

    /** One instruction as objdump prints it (file address). */
    private record ObjdumpLine(long address, byte[] bytes, String mnemonic, String operands) {
    }

    /** objdump -d -w of the .text section: each function's instructions, by name. */
    private static Map<String, List<ObjdumpLine>> objdump(String program) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("objdump", "-d", "-w", "-j", ".text", TestPrograms.path(program).toString())
                .redirectErrorStream(true).start(); // objdump is no tracee: ProcessBuilder is fine for it
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, out);
        Map<String, List<ObjdumpLine>> functions = new LinkedHashMap<>();
        List<ObjdumpLine> current = null;
        for (String line : out.split("\n")) {
            Matcher f = FUNCTION.matcher(line);
            if (f.matches()) {
                current = new ArrayList<>();
                functions.put(f.group(2), current);
                continue;
            }
            Matcher l = LINE.matcher(line);
            if (l.matches() && current != null) {
                String text = l.group(3).replaceFirst("\\s+#.*$", "").strip();
                // prefixes objdump writes as words: a redundant 0x66, and a segment Capstone puts on the operand
                text = text.replaceFirst("^(data16 )+", "");
                Matcher segment = SEGMENT_PREFIX.matcher(text);
                if (segment.matches()) {
                    text = segment.group(2) + " %" + segment.group(1) + ":" + segment.group(3);
                }
                int space = text.indexOf(' ');
                current.add(new ObjdumpLine(Long.parseLong(l.group(1), 16), HexFormat.of().parseHex(l.group(2).replace(" ", "")),
                        space < 0 ? text : text.substring(0, space), space < 0 ? "" : text.substring(space).strip()));
            }
        }
        return functions;
    }

    private static String canonical(String operands) {
        String s = operands.replaceAll("\\s+", "").replace(",1)", ")");
        Matcher m = NUMBER.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String digits = m.group(2);
            long v = digits.startsWith("0x") ? Long.parseUnsignedLong(digits.substring(2), 16) : Long.parseLong(digits);
            m.appendReplacement(out, m.group(1) + "0x" + Long.toHexString(v));
        }
        m.appendTail(out);
        return out.toString().replace("0x0(", "(");
    }

    /** Why Capstone's instruction differs from objdump's after the normalizations, or null if it does not. */
    private static String difference(ObjdumpLine o, IInstruction c, long bias) {
        String mnemonic = c.getOpcode();
        String operands = c.getArgs();
        if (!mnemonic.equals(o.mnemonic()) && mnemonic.length() == o.mnemonic().length() + 1
                && mnemonic.startsWith(o.mnemonic()) && "bwlq".indexOf(mnemonic.charAt(mnemonic.length() - 1)) >= 0) {
            mnemonic = o.mnemonic();
        }
        if (mnemonic.equals("movd") && o.mnemonic().equals("movq") && operands.matches("%r\\w+, %xmm\\d+")) {
            mnemonic = "movq";
        }
        String theirs = o.operands();
        Matcher target = BRANCH_TARGET.matcher(theirs);
        if (target.matches()) {
            long fileTarget = Long.parseLong(target.group(1), 16);
            return mnemonic.equals(o.mnemonic()) && operands.equals("0x" + Long.toHexString(fileTarget + bias)) ? null
                    : "branch " + c.getInstruction() + " vs " + o.mnemonic() + " " + theirs;
        }
        if (SHIFTS.contains(o.mnemonic()) && !theirs.contains(",")) {
            theirs = "$1," + theirs;
        }
        if (mnemonic.equals(o.mnemonic()) && canonical(operands).equals(canonical(theirs))) {
            return null;
        }
        return c.getInstruction() + " vs " + o.mnemonic() + " " + o.operands();
    }

    private ProcessContext launchToMain(String program) throws Exception {
        dsf = new DsfHarness(false);
        dsf.launchToMain(program);
        return dsf.process;
    }

    private IInstruction[] instructions(ProcessContext process, long start, long end) throws Exception {
        MultitraceDisassembly disassembly = dsf.service(MultitraceDisassembly.class);
        return dsf.call(rm -> disassembly.getInstructions(process, MultitraceDisassembly.unsigned(start),
                MultitraceDisassembly.unsigned(end), rm));
    }

    private static byte[] bytesOf(IInstruction i) {
        int size = ((IInstructionWithSize) i).getSize();
        String hex = ((IInstructionWithRawOpcodes) i).getRawOpcodes().toString(16);
        return HexFormat.of().parseHex("0".repeat(2 * size - hex.length()) + hex);
    }

    /** Compares every .text function of {@code program}; returns how many instructions were equal. */
    private int compareWithObjdump(String program, String breakpointIn) throws Exception {
        assumeTrue(Disassembler.unavailableReason() == null, Disassembler.unavailableReason());
        Map<String, List<ObjdumpLine>> functions = objdump(program);
        ProcessContext process = launchToMain(program);
        DebugSession s = dsf.debugSession();
        long bias = s.symbolAddress("main").getAsLong() - functions.get("main").get(0).address();
        // a breakpoint on the second instruction of a function: its int3 must not show
        long planted = functions.get(breakpointIn).get(1).address() + bias;
        s.addBreakpoint(new CodeBreakpoint("test", new long[] { planted }, null, 0, Set.of(), null));
        assertEquals((byte) 0xcc, OrphanProcess.readByte(process.pid(), planted), "the breakpoint is planted");
        int equal = 0;
        List<String> differences = new ArrayList<>();
        for (var f : functions.entrySet()) {
            long start = f.getValue().get(0).address() + bias;
            FunctionInfo fn = s.symbols().functionAt(start).orElse(null);
            if (fn == null || fn.start() != start || fn.size() == 0) {
                continue; // no sized symbol starts here (objdump also names labels)
            }
            IInstruction[] ours = instructions(process, start, start + fn.size());
            List<ObjdumpLine> theirs = f.getValue().stream().filter(o -> o.address() + bias < start + fn.size()).toList();
            assertEquals(theirs.size(), ours.length, f.getKey() + ": instruction count");
            for (int i = 0; i < ours.length; i++) {
                ObjdumpLine o = theirs.get(i);
                IInstruction c = ours[i];
                String where = f.getKey() + "+0x" + Long.toHexString(o.address() + bias - start);
                assertEquals(o.address() + bias, c.getAdress().longValue(), where + ": address");
                assertEquals(o.bytes().length, ((IInstructionWithSize) c).getSize(), where + ": length");
                assertEquals(HexFormat.of().formatHex(o.bytes()), HexFormat.of().formatHex(bytesOf(c)), where + ": bytes");
                assertEquals(f.getKey(), c.getFuntionName(), where + ": function");
                assertEquals(o.address() + bias - start, c.getOffset(), where + ": offset");
                String d = difference(o, c, bias);
                if (d == null) {
                    equal++;
                } else {
                    differences.add(where + ": " + d);
                }
            }
        }
        assertEquals(List.of(), differences, "instructions that differ from objdump's");
        return equal;
    }

    @Test
    void everyFunctionOfLoopAtO0IsObjdumpsWithNoInt3Shown() throws Exception {
        int equal = compareWithObjdump("loop", "square");
        assertTrue(equal > 60, equal + " instructions compared");
        System.out.println("DisassemblyTest: loop, " + equal + " instructions equal to objdump's");
    }

    @Test
    void everyFunctionOfProbeprogAtO2IsObjdumps() throws Exception {
        int equal = compareWithObjdump("probeprog_o2", "main");
        assertTrue(equal > 150, equal + " instructions compared");
        System.out.println("DisassemblyTest: probeprog_o2, " + equal + " instructions equal to objdump's");
    }

    @Test
    void mixedModeGroupsByLineWhoseSourceIsFoundAndALineRangeStartsAtTheLine() throws Exception {
        assumeTrue(Disassembler.unavailableReason() == null, Disassembler.unavailableReason());
        ProcessContext process = launchToMain("loop");
        DebugSession s = dsf.debugSession();
        MultitraceDisassembly disassembly = dsf.service(MultitraceDisassembly.class);
        int body = TestPrograms.mark("loop", "square-body");
        FunctionInfo square = s.symbols().functionAt(s.symbolAddress("square").getAsLong()).orElseThrow();
        IMixedInstruction[] mixed = dsf.call(rm -> disassembly.getMixedInstructions(process,
                MultitraceDisassembly.unsigned(square.start()), MultitraceDisassembly.unsigned(square.start() + square.size()), rm));
        assertTrue(mixed.length >= 3, "the function's lines: " + mixed.length);
        IMixedInstruction bodyLine = Arrays.stream(mixed).filter(m -> m.getLineNumber() == body).findFirst().orElseThrow();
        assertTrue(bodyLine.getFileName().endsWith("loop.c"), bodyLine.getFileName());
        long[] lineAddresses = s.symbols().addressesFor("loop.c", body);
        assertEquals(lineAddresses[0], bodyLine.getInstructions()[0].getAdress().longValue(), "the line starts at its row");
        int total = Arrays.stream(mixed).mapToInt(m -> m.getInstructions().length).sum();
        IInstruction[] plain = instructions(process, square.start(), square.start() + square.size());
        assertEquals(plain.length, total, "mixed mode has every instruction once");

        // the mixed line's file, as the view's source lookup finds it
        MultitraceSourceLookup sources = dsf.service(MultitraceSourceLookup.class);
        Object storage = dsf.<Object>call(rm -> sources.getSource(process, bodyLine.getFileName(), rm));
        try (var in = ((org.eclipse.core.resources.IStorage) storage).getContents()) {
            assertTrue(new String(in.readAllBytes(), StandardCharsets.UTF_8).contains("MARK:square-body"), "loop.c's text");
        }
        assertEquals(bodyLine.getFileName(), dsf.<String>call(rm -> sources.getDebuggerPath(process, storage, rm)));
        ExecutionException missing = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> dsf.<Object>call(rm -> sources.getSource(process, "/no/such/dir/loop.c", rm)));
        assertTrue(missing.getCause().getMessage().contains("source not found: /no/such/dir/loop.c"), missing.toString());

        IInstruction[] fromLine = dsf.call(rm -> disassembly.getInstructions(process, "loop.c", body, 2, rm));
        assertEquals(2, fromLine.length);
        assertEquals(lineAddresses[0], fromLine[0].getAdress().longValue());
        assertEquals("square", fromLine[0].getFuntionName());

        // an address inside an instruction aligns to that instruction's start
        BigInteger inside = plain[1].getAdress().add(BigInteger.ONE);
        BigInteger aligned = dsf.call(rm -> disassembly.alignOpCodeAddress(process, inside, rm));
        assertEquals(plain[1].getAdress(), aligned);

        // bad input: a clear failure, and the session goes on
        ExecutionException noLine = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> dsf.call((org.eclipse.cdt.dsf.concurrent.DataRequestMonitor<IInstruction[]> rm) ->
                        disassembly.getInstructions(process, "loop.c", 100_000, -1, rm)));
        assertTrue(String.valueOf(noLine.getCause().getMessage()).contains("no code for loop.c:100000"), noLine.toString());
        ExecutionException huge = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> instructions(process, square.start(), square.start() + (1L << 30)));
        assertNotEquals(null, huge.getCause().getMessage());
        assertFalse(s.isEnded());
        assertEquals(plain.length, instructions(process, square.start(), square.start() + square.size()).length);
    }

    /** The pc of the thread's top frame. */
    private long pc(ThreadContext thread) throws Exception {
        MultitraceStack stack = dsf.service(MultitraceStack.class);
        IFrameDMContext top = dsf.call(rm -> stack.getTopFrame(thread, rm));
        return dsf.<IFrameDMData>call(rm -> stack.getFrameData(top, rm)).getAddress().getValue().longValue();
    }

    private void instructionStep(ThreadContext thread, StepType type) throws Exception {
        MultitraceRunControl runControl = dsf.service(MultitraceRunControl.class);
        dsf.run(rm -> runControl.step(thread, type, rm));
        dsf.events.next(ISuspendedDMEvent.class, e -> e.getDMContext().equals(thread));
    }

    /** What the Disassembly view does in instruction stepping mode: steps by the instructions it shows. */
    @Test
    void instructionStepsGoFromOneListedInstructionToTheNext() throws Exception {
        assumeTrue(Disassembler.unavailableReason() == null, Disassembler.unavailableReason());
        ProcessContext process = launchToMain("loop");
        ThreadContext thread = new ThreadContext(process, process.pid());
        DebugSession s = dsf.debugSession();
        FunctionInfo main = s.symbols().functionAt(s.symbolAddress("main").getAsLong()).orElseThrow();
        long square = s.symbolAddress("square").getAsLong();
        IInstruction[] code = instructions(process, main.start(), main.start() + main.size());
        int at = 0;
        while (code[at].getAdress().longValue() != pc(thread)) {
            at++;
        }
        // step into each instruction up to the first call, each time onto the next one listed
        while (!code[at].getOpcode().startsWith("call")) {
            instructionStep(thread, StepType.INSTRUCTION_STEP_INTO);
            assertEquals(code[at + 1].getAdress().longValue(), pc(thread), "after " + code[at].getInstruction());
            at++;
        }
        // over that call (signal@plt): the instruction after it
        instructionStep(thread, StepType.INSTRUCTION_STEP_OVER);
        assertEquals(code[at + 1].getAdress().longValue(), pc(thread), "over " + code[at].getInstruction());
        // into the call of square: its first instruction, offset 0 in the listing
        int call = at + 1;
        while (!code[call].getArgs().equals("0x" + Long.toHexString(square))) {
            call++;
        }
        long callAt = code[call].getAdress().longValue();
        dsf.run(rm -> dsf.service(MultitraceRunControl.class).runToAddress(thread, new org.eclipse.cdt.utils.Addr64(Long.toString(callAt)), false, rm));
        dsf.events.next(ISuspendedDMEvent.class, e -> e.getDMContext().equals(thread));
        assertEquals(callAt, pc(thread));
        instructionStep(thread, StepType.INSTRUCTION_STEP_INTO);
        assertEquals(square, pc(thread));
        IInstruction first = instructions(process, square, square + 1)[0];
        assertEquals("square", first.getFuntionName());
        assertEquals(0, first.getOffset());
    }
}
