package dev.multitrace.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@link Spawner#disableRandomization}: the child's persona, and the caller's left as it was. */
class PersonalityTest {

    /** Runs {@code cat FILE} untraced through the gate and returns its output. */
    private static String cat(String file, boolean noRandom) throws IOException {
        SpawnedProcess p = Spawner.of("/bin/cat", file).stdin(Stdio.NULL).stderr(Stdio.INHERIT)
                .disableRandomization(noRandom).start();
        try (p) {
            p.release();
            String out = new String(p.stdout().readAllBytes(), StandardCharsets.UTF_8);
            int[] status = new int[1];
            assertEquals(p.pid(), LibC.waitpid(p.pid(), status, PtraceConstants.__WALL | PtraceConstants.__WNOTHREAD));
            assertEquals(0, status[0], "cat " + file + " exit status");
            return out;
        }
    }

    @Test
    void theChildHasAddrNoRandomizeAndTheCallerKeepsItsOwn() throws IOException {
        int before = Personality.current();
        assumeTrue((before & Personality.ADDR_NO_RANDOMIZE) == 0, "the test JVM already runs without randomization");
        assertEquals(Integer.toHexString(Personality.ADDR_NO_RANDOMIZE),
                Integer.toHexString(Integer.parseInt(cat("/proc/self/personality", true).strip(), 16)));
        assertEquals(before, Personality.current(), "the spawning thread's persona is restored");
        assertEquals(before, Integer.parseInt(Files.readString(Path.of("/proc/self/personality")).strip(), 16),
                "the JVM's main thread is untouched");
        assertEquals(0, Integer.parseInt(cat("/proc/self/personality", false).strip(), 16) & Personality.ADDR_NO_RANDOMIZE);
    }

    @Test
    void theSameStackEveryRunOnlyWithoutRandomization() throws IOException {
        assertEquals(stack(cat("/proc/self/maps", true)), stack(cat("/proc/self/maps", true)));
        assumeTrue(!Files.readString(Path.of("/proc/sys/kernel/randomize_va_space")).strip().equals("0"),
                "randomize_va_space is 0: every run has the same addresses");
        assumeTrue((Personality.current() & Personality.ADDR_NO_RANDOMIZE) == 0);
        assertNotEquals(cat("/proc/self/maps", false), cat("/proc/self/maps", false));
    }

    private static String stack(String maps) {
        return maps.lines().filter(l -> l.endsWith("[stack]")).findFirst().orElseThrow();
    }
}
