package dev.multitrace.session;

import dev.multitrace.core.LaunchSpec;
import dev.multitrace.core.ExitStatus;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.multitrace.testing.TestPrograms;

/**
 * Running the C samples of these tests under a session. Where the samples are, their sources and their
 * marked lines: {@link TestPrograms} (loop, spin and syscalls are shared with the debug model's tests).
 */
public final class Samples {

    private Samples() {
    }

    public static LaunchSpec spec(String name) {
        return LaunchSpec.of(TestPrograms.path(name).toString());
    }

    /** A debug session of {@code spec}, {@code stops} listening, started and stopped at main (waited for). */
    static DebugSession atMain(LaunchSpec spec, Stops stops) throws Exception {
        DebugSession s = DebugSession.launch(spec, true);
        s.addListener(stops);
        s.start(DebugSession.StopMode.MAIN);
        stops.next(s.pid(), StopReason.Kind.MAIN);
        return s;
    }

    public static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    public static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(90, TimeUnit.SECONDS);
    }

    public static ExitStatus exit(DebugSession s) throws Exception {
        return await(s.process().exitStatus());
    }
}
