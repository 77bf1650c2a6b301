package dev.multitrace.rsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * stepi in a busy loop while a timer signal that gdb passes silently (handle SIGALRM nostop
 * noprint pass) arrives every 2 ms. As with gdbserver, a passed signal that arrives during a
 * step the client asked for is reported to the client instead of being delivered silently (the
 * step would otherwise end with the delivery, and the thread run on): gdb then steps over the
 * handler (a breakpoint at the interrupted pc, the handler runs, one more step) and the stepi
 * stops one instruction after where it started. Every stepi is checked against the
 * instruction-level successors of the loop, and the program never runs on to done().
 */
class StepWithSignalsTest extends ServedProgramTest {

    private static final int STEPS = 300;

    @Test
    void stepiWithAPassedTimerSignalAdvancesOneInstruction() throws Exception {
        check("2000", List.of("break busy", "continue"));
    }

    /** The same when each step starts, every turn of the loop, on a breakpoint, with a software watchpoint set. */
    @Test
    void stepiFromABreakpointWithASoftwareWatchpoint() throws Exception {
        // Set at the breakpoint: from the start, gdb would single-step the whole loader to it.
        // gdb single-steps through the handler here (software watchpoint): a signal every 100 ms,
        // or one would come again each time before gdb is back where the step started.
        check("100000", List.of("break stepsig.c:20", "continue", "set can-use-hw-watchpoints 0", "watch watched"));
    }

    private void check(String periodMicros, List<String> setUp) throws Exception {
        String prog = Gdb.program("stepsig");
        int port = serve(true, prog, periodMicros);
        Path script = Files.createTempFile("stepsig", ".gdb");
        try {
            Files.writeString(script, String.join("\n",
                    "set $n = 0",
                    "set $h = handled",
                    "while $n < " + STEPS,
                    "  stepi",
                    "  printf \"PC %lx\\n\", $pc",
                    "  set $n = $n + 1",
                    "end",
                    "printf \"HANDLED %d\\n\", handled - $h",
                    ""));
            List<String> cmds = new ArrayList<>(List.of(
                    "target remote 127.0.0.1:" + port,
                    "handle SIGALRM nostop noprint pass",
                    "break done"));
            cmds.addAll(setUp);
            cmds.add("disassemble busy");
            cmds.add("source " + script);
            cmds.add("kill");
            Gdb.Run run = Gdb.run(prog, cmds);
            assertFalse(run.has("Breakpoint 1, done"), "a step ran on to done():\n" + show(run));
            assertFalse(run.has("exited"), show(run));
            Map<Long, Set<Long>> successors = successors(run.output());
            assertTrue(successors.size() > 5, "the disassembly of busy:\n" + show(run));
            List<Long> pcs = new ArrayList<>();
            Matcher m = Pattern.compile("(?m)^PC ([0-9a-f]+)$").matcher(run.output());
            while (m.find()) {
                pcs.add(Long.parseUnsignedLong(m.group(1), 16));
            }
            assertEquals(STEPS, pcs.size(), show(run));
            for (int i = 1; i < pcs.size(); i++) {
                Set<Long> next = successors.get(pcs.get(i - 1));
                assertTrue(next != null && next.contains(pcs.get(i)), "stepi " + i + " went from 0x"
                        + Long.toHexString(pcs.get(i - 1)) + " to 0x" + Long.toHexString(pcs.get(i)) + ":\n" + show(run));
            }
            Matcher h = Pattern.compile("(?m)^HANDLED (\\d+)$").matcher(run.output());
            assertTrue(h.find(), show(run));
            assertTrue(Integer.parseInt(h.group(1)) > 0, "no SIGALRM came during the steps:\n" + show(run));
        } finally {
            Files.deleteIfExists(script);
        }
    }

    /** Each instruction of gdb's "disassemble" listing to the next one and, for a jump, its target. */
    private static Map<Long, Set<Long>> successors(String output) {
        Pattern line = Pattern.compile("(?m)^(?:=> |   )0x([0-9a-f]+) <\\+\\d+>:\\s+(\\S+)\\s*(.*)$");
        Matcher m = line.matcher(output);
        List<long[]> insns = new ArrayList<>();
        List<String> ops = new ArrayList<>();
        List<String> args = new ArrayList<>();
        while (m.find()) {
            insns.add(new long[] {Long.parseUnsignedLong(m.group(1), 16)});
            ops.add(m.group(2));
            args.add(m.group(3));
        }
        Map<Long, Set<Long>> succ = new HashMap<>();
        for (int i = 0; i < insns.size(); i++) {
            Set<Long> s = new HashSet<>();
            String op = ops.get(i);
            if (!op.equals("jmp") && !op.startsWith("ret") && i + 1 < insns.size()) {
                s.add(insns.get(i + 1)[0]);
            }
            if (op.startsWith("j")) {
                Matcher t = Pattern.compile("0x([0-9a-f]+)").matcher(args.get(i));
                if (t.find()) {
                    s.add(Long.parseUnsignedLong(t.group(1), 16));
                }
            }
            succ.put(insns.get(i)[0], s);
        }
        return succ;
    }
}
