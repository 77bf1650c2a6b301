package dev.multitrace.dsf;

import org.eclipse.cdt.dsf.debug.service.IRunControl.ISuspendedDMEvent;
import org.junit.jupiter.api.AfterEach;

/**
 * What the tests of the DSF services on a real program share: a {@link DsfHarness}, the test program launched
 * to main in it, and the harness closed after each test (the program killed, the services and session ended).
 */
abstract class DsfProgramTestCase {

    protected DsfHarness dsf;
    /** The launched program and its main thread. */
    protected ProcessContext process;
    protected ThreadContext thread;

    @AfterEach
    void closeHarness() throws Exception {
        if (dsf != null) {
            dsf.close();
        }
    }

    /**
     * A harness ({@code cdtBreakpoints}: CDT's breakpoints followed into the process by the mediator from the stop
     * at main on) with the test program {@code program} stopped at main; that stop's event.
     */
    protected ISuspendedDMEvent launchToMain(String program, boolean cdtBreakpoints) throws Exception {
        dsf = new DsfHarness(cdtBreakpoints);
        ISuspendedDMEvent atMain = dsf.launchToMain(program);
        process = dsf.process;
        thread = dsf.thread;
        if (cdtBreakpoints) {
            dsf.trackCdtBreakpoints();
        }
        return atMain;
    }
}
