package dev.multitrace.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.testing.TestPrograms;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: the debug model's text (FrameVariables, what the Variables and Expressions views show) against
 * real {@code gdb -batch} on probeprog (-O0 and -O2, PIE and not, DWARF 5 and 4): at the first hit of two
 * marked lines (in walk's loop, inside a nested block, then in the visit it calls), every argument and local
 * as {@code name = text} must be gdb's {@code info args} and {@code info locals} line, in the same order, and
 * {@link FrameVariables#print} of a list of expressions gdb's {@code print} after {@code $N = }. Both runs are
 * without address randomization, so the pointers agree.
 */
class FrameVariablesAgainstGdbTest {

    private static final List<String> AT_VISIT = List.of("*it", "it->label", "it->flags", "it->w", "it->score", "it->hist", "it->shape",
            "it->next->next->id", "(enum shape) 5", "ratio * depth", "name", "visits", "tls_hits", "greeting", "title", "items[1].label",
            "&items[2]", "sizeof(struct item)", "1.0 / 3", "(char) it->id", "it->w.b");

    private static final List<String> AT_WALK = List.of("*p", "p->label", "sum * 2 + steps", "head", "*head->next", "p - head", "limit",
            "p->hist[steps]", "total");

    private record Site(String mark, List<String> expressions) {
    }

    private static final List<Site> SITES = List.of(new Site("walk", AT_WALK), new Site("visit", AT_VISIT));

    /** The variants of probeprog compared (-O0 and -O2, PIE and not, DWARF 5 and 4). */
    private static final List<String> PROGRAMS = List.of("probeprog", "probeprog_o2", "probeprog_nopie", "probeprog_o2_nopie", "probeprog_dwarf4",
            "probeprog_o2_dwarf4");

    private DebugSession session;
    private final Stops stops = new Stops();

    @AfterEach
    void end() {
        if (session != null && !session.isEnded()) {
            session.terminate();
        }
    }

    @Test
    void argsLocalsAndPrintsAreGdbsText() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/gdb")), "gdb is not installed (/usr/bin/gdb)");
        List<String> differences = new ArrayList<>();
        int compared = 0;
        for (String program : PROGRAMS) {
            int[] counts = compare(program, differences);
            compared += counts[0];
            System.out.println("FrameVariables against gdb, " + program + ": " + counts[0] + " values compared, " + counts[1] + " equal");
        }
        System.out.println("FrameVariables against gdb: " + compared + " values compared, " + (compared - differences.size()) + " equal");
        assertTrue(compared >= 40 * PROGRAMS.size(), "compared " + compared);
        assertTrue(differences.isEmpty(), differences.size() + " of " + compared + " differ:\n" + String.join("\n", differences));
    }

    /** Compares one program's stops; adds what differs to {@code differences}; returns {compared, equal}. */
    private int[] compare(String program, List<String> differences) throws Exception {
        Path exe = TestPrograms.path(program);

        List<List<String>> expected = gdb(exe);
        List<List<String>> actual = new ArrayList<>();

        session = DebugSession.launch(Samples.spec(program).withDisableRandomization(true), true);
        session.addListener(stops);
        session.start(DebugSession.StopMode.MAIN);
        int pid = session.pid();
        stops.next(pid, StopReason.Kind.MAIN);
        for (Site site : SITES) {
            int line = TestPrograms.mark("probeprog", site.mark);
            long[] addresses = session.symbols().addressesFor("probeprog.c", line);
            assertTrue(addresses.length > 0, "probeprog.c has code at MARK:" + site.mark);
            CodeBreakpoint bp = new CodeBreakpoint("probeprog.c:" + line, addresses, null, 0, Set.of(), null);
            session.addBreakpoint(bp);
            session.resumeAll();
            stops.next(pid, StopReason.Kind.BREAKPOINT);
            session.removeBreakpoint(bp);
            FrameVariables frame = session.variables(pid, 0);
            List<String> lines = new ArrayList<>();
            frame.arguments().forEach(v -> lines.add(v.name() + " = " + v.text()));
            lines.add("--");
            frame.locals().forEach(v -> lines.add(v.name() + " = " + v.text()));
            lines.add("--");
            for (String e : site.expressions) {
                lines.add(frame.print(e));
            }
            actual.add(lines);
        }
        session.resumeAll();
        assertEquals(3, Samples.exit(session).code());

        int compared = 0;
        int equal = 0;
        assertEquals(SITES.size(), expected.size(), program + ": gdb stopped at each site once: " + expected);
        for (int s = 0; s < SITES.size(); s++) {
            List<String> g = expected.get(s);
            List<String> o = actual.get(s);
            for (int l = 0; l < Math.max(g.size(), o.size()); l++) {
                String gl = l < g.size() ? g.get(l) : "<missing>";
                String ol = l < o.size() ? o.get(l) : "<missing>";
                if (gl.equals("--") && ol.equals("--")) {
                    continue;
                }
                compared++;
                if (gl.equals(ol)) {
                    equal++;
                } else {
                    differences.add(program + " MARK:" + SITES.get(s).mark + " line " + l + ":\n  gdb:  " + gl + "\n  ours: " + ol);
                }
            }
        }
        session = null;
        return new int[] {compared, equal};
    }

    /**
     * gdb at the first hit of each site: {@code info args}, {@code info locals}, then each print without its
     * {@code $N = }; sections separated by {@code --} as in ours.
     */
    private List<List<String>> gdb(Path exe) throws Exception {
        StringBuilder script = new StringBuilder();
        script.append("set pagination off\nset confirm off\nset debuginfod enabled off\nset startup-with-shell off\nset width 0\n");
        script.append("unset environment LINES\nunset environment COLUMNS\n");
        for (int i = 0; i < SITES.size(); i++) {
            Site site = SITES.get(i);
            script.append("tbreak probeprog.c:").append(TestPrograms.mark("probeprog", site.mark)).append('\n');
        }
        script.append("run\n");
        for (int i = 0; i < SITES.size(); i++) {
            if (i > 0) {
                script.append("continue\n");
            }
            script.append("echo @@@ ").append(i).append("\\n\ninfo args\necho --\\n\ninfo locals\necho --\\n\n");
            for (String e : SITES.get(i).expressions) {
                script.append("print ").append(e).append('\n');
            }
            script.append("echo @@@ end\\n\n");
        }
        script.append("kill\n");
        Path file = Files.createTempFile("frame", ".gdb");
        byte[] out;
        try {
            Files.writeString(file, script.toString());
            Process p = new ProcessBuilder("gdb", "-nx", "-batch", "-x", file.toString(), exe.toString()).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            try (var in = p.getInputStream()) {
                out = in.readAllBytes();
            }
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "gdb timed out");
        } finally {
            Files.deleteIfExists(file);
        }
        String text = new String(out, StandardCharsets.UTF_8);
        List<List<String>> hits = new ArrayList<>();
        List<String> lines = null;
        for (String line : text.split("\n", -1)) {
            if (line.startsWith("@@@ end")) {
                if (lines != null) {
                    hits.add(lines);
                }
                lines = null;
            } else if (line.startsWith("@@@ ")) {
                lines = new ArrayList<>();
            } else if (lines != null) {
                lines.add(line.replaceFirst("^\\$\\d+ = ", ""));
            }
        }
        assertTrue(!hits.isEmpty(), "gdb's output:\n" + text);
        return hits;
    }
}
