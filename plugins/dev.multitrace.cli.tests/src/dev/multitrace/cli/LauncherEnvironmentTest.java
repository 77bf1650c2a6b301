package dev.multitrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

/**
 * The launcher script {@code ./multitrace} (the real one, from the repository) runs the
 * command-line tools without adding anything to the environment of the programs they start:
 * {@code env} under {@code ./multitrace trace} prints what it prints run directly.
 * <p>
 * The product is built after these tests, so the script runs from a copy beside a product
 * directory of its own whose plugins are the bundles this test runs with (the script finds its
 * jars by name there, as in the real product).
 */
class LauncherEnvironmentTest {

    /** The bundles the script puts on the CLI's class path (its cli_classpath). */
    private static final List<String> CLI_BUNDLES = List.of("dev.multitrace.cli", "dev.multitrace.linux",
            "dev.multitrace.core", "dev.multitrace.symbols", "dev.multitrace.engines", "dev.multitrace.rsp",
            "com.sun.jna", "picocli", "io.airlift.aircompressor", "com.google.gson");

    @TempDir
    Path tmp;

    private Path script;

    @BeforeEach
    void productBesideACopyOfTheScript() throws IOException {
        String repository = System.getProperty("multitrace.repository");
        assertTrue(repository != null, "system property multitrace.repository is not set (run through the build)");
        script = tmp.resolve("multitrace");
        Files.copy(Path.of(repository, "multitrace"), script);
        Path plugins = Files.createDirectories(
                tmp.resolve("releng/dev.multitrace.product/target/products/dev.multitrace.ide/linux/gtk/x86_64/plugins"));
        // The script takes a product without a launcher for a product not built yet: it would build one.
        Files.createFile(plugins.resolve("org.eclipse.equinox.launcher_0.0.0.jar"));
        Bundle[] bundles = FrameworkUtil.getBundle(Main.class).getBundleContext().getBundles();
        for (String name : CLI_BUNDLES) {
            Bundle b = java.util.Arrays.stream(bundles).filter(x -> name.equals(x.getSymbolicName())).findFirst()
                    .orElseThrow(() -> new AssertionError("bundle " + name + " is not in the test runtime"));
            // A jar or, for a bundle of this build, possibly its classes directory: both work on a class path.
            Files.createSymbolicLink(plugins.resolve(name + "_" + b.getVersion() + ".jar"), location(b));
        }
    }

    /**
     * The file or directory a bundle was installed from: its location is "reference:file:PATH"
     * or "file:PATH", and Equinox takes a relative PATH from its install area (Tycho's test
     * runtime installs the bundles of this build that way).
     */
    private static Path location(Bundle b) throws IOException {
        String l = b.getLocation();
        int file = l.indexOf("file:");
        assertTrue(file >= 0, "bundle location is not a file: " + l);
        Path p = Path.of(l.substring(file + "file:".length()));
        if (!p.isAbsolute()) {
            String installArea = System.getProperty("osgi.install.area");
            assertTrue(installArea != null && installArea.startsWith("file:"), "install area: " + installArea);
            p = Path.of(installArea.substring("file:".length())).resolve(p);
        }
        assertTrue(Files.exists(p), l + " -> " + p);
        return p.toRealPath();
    }

    private record Run(int code, String out, String err) {
    }

    private static Run run(Map<String, String> environment, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().clear();
        pb.environment().putAll(environment);
        Path out = Files.createTempFile("launcher-env-out", ".txt");
        Path err = Files.createTempFile("launcher-env-err", ".txt");
        try {
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("did not finish: " + List.of(command));
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** {@code env}'s lines, sorted: the order of the entries is not kept by Java's environment map. */
    private static List<String> entries(String envOutput) {
        List<String> l = new ArrayList<>(envOutput.lines().toList());
        l.sort(null);
        return l;
    }

    /** The test JVM's environment as a user's shell would have it, with no JAVA_HOME set. */
    private static Map<String, String> userEnvironment() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.remove("JAVA_HOME");
        // A shell keeps PWD right; this JVM's may be its parent's (Maven's), not its working directory.
        env.put("PWD", System.getProperty("user.dir"));
        // Values the script must carry unchanged: spaces, '=', a quote.
        env.put("MULTITRACE_TEST_VALUE", "a b=c 'd'");
        return env;
    }

    private void assertTracedEnvEqualsPlainEnv(Map<String, String> user) throws Exception {
        Run plain = run(user, "/usr/bin/env");
        Run traced = run(user, script.toString(), "trace", "-e", "trace=none", "/usr/bin/env");
        assertEquals(0, plain.code());
        assertEquals(0, traced.code(), traced.err());
        assertEquals("+++ exited with 0 +++\n", traced.err());
        List<String> direct = entries(plain.out());
        List<String> underMultitrace = entries(traced.out());
        assertTrue(direct.size() > 5, plain.out());
        assertEquals(List.of(), without(direct, underMultitrace), "run directly only");
        assertEquals(List.of(), without(underMultitrace, direct), "under ./multitrace trace only");
    }

    private static List<String> without(List<String> a, List<String> b) {
        return a.stream().filter(x -> !b.contains(x)).toList();
    }

    @Test
    void aTracedProgramSeesNoJavaHomeWhenTheUserSetNone() throws Exception {
        Map<String, String> user = userEnvironment();
        assertTracedEnvEqualsPlainEnv(user);
        Run traced = run(user, script.toString(), "trace", "-e", "trace=none", "/usr/bin/env");
        assertFalse(traced.out().lines().anyMatch(l -> l.startsWith("JAVA_HOME=")), traced.out());
    }

    @Test
    void aTracedProgramSeesTheUsersJavaHomeEvenWhenTheScriptRunsAnotherJdk() throws Exception {
        // Not a JDK: the script runs a JDK of its own, and the program still sees the user's value.
        Map<String, String> user = userEnvironment();
        user.put("JAVA_HOME", tmp.resolve("not-a-jdk").toString());
        assertTracedEnvEqualsPlainEnv(user);
    }

    @Test
    void whatTheShellsInBetweenDropOrChangeReachesTheProgramUnchanged() throws Exception {
        // The script's bash passes no `_` to a command it execs, and the launch's gate shell used
        // to read into `_`; SHLVL is one a shell keeps too.
        Map<String, String> user = userEnvironment();
        user.put("SHLVL", "3");
        user.put("_", "/usr/bin/someshell-command");
        assertTracedEnvEqualsPlainEnv(user);
    }
}
