package dev.multitrace.symbols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.multitrace.symbols.unwind.ProcessMemory;

/**
 * The dynamic linker's r_debug/link_map read from target memory: a live process that dlopen()ed our own
 * library (memory through /proc/PID/mem; the process is not traced, only read), and a gdb core compared
 * with gdb's own {@code info sharedlibrary}.
 */
class LinkMapTest {

    @TempDir
    Path tmp;

    @Test
    void liveProcessAfterDlopenListsThePluginAtItsLoadBias() throws Exception {
        for (String program : List.of("unwprog", "unwprog_nopie")) {
            Process p = new ProcessBuilder(Targets.program(program).toString(), "dlopen").redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try (ProcessMemory memory = ProcessMemory.open(p.pid())) {
                String line = new BufferedReader(new InputStreamReader(p.getInputStream())).readLine();
                assertTrue(line != null && line.startsWith("plugin_entry=0x"), line);
                long pluginEntry = Long.parseUnsignedLong(line.substring("plugin_entry=0x".length()), 16);

                LinkMap links = LinkMap.read(memory, Auxv.ofProcess(p.pid())).orElseThrow();
                List<String> names = links.objects().stream().map(LinkMap.LoadedObject::name).toList();
                assertEquals(LinkMap.State.CONSISTENT, links.state());
                assertEquals("", names.get(0), "the executable comes first, unnamed: " + names);
                for (String lib : List.of("libunwlib.so", "libc.so.6", "ld-linux-x86-64.so.2", "libunwplugin.so")) {
                    assertTrue(links.find(lib).isPresent(), lib + " in " + names);
                }
                assertTrue(names.indexOf(links.find("libunwplugin.so").get().name()) == names.size() - 1, "dlopen()ed last: " + names);

                // l_addr is the load bias /proc/PID/maps gives for the same file
                LoadMap maps = LoadMap.ofProcess(p.pid());
                ProcessSymbols fromMaps = new ProcessSymbols(maps);
                int checked = 0;
                for (LinkMap.LoadedObject o : links.objects()) {
                    if (o.name().startsWith("/")) {
                        String mapped = Path.of(o.name()).toRealPath().toString();
                        LoadedModule m = fromMaps.modules().stream().filter(x -> x.elf().name().equals(mapped)).findFirst().orElseThrow(() -> new AssertionError(mapped));
                        assertEquals(m.bias(), o.bias(), o.name());
                        checked++;
                    }
                }
                assertTrue(checked >= 4, "objects checked: " + checked);
                LinkMap.LoadedObject plugin = links.find("libunwplugin.so").orElseThrow();
                LoadedModule pluginModule = fromMaps.modules().stream().filter(m -> m.elf().name().endsWith("libunwplugin.so")).findFirst().orElseThrow();
                assertEquals(pluginEntry, plugin.bias() + pluginModule.elf().symbols().addressOf("plugin_entry").orElseThrow());

                // r_brk is glibc's _dl_debug_state, where a debugger plants its breakpoint; _r_debug finds the same r_debug
                assertEquals(fromMaps.addressOf("_dl_debug_state").orElseThrow(), links.breakAddress());
                assertEquals(links.rDebug(), LinkMap.findRDebug(fromMaps).orElseThrow());

                // the symbols as they were before the dlopen, updated from the link map: the plugin appears, the rest is kept
                LoadMap before = LoadMap.of(maps.mappings().stream().filter(m -> !m.path().endsWith("libunwplugin.so")).toList());
                ProcessSymbols old = new ProcessSymbols(before);
                assertTrue(old.functionAt(pluginEntry).isEmpty());
                ProcessSymbols updated = old.withLinkMap(links);
                assertEquals("plugin_entry", updated.functionAt(pluginEntry).orElseThrow().toString());
                long nanosleep = old.addressOf("nanosleep").orElseThrow();
                assertSame(old.moduleAt(nanosleep).orElseThrow(), updated.moduleAt(nanosleep).orElseThrow(), "libc's module (and its indexes) kept");
                assertEquals(old.addressOf("main"), updated.addressOf("main"), "the executable kept");
                assertTrue(updated.problems().isEmpty(), updated.problems().toString());
                System.out.println(program + ": link map " + names + ", r_brk 0x" + Long.toHexString(links.breakAddress()) + ", plugin at bias 0x"
                        + Long.toHexString(plugin.bias()));
            } finally {
                p.getOutputStream().close();
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    private static final Pattern SHARED = Pattern.compile("^0x[0-9a-f]+\\s+0x[0-9a-f]+\\s+(?:Yes|No)(?: \\(\\*\\))?\\s+(/\\S+)", Pattern.MULTILINE);

    @Test
    void coreLinkMapListsWhatGdbLists() throws Exception {
        Path corePath = tmp.resolve("lib.core");
        GdbStop stop = GdbStop.run(Targets.program("unwprog_o2"), List.of("lib"), corePath, "break stop_here", "run", "info sharedlibrary");
        List<String> gdbLibraries = new ArrayList<>();
        Matcher m = SHARED.matcher(stop.output());
        while (m.find()) {
            gdbLibraries.add(m.group(1));
        }
        assertTrue(gdbLibraries.size() >= 3, stop.output());
        CoreFile core = CoreFile.open(corePath);
        LinkMap links = LinkMap.read(core, core.auxv()).orElseThrow();
        List<String> ours = links.objects().stream().map(LinkMap.LoadedObject::name).filter(n -> n.startsWith("/")).toList();
        // gdb lists the dynamic linker first (it knows it from the start); the link map has it where ld.so put it
        assertEquals(gdbLibraries.stream().sorted().toList(), ours.stream().sorted().toList());
        System.out.println("core link map = gdb's info sharedlibrary: " + ours);
    }
}
