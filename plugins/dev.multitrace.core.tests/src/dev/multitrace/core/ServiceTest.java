package dev.multitrace.core;

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
}
