package dev.multitrace.debug.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.multitrace.debug.core.LaunchAttributes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.ILaunchManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The launch option "Disable address space randomization" ({@link LaunchAttributes#DISABLE_RANDOMIZATION}),
 * on by default: the launched program has ADDR_NO_RANDOMIZE and the same stack and load addresses in
 * every launch; off: neither.
 */
class DisableRandomizationLaunchTest {

    private static final int ADDR_NO_RANDOMIZE = 0x0040000;

    private ILaunch launch;

    @AfterEach
    void end() throws Exception {
        if (launch != null && !launch.isTerminated()) {
            launch.terminate();
        }
    }

    /** Persona and the stack and program mappings of a launch held at its first instruction. */
    private record Layout(int personality, String stack, String program) {
    }

    private Layout launchAndLook(Map<String, Object> more) throws Exception {
        launch = LaunchAndModelTest.config("envprobe", merged(more)).launch(ILaunchManager.DEBUG_MODE, new NullProgressMonitor());
        MultitraceDebugTarget target = (MultitraceDebugTarget) launch.getDebugTarget();
        int pid = target.session().pid();
        int persona = Integer.parseInt(Files.readString(Path.of("/proc/" + pid + "/personality")).strip(), 16);
        String maps = Files.readString(Path.of("/proc/" + pid + "/maps"));
        String stack = maps.lines().filter(l -> l.endsWith("[stack]")).findFirst().orElseThrow();
        String program = maps.lines().filter(l -> l.endsWith("/envprobe")).findFirst().orElseThrow();
        launch.terminate();
        ((TraceeProcess) launch.getProcesses()[0]).exitValue().get(90, TimeUnit.SECONDS);
        return new Layout(persona, stack, program);
    }

    private static Map<String, Object> merged(Map<String, Object> more) {
        var m = new java.util.HashMap<String, Object>(Map.of(LaunchAttributes.STOP_MODE, LaunchAttributes.STOP_AT_ENTRY));
        m.putAll(more);
        return m;
    }

    @Test
    void onByDefaultTheSameAddressesInEveryLaunchAndOffTheyChange() throws Exception {
        int own = Integer.parseInt(Files.readString(Path.of("/proc/self/personality")).strip(), 16);
        assumeTrue((own & ADDR_NO_RANDOMIZE) == 0, "the IDE itself runs without randomization");

        Layout first = launchAndLook(Map.of()); // the attribute unset: its default
        Layout second = launchAndLook(Map.of(LaunchAttributes.DISABLE_RANDOMIZATION, true));
        assertEquals(ADDR_NO_RANDOMIZE, first.personality() & ADDR_NO_RANDOMIZE, "personality " + Integer.toHexString(first.personality()));
        assertEquals(first, second);

        Layout third = launchAndLook(Map.of(LaunchAttributes.DISABLE_RANDOMIZATION, false));
        Layout fourth = launchAndLook(Map.of(LaunchAttributes.DISABLE_RANDOMIZATION, false));
        assertEquals(0, third.personality() & ADDR_NO_RANDOMIZE, "personality " + Integer.toHexString(third.personality()));
        assumeTrue(!Files.readString(Path.of("/proc/sys/kernel/randomize_va_space")).strip().equals("0"),
                "randomize_va_space is 0: every launch has the same addresses");
        assertNotEquals(third.stack(), fourth.stack());
        assertNotEquals(third.program(), fourth.program());
    }
}
