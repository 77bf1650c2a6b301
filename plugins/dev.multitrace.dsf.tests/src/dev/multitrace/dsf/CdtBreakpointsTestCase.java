package dev.multitrace.dsf;

import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.ResourcesPlugin;
import org.junit.jupiter.api.AfterEach;

/**
 * What the tests of CDT's breakpoints add: the resource CDT's breakpoints are made on, and every CDT breakpoint
 * removed after each test (the workspace's breakpoint manager outlives a test), before the harness closes.
 */
abstract class CdtBreakpointsTestCase extends DsfProgramTestCase {

    @AfterEach
    void removeCdtBreakpoints() throws Exception {
        DsfHarness.removeCdtBreakpoints();
    }

    /** The resource of the breakpoints, as CDT's editor makes them for a file outside the workspace. */
    protected static IResource workspace() {
        return ResourcesPlugin.getWorkspace().getRoot();
    }
}
