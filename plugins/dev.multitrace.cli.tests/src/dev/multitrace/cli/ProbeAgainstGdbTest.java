package dev.multitrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.multitrace.testing.TestPrograms;

/**
 * {@code multitrace probe} against real {@code gdb -batch} on probeprog (-O0 and -O2, PIE and not, DWARF 5
 * and 4): at every hit of a set of locations (a function's entry, lines in two functions, a line of a
 * function inlined into another) the same dprintf, {@code info args}, {@code info locals} and {@code print}
 * of a list of expressions (members, elements, pointer chains, casts, arithmetic, strings, bit fields, enums,
 * unions, function pointers, a thread-local, a static local, an inlined function's variables) must give the
 * same text. gdb's probes are the same: dprintfs, then a breakpoint whose commands print. Both runs have the
 * same environment and no address randomization, so the stack addresses are the same too.
 */
class ProbeAgainstGdbTest {

    /** Expressions valid wherever an {@code it} and a {@code depth} are in scope (visit). */
    private static final List<String> AT_VISIT = List.of("it->id", "*it", "it->label", "it->next->label", "it->next->next->id", "it->flags",
            "it->flags.level", "it->flags.delta", "it->flags.on + 1", "it->shape", "it->shape == SQUARE", "(enum shape) 5", "(enum shape) 4", "it->w",
            "it->w.b", "it->w.f * 2", "it->w.b[1]", "it->score", "*it->score", "it->hist", "it->hist[1] * 3 + depth", "(long) it->weight",
            "(char) it->id", "(unsigned char) -it->id", "(short) 70000", "visits", "tls_hits", "tls_hits * 2", "greeting", "title", "*greeting@5",
            "items[1].label", "&items[2]", "(struct item *) it->next", "*(struct item *) it->next", "sizeof(struct item)", "sizeof it->hist",
            "depth > 0 && it->id", "total % 7", "-depth", "it->weight * 2", "it->label[1]", "items[2].next", "&items[1].hist[2]", "title[0]",
            "it - items", "1.0 / 3", "10 / 3", "\"str\"", "depth", "it", "it->next->next->next", "greeting[7]", "&title[3]", "items[0].w.f",
            "(long) &items[1] - (long) &items[0]", "~it->id", "!depth", "it->id << 2", "-it->weight / 3");

    private static final List<String> AT_VISIT_BODY = concat(AT_VISIT, List.of("score", "ratio", "name", "ratio * depth", "name[0]", "score > 100"));

    private static final List<String> AT_WALK = List.of("*p", "p->label", "sum", "steps", "limit", "head->next == p", "s", "p - head",
            "p->next ? p->next->id : -1", "total", "tls_hits", "head", "*head->next", "p->hist[steps]", "sum * 2 + steps");

    private static final List<String> AT_INLINED = List.of("v", "k", "product", "v * k", "total", "product + 1", "tls_hits");

    /** A location, its dprintf (format and arguments, or none) and the expressions printed there. */
    private record Site(String location, String dprintf, List<String> expressions) {
    }

