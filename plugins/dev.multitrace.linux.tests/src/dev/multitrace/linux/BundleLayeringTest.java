package dev.multitrace.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The layering of every bundle, as README.md's layout table and architecture.md describe it, read
 * from the sources: each bundle's manifest (Require-Bundle, Import-Package) and each source file's
 * imports may name only the Multitrace bundles below it; nothing below the Eclipse line names
 * Eclipse; and the packages of the layers below Eclipse import each other without a cycle. It
 * lives in the lowest layer's tests so that it runs first; it reads the checkout, not the OSGi
 * runtime (each bundle's own layering test checks what its class loader can see).
 */
class BundleLayeringTest {

    /** Each production bundle and the Multitrace bundles it may use (directly or re-exported). */
    private static final Map<String, Set<String>> ALLOWED = new TreeMap<>(Map.ofEntries(
            Map.entry("linux", Set.of()),
            Map.entry("symbols", Set.of()),
            Map.entry("testing", Set.of()),
            Map.entry("core", Set.of("linux")),
            Map.entry("engines", Set.of("core", "symbols")),
            Map.entry("rsp", Set.of("core", "symbols")),
            Map.entry("session", Set.of("core", "engines", "rsp", "symbols")),
            Map.entry("cli", Set.of("core", "engines", "linux", "rsp", "symbols", "session")),
            Map.entry("debug.core", Set.of("core", "session", "symbols")),
            Map.entry("debug.ui", Set.of("debug.core", "core", "session")),
            Map.entry("dsf", Set.of("core", "session")),
            // the platform model's program process (console streams) and engine consoles, reused by the DSF launches
            Map.entry("dsf.ui", Set.of("dsf", "debug.core", "core", "session"))));

    /** Below the Eclipse line: usable by the command-line tools and any front end. */
    private static final Set<String> HEADLESS = Set.of("linux", "symbols", "testing", "core", "engines", "rsp", "session", "cli");

    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([a-z][a-z0-9_]*(?:\\.[a-z][a-z0-9_]*)*)\\.[A-Z]",
            Pattern.MULTILINE);
    private static final Pattern PACKAGE = Pattern.compile("^package ([a-z0-9_.]+);", Pattern.MULTILINE);

    private static Path plugins() {
        Path here = Path.of("").toAbsolutePath();
        Path p = here.getParent(); // the test bundle's directory is the working directory
        assertTrue(Files.isDirectory(p.resolve("dev.multitrace.core")), "the plugins directory from " + here);
        return p;
    }

    /** The bundle (short name) a package belongs to: the longest bundle name that prefixes it. */
    private static String bundleOf(String pkg) {
        String best = null;
        for (String b : ALLOWED.keySet()) {
            String full = "dev.multitrace." + b;
            if ((pkg.equals(full) || pkg.startsWith(full + ".")) && (best == null || b.length() > best.length())) {
                best = b;
            }
        }
        return best;
    }

    @Test
    void everyBundleUsesOnlyTheLayersBelowIt() throws IOException {
        Path plugins = plugins();
        List<String> wrong = new ArrayList<>();
        for (var e : ALLOWED.entrySet()) {
            String bundle = e.getKey();
            Path dir = plugins.resolve("dev.multitrace." + bundle);
            assertTrue(Files.isDirectory(dir), "no bundle " + dir);
            Set<String> allowed = new HashSet<>(e.getValue());
            allowed.add(bundle);
            Manifest mf;
            try (var in = Files.newInputStream(dir.resolve("META-INF/MANIFEST.MF"))) {
                mf = new Manifest(in);
            }
            for (String header : new String[] {"Require-Bundle", "Import-Package"}) {
                String value = mf.getMainAttributes().getValue(header);
                if (value == null) {
                    continue;
                }
                for (String clause : clauses(value)) {
                    String name = clause.split(";")[0].strip();
                    if (name.startsWith("dev.multitrace.") && !allowed.contains(bundleOf(name))) {
                        wrong.add(bundle + " manifest " + header + ": " + name);
                    }
                    if (HEADLESS.contains(bundle) && name.startsWith("org.eclipse.")) {
                        wrong.add(bundle + " manifest " + header + ": " + name + " (below the Eclipse line)");
                    }
                }
            }
            for (Path src : sources(dir)) {
                Matcher m = IMPORT.matcher(Files.readString(src));
                while (m.find()) {
                    String pkg = m.group(1);
                    if (pkg.startsWith("dev.multitrace.") && !allowed.contains(bundleOf(pkg))) {
                        wrong.add(plugins.relativize(src) + " imports " + pkg);
                    }
                    if (HEADLESS.contains(bundle) && pkg.startsWith("org.eclipse.")) {
                        wrong.add(plugins.relativize(src) + " imports " + pkg + " (below the Eclipse line)");
                    }
                }
            }
        }
        assertEquals(List.of(), wrong, "uses of a layer that is not below");
    }

    @Test
    void thePackagesOfTheHeadlessLayersHaveNoCycle() throws IOException {
        Path plugins = plugins();
        Map<String, Set<String>> graph = new TreeMap<>();
        // linux and its x86_64 package are one unit (the neutral interfaces and their one implementation).
        for (String bundle : new String[] {"symbols", "core", "engines", "rsp", "session", "cli", "testing"}) {
            for (Path src : sources(plugins.resolve("dev.multitrace." + bundle))) {
                String text = Files.readString(src);
                Matcher p = PACKAGE.matcher(text);
                if (!p.find()) {
                    continue;
                }
                String from = p.group(1);
                Set<String> to = graph.computeIfAbsent(from, k -> new TreeSet<>());
                Matcher m = IMPORT.matcher(text);
                while (m.find()) {
                    if (m.group(1).startsWith("dev.multitrace.") && !m.group(1).equals(from)) {
                        to.add(m.group(1));
                    }
                }
            }
        }
        List<List<String>> cycles = new Cycles(graph).find();
        assertEquals(List.of(), cycles, "package cycles");
        assertTrue(graph.keySet().containsAll(Set.of("dev.multitrace.symbols.unwind", "dev.multitrace.symbols.elf",
                "dev.multitrace.core", "dev.multitrace.session", "dev.multitrace.rsp")), "the packages were read: " + graph.keySet());
    }

    /** A manifest header's clauses: split at the commas outside quoted values (version ranges). */
    private static List<String> clauses(String value) {
        List<String> out = new ArrayList<>();
        StringBuilder clause = new StringBuilder();
        boolean quoted = false;
        for (char c : value.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                out.add(clause.toString());
                clause.setLength(0);
            } else {
                clause.append(c);
            }
        }
        out.add(clause.toString());
        return out;
    }

    private static List<Path> sources(Path bundle) throws IOException {
        Path src = bundle.resolve("src");
        if (!Files.isDirectory(src)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(src)) {
            return s.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
    }

    /** Strongly connected components of more than one package (Tarjan). */
    private static final class Cycles {
        private final Map<String, Set<String>> graph;
        private final Map<String, Integer> index = new HashMap<>();
        private final Map<String, Integer> low = new HashMap<>();
        private final java.util.ArrayDeque<String> stack = new java.util.ArrayDeque<>();
        private final Set<String> onStack = new HashSet<>();
        private final List<List<String>> found = new ArrayList<>();

        Cycles(Map<String, Set<String>> graph) {
            this.graph = graph;
        }

        List<List<String>> find() {
            for (String v : graph.keySet()) {
                if (!index.containsKey(v)) {
                    visit(v);
                }
            }
            return found;
        }

        private void visit(String v) {
            index.put(v, index.size());
            low.put(v, index.get(v));
            stack.push(v);
            onStack.add(v);
            for (String w : graph.getOrDefault(v, Set.of())) {
                if (!index.containsKey(w)) {
                    visit(w);
                    low.put(v, Math.min(low.get(v), low.get(w)));
                } else if (onStack.contains(w)) {
                    low.put(v, Math.min(low.get(v), index.get(w)));
                }
            }
            if (low.get(v).equals(index.get(v))) {
                List<String> component = new ArrayList<>();
                String w;
                do {
                    w = stack.pop();
                    onStack.remove(w);
                    component.add(w);
                } while (!w.equals(v));
                if (component.size() > 1) {
                    found.add(component);
                }
            }
        }
    }
}
