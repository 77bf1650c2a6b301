package dev.multitrace.dsf.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.dsf.MultitraceSourceLookup;
import dev.multitrace.dsf.ProcessContext;
import dev.multitrace.testing.TestPrograms;

import java.nio.file.Path;
import java.util.Set;

import org.eclipse.cdt.debug.core.ICDTLaunchConfigurationConstants;
import org.eclipse.cdt.debug.core.sourcelookup.MappingSourceContainer;
import org.eclipse.cdt.debug.internal.core.sourcelookup.MapEntrySourceContainer;
import org.eclipse.cdt.dsf.concurrent.DataRequestMonitor;
import org.eclipse.cdt.dsf.service.DsfServicesTracker;
import org.eclipse.core.resources.IStorage;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.core.ILaunchManager;
import org.eclipse.debug.core.sourcelookup.ISourceContainer;
import org.eclipse.debug.core.sourcelookup.ISourceLookupDirector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.FrameworkUtil;

/**
 * The Disassembly view's source lines come through the launch's source lookup director, as the editor's do: a
 * file the program's debug information names on a build machine ({@code /build/elsewhere/echoline.c}) is found
 * where CDT's path mapping of the configuration says it is here.
 */
@SuppressWarnings("restriction")
class SourceLookupDirectorTest {

    private MultitraceLaunch launch;

    @AfterEach
    void end() throws Exception {
        if (launch != null && launch.canTerminate()) {
            launch.terminate();
        }
    }

    @Test
    void aPathMappingOfTheLaunchFindsTheSourceTheDebugInformationNames() throws Exception {
        ILaunchConfigurationWorkingCopy wc = DebugPlugin.getDefault().getLaunchManager()
                .getLaunchConfigurationType(ICDTLaunchConfigurationConstants.ID_LAUNCH_C_APP).newInstance(null, "echoline sources");
        wc.setAttribute(ICDTLaunchConfigurationConstants.ATTR_PROGRAM_NAME, TestPrograms.path("echoline").toString());
        wc.setAttribute(ICDTLaunchConfigurationConstants.ATTR_DEBUGGER_STOP_AT_MAIN, false); // it waits for a line on stdin
        wc.setPreferredLaunchDelegate(Set.of(ILaunchManager.DEBUG_MODE), "dev.multitrace.dsf.ui.localApplicationDelegate");
        launch = assertInstanceOf(MultitraceLaunch.class, wc.launch(ILaunchManager.DEBUG_MODE, null));
        ISourceLookupDirector director = assertInstanceOf(ISourceLookupDirector.class, launch.getSourceLocator(),
                "CDT's source lookup director of the configuration");
        Path sources = Path.of(System.getProperty("multitrace.native.src")).toRealPath();
        MappingSourceContainer map = new MappingSourceContainer("the build machine");
        map.addMapEntry(new MapEntrySourceContainer("/build/elsewhere", new org.eclipse.core.runtime.Path(sources.toString())));
        director.setSourceContainers(new ISourceContainer[] { map });

        DsfServicesTracker tracker = launch.call(rm -> {
            rm.setData(new DsfServicesTracker(FrameworkUtil.getBundle(getClass()).getBundleContext(), launch.getSession().getId()));
            rm.done();
        });
        try {
            int pid = launch.debugSession().pid();
            Object found = launch.call((DataRequestMonitor<Object> rm) -> tracker.getService(MultitraceSourceLookup.class)
                    .getSource(new ProcessContext(launch.getSession().getId(), pid), "/build/elsewhere/echoline.c", rm));
            IStorage file = assertInstanceOf(IStorage.class, found, "a file: " + found);
            assertEquals(sources.resolve("echoline.c").toString(), file.getFullPath().toOSString(), "the mapped file");
            assertTrue(file.getContents().readAllBytes().length > 0);
        } finally {
            launch.call((DataRequestMonitor<Object> rm) -> {
                tracker.dispose();
                rm.done();
            });
        }
    }
}
