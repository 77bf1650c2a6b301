package dev.multitrace.debug.core.model;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

import org.eclipse.debug.core.ILaunch;

/**
 * An engine's text output (the syscall tracer's lines) as a console of the launch. Engines write
 * on the service's tracer thread, which must never block on the UI: lines are queued and a pump
 * thread hands them to the console's stream monitor.
 */
public final class EngineLog implements Consumer<String> {

    private static final String END = new String("end of log"); // identity-compared poison pill

    private final TraceeProcess console;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    public EngineLog(ILaunch launch, String label) {
        console = new TraceeProcess(launch, label, null, null, null, null);
        Thread pump = new Thread(() -> {
            try {
                for (String l = lines.take(); l != END; l = lines.take()) {
                    console.output().append(l + "\n");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            console.ended(null);
        }, "multitrace-engine-log " + label);
        pump.setDaemon(true);
        pump.start();
    }

    /** Queues a line; never blocks. */
    @Override
    public void accept(String line) {
        lines.add(line);
    }

    /** The log is complete: the console ends after the queued lines. */
    public void close() {
        lines.add(END);
    }

    public TraceeProcess console() {
        return console;
    }
}