    private static List<Site> sites() {
        String file = "probeprog.c:";
        return List.of(
                new Site("visit", "\"visit %d %s depth=%d w=%g %c|%5.2f|%-7s|%#x|%o|%u|%ld|%p|%s\\n\",it->id,it->label,depth,it->weight,"
                        + "it->label[0],it->weight,it->label,it->id,it->id,-depth,(long) it->id * 1000000000,it->next,title", AT_VISIT),
                new Site(file + TestPrograms.mark("probeprog", "visit"), "\"score=%d ratio=%f %e name=%s\\n\",score,ratio,ratio,name",
                        AT_VISIT_BODY),
                new Site(file + TestPrograms.mark("probeprog", "walk"), "\"step %d of %d: %s\\n\",steps,limit,p->label", AT_WALK),
                new Site(file + TestPrograms.mark("probeprog", "inlined"), "\"scaled %d*%d\\n\",v,k", AT_INLINED),
                new Site("walk", null, List.of("head->label", "limit", "*head")));
    }

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"probeprog", "probeprog_o2", "probeprog_nopie", "probeprog_o2_nopie", "probeprog_dwarf4", "probeprog_o2_dwarf4"})
    void probesPrintWhatGdbPrints(String program) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/gdb")), "gdb is not installed (/usr/bin/gdb)");
        Path exe = TestPrograms.path(program);
        List<Site> sites = sites();

        List<String> args = new ArrayList<>(List.of("probe", "--disable-randomization"));
        for (int i = 0; i < sites.size(); i++) {
            Site s = sites.get(i);
            args.add("--dprintf=" + s.location + ",\"@@@ " + i + "\\n\"");
            if (s.dprintf != null) {
                args.add("--dprintf=" + s.location + "," + s.dprintf);
            }
            args.add("--locals=" + s.location);
            for (String e : s.expressions) {
                args.add("--print=" + s.location + "," + e);
            }
            args.add("--dprintf=" + s.location + ",\"@@@ end\\n\"");
        }
        args.add(exe.toString());
        CliRun ours = CliRun.of(args.toArray(String[]::new));
        assertEquals(3, ours.code(), "the program's exit code: " + ours.err());

        String gdbOut = gdb(exe, sites);
        List<Hit> expected = hits(gdbOut, sites, true);
        List<Hit> actual = hits(ours.out(), sites, false);
        assertTrue(expected.size() >= 2 * sites.size(), program + ": gdb stopped at each site twice at least:\n" + gdbOut);

        List<String> differences = new ArrayList<>();
        int compared = 0;
        for (int h = 0; h < Math.max(expected.size(), actual.size()); h++) {
            if (h >= expected.size() || h >= actual.size()) {
                differences.add("hit " + h + ": only one side has it: gdb " + (h < expected.size() ? expected.get(h) : "-") + " ours "
                        + (h < actual.size() ? actual.get(h) : "-"));
                continue;
            }
            Hit g = expected.get(h);
            Hit o = actual.get(h);
            if (g.site != o.site) {
                differences.add("hit " + h + ": gdb at site " + g.site + ", ours at site " + o.site);
                continue;
            }
            for (int l = 0; l < Math.max(g.lines.size(), o.lines.size()); l++) {
                String gl = l < g.lines.size() ? g.lines.get(l) : "<missing>";
                String ol = l < o.lines.size() ? o.lines.get(l) : "<missing>";
                compared++;
                if (!gl.equals(ol)) {
                    differences.add("hit " + h + " at " + sites.get(g.site).location + " line " + l + ":\n  gdb:  " + gl + "\n  ours: " + ol);
                }
            }
        }
        System.out.println(program + ": " + compared + " values compared over " + expected.size() + " hits, " + differences.size() + " differ");
        assertTrue(differences.isEmpty(), program + ": " + differences.size() + " of " + compared + " differ:\n" + String.join("\n", differences));
    }

    /** One hit of a site: its printed lines, print results without their {@code $N = } or {@code EXPR = }. */
    private record Hit(int site, List<String> lines) {
    }

    /**
     * Cuts the output into hits between the {@code @@@ i} and {@code @@@ end} markers; in each, the last lines
     * (one per expression) are the prints, whose prefix ({@code $N = } from gdb, {@code EXPR = } from us) goes.
     */
    private static List<Hit> hits(String text, List<Site> sites, boolean gdb) {
        List<Hit> out = new ArrayList<>();
        int site = -1;
        List<String> lines = null;
        for (String line : text.split("\n", -1)) {
            if (line.startsWith("@@@ end")) {
                if (lines != null) {
                    List<String> exprs = sites.get(site).expressions;
                    int first = lines.size() - exprs.size();
                    for (int k = Math.max(0, first); k < lines.size(); k++) {
                        String l = lines.get(k);
                        String prefix = exprs.get(k - first) + " = ";
                        lines.set(k, gdb ? l.replaceFirst("^\\$\\d+ = ", "") : l.startsWith(prefix) ? l.substring(prefix.length()) : l);
                    }
                    out.add(new Hit(site, lines));
                }
                lines = null;
            } else if (line.startsWith("@@@ ")) {
                site = Integer.parseInt(line.substring(4).strip());
                lines = new ArrayList<>();
            } else if (lines != null) {
                lines.add(line);
            }
        }
        return out;
    }

    /** Runs gdb with the same probes: dprintfs, and a breakpoint whose commands print and continue. */
    private String gdb(Path exe, List<Site> sites) throws IOException, InterruptedException {
        StringBuilder script = new StringBuilder();
        script.append("set pagination off\nset confirm off\nset debuginfod enabled off\nset startup-with-shell off\n");
        // the environment gdb itself adds (readline's screen size): the program must see the one we give it
        script.append("unset environment LINES\nunset environment COLUMNS\n");
        // a print that fails must not end the breakpoint's commands: gdb's message is printed instead, as ours
        script.append("python\nclass TryRun(gdb.Command):\n  def __init__(self):\n    super().__init__('tryrun', gdb.COMMAND_DATA)\n"
                + "  def invoke(self, arg, from_tty):\n    try:\n      gdb.execute(arg)\n    except gdb.error as e:\n      print(e)\nTryRun()\nend\n");
        for (int i = 0; i < sites.size(); i++) {
            Site s = sites.get(i);
            script.append("dprintf ").append(s.location).append(",\"@@@ ").append(i).append("\\n\"\n");
            if (s.dprintf != null) {
                script.append("dprintf ").append(s.location).append(',').append(s.dprintf).append('\n');
            }
            script.append("break ").append(s.location).append("\ncommands\nsilent\ntryrun info args\ntryrun info locals\n");
            for (String e : s.expressions) {
                script.append("tryrun print ").append(e).append('\n');
            }
            script.append("echo @@@ end\\n\ncontinue\nend\n");
        }
        script.append("run\n");
        Path file = tmp.resolve("probes.gdb");
        Files.writeString(file, script.toString());
        Process p = new ProcessBuilder("gdb", "-nx", "-batch", "-x", file.toString(), exe.toString()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        byte[] out;
        try (var in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "gdb timed out");
        return new String(out, StandardCharsets.UTF_8);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return List.copyOf(out);
    }
}
