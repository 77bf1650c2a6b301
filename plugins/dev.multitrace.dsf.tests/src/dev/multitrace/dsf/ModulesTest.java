package dev.multitrace.dsf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.session.CodeBreakpoint;
import dev.multitrace.session.DebugSession;
import dev.multitrace.testing.TestPrograms;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.eclipse.cdt.dsf.debug.service.IModules.AddressRange;
import org.eclipse.cdt.dsf.debug.service.IModules.IModuleDMContext;
import org.eclipse.cdt.dsf.debug.service.IModules.IModuleDMData;
import org.eclipse.cdt.dsf.debug.service.IModules.LineInfo;
import org.eclipse.cdt.dsf.debug.service.IModules.ModuleLoadedDMEvent;
import org.eclipse.cdt.dsf.debug.service.IRunControl.ISuspendedDMEvent;
import org.eclipse.cdt.dsf.service.DsfServiceEventHandler;
import org.eclipse.cdt.utils.Addr64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Modules service on dlmodules (this bundle's native/): at main the list has the program, the dynamic
 * linker and libc, each at the base /proc/PID/maps shows (its lowest mapping); a {@code dlopen} is announced as
 * a loaded module, which is then listed at its mapping's base; line and address lookups agree.
 */
class ModulesTest {

    private DsfHarness dsf;
    private final BlockingQueue<ModuleLoadedDMEvent> loaded = new LinkedBlockingQueue<>();

    /** Collects the modules-loaded events. */
    public final class Listener {
        @DsfServiceEventHandler
        public void on(ModuleLoadedDMEvent e) {
            loaded.add(e);
        }
    }

    @AfterEach
    void end() throws Exception {
        if (dsf != null) {
            dsf.close();
        }
    }

    /** The lowest start address of each file mapped, from /proc/PID/maps. */
    private static Map<String, Long> mapBases(int pid) throws Exception {
        Map<String, Long> out = new java.util.HashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/maps"))) {
            String[] f = line.trim().split("\\s+", 6);
            if (f.length == 6 && f[5].startsWith("/")) {
                long start = Long.parseUnsignedLong(f[0].substring(0, f[0].indexOf('-')), 16);
                out.merge(f[5], start, Math::min);
            }
        }
        return out;
    }

    private List<IModuleDMData> modules(MultitraceModules modules, ProcessContext process) throws Exception {
        IModuleDMContext[] ctxs = dsf.call(rm -> modules.getModules(process, rm));
        List<IModuleDMData> out = new ArrayList<>();
        for (IModuleDMContext c : ctxs) {
            out.add(dsf.<IModuleDMData>call(rm -> modules.getModuleData(c, rm)));
        }
        return out;
    }

    private static void assertBasesAreTheMappings(List<IModuleDMData> list, Map<String, Long> maps) {
        for (IModuleDMData m : list) {
            Long base = maps.get(m.getFile());
            assertTrue(base != null, m.getFile() + " is not in /proc/PID/maps: " + maps.keySet());
            assertEquals("0x" + Long.toHexString(base), m.getBaseAddress(), m.getName() + "'s base");
            assertTrue(Long.parseUnsignedLong(m.getToAddress().substring(2), 16) > base, m.getName() + "'s end");
        }
    }

    @Test
    void theModulesAreTheMappedFilesAndADlopenIsAnnounced() throws Exception {
        dsf = new DsfHarness(false);
        MultitraceModules modules = dsf.service(MultitraceModules.class);
        Listener listener = new Listener();
        dsf.run(rm -> {
            dsf.session.addServiceEventListener(listener, null);
            rm.done();
        });
        dsf.launchToMain("dlmodules");
        ProcessContext process = dsf.process;
        ThreadContext thread = dsf.thread;

        List<IModuleDMData> atMain = modules(modules, process);
        assertBasesAreTheMappings(atMain, mapBases(process.pid()));
        IModuleDMData libc = atMain.stream().filter(m -> m.getName().startsWith("libc.so")).findFirst().orElseThrow(
                () -> new AssertionError("no libc in " + atMain.stream().map(IModuleDMData::getName).toList()));
        IModuleDMData program = atMain.stream().filter(m -> m.getName().equals("dlmodules")).findFirst().orElseThrow();
        assertTrue(program.isSymbolsLoaded(), "the program has its DWARF");
        assertTrue(atMain.stream().anyMatch(m -> m.getName().startsWith("ld-linux")), "the dynamic linker");
        assertFalse(atMain.stream().anyMatch(m -> m.getName().equals("libdlmodule.so")), "not loaded yet");
        System.out.println("ModulesTest: at main " + atMain.size() + " modules, libc at " + libc.getBaseAddress());

        // line <-> address, in the program
        DebugSession s = dsf.debugSession();
        int line = TestPrograms.mark("dlmodules", "call-module");
        AddressRange[] ranges = dsf.call(rm -> modules.calcAddressInfo(process, "dlmodules.c", line, 0, rm));
        assertTrue(ranges.length >= 1);
        long at = ranges[0].getStartAddress().getValue().longValue();
        LineInfo[] back = dsf.call(rm -> modules.calcLineInfo(process, new Addr64(Long.toString(at)), rm));
        assertEquals(1, back.length);
        assertEquals(line, back[0].getStartLine());
        assertTrue(back[0].getSourceFile().endsWith("dlmodules.c"), back[0].getSourceFile());

        // the dlopen: a loaded event for the library, then it is listed at its mapping
        s.addBreakpoint(new CodeBreakpoint("call-module", s.symbols().addressesFor("dlmodules.c", line), null, 0, Set.of(), null));
        dsf.run(rm -> dsf.service(MultitraceRunControl.class).resume(process, rm));
        dsf.events.next(ISuspendedDMEvent.class, e -> e.getDMContext().equals(thread));
        ModuleLoadedDMEvent event = null;
        for (ModuleLoadedDMEvent e; (e = loaded.poll(10, TimeUnit.SECONDS)) != null;) {
            if (((MultitraceModules.ModuleContext) e.getLoadedModuleContext()).path().endsWith("/libdlmodule.so")) {
                event = e;
                break;
            }
        }
        assertTrue(event != null, "a loaded event for libdlmodule.so");
        List<IModuleDMData> after = modules(modules, process);
        assertBasesAreTheMappings(after, mapBases(process.pid()));
        assertTrue(after.stream().anyMatch(m -> m.getName().equals("libdlmodule.so")), "listed after the dlopen");
    }
}
