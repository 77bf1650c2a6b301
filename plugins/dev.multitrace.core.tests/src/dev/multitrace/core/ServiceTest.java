package dev.multitrace.core;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh tracing service per test; closing it kills what it launched and detaches from the rest. */
abstract class ServiceTest {

    protected Tracing tracing;

    @BeforeEach
    void startService() {
        tracing = Tracing.start();
    }

    @AfterEach
    void closeService() {
        tracing.close();
    }

    /**
     * Skips the test, with the probe's reason in the report, on a machine whose debug registers
     * accept writes and never trap (some hypervisors): hardware watchpoints cannot be tested there.
     */
    static void assumeTrappingDebugRegisters() {
        DebugRegisterSupport hw = Tracing.debugRegisters();
        assumeTrue(hw.dataWatchpoints() && hw.executeBreakpoints(),
                "this machine's debug registers do not trap (" + hw.detail() + ")");
    }
}
