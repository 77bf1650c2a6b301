package dev.multitrace.symbols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.multitrace.symbols.dwarf.LineRow;
import dev.multitrace.symbols.elf.ElfFile;

/** /proc/PID/maps parsing and load bias, on a fixed text and on live processes (not traced: just run). */
class LoadMapTest {

    private static final String MAPS = """
            555555554000-555555555000 r--p 00000000 08:01 1234                       /opt/my prog
            555555555000-555555556000 r-xp 00001000 08:01 1234                       /opt/my prog
            555555558000-555555559000 rw-p 00003000 08:01 1234                       /opt/my prog
            555555559000-55555557a000 rw-p 00000000 00:00 0                          [heap]
            7ffff7dd3000-7ffff7df9000 r--p 00000000 08:01 99                         /usr/lib/x86_64-linux-gnu/libc.so.6
            7ffff7fc3000-7ffff7fc7000 r--p 00000000 00:00 0                          [vvar]
            7ffff7fc7000-7ffff7fc9000 r-xp 00000000 00:00 0                          [vdso]
            7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0                          [stack]
            """;

    @Test
    void parsesMapsText() {
        LoadMap map = LoadMap.parse(MAPS);
        assertEquals(8, map.mappings().size());
        assertEquals(java.util.List.of("/opt/my prog", "/usr/lib/x86_64-linux-gnu/libc.so.6"), map.files());
        LoadMap.Mapping text = map.mappingAt(0x555555555123L).orElseThrow();
        assertTrue(text.isExecutable());
        assertEquals(0x1000, text.offset());
        assertEquals(1234, text.inode());
        assertEquals(3, map.mappingsOf("/opt/my prog").size());
        assertTrue(map.mappingAt(0x7ffff7fc7000L).orElseThrow().isExecutable());
        assertTrue(!map.mappingAt(0x7ffff7fc7000L).orElseThrow().isFile());
    }

    @Test
    void pieProcessResolvesMainRecurseAndLibcNanosleep() throws Exception {
        check("symprog", true);
    }

    @Test
    void nonPieProcessHasBiasZero() throws Exception {
        check("symprog_o2_nopie", false);
    }

    private void check(String program, boolean pie) throws Exception {
        Process p = new ProcessBuilder(Targets.program(program).toString(), "wait").start();
        try {
            String line = new BufferedReader(new InputStreamReader(p.getInputStream())).readLine();
            assertTrue(line != null && line.startsWith("main="), line);
            String[] f = line.split(" ");
            long main = Long.parseUnsignedLong(f[0].substring("main=0x".length()), 16);
            long nanosleep = Long.parseUnsignedLong(f[1].substring("nanosleep=0x".length()), 16);
            long recurse = Long.parseUnsignedLong(f[2].substring("recurse=0x".length()), 16);
            LoadMap map = LoadMap.ofProcess(p.pid());
            ProcessSymbols symbols = new ProcessSymbols(map);
            assertTrue(symbols.problems().isEmpty(), symbols.problems().toString());
            LoadedModule exe = symbols.moduleAt(main).orElseThrow();
            assertEquals(Targets.program(program).toRealPath().toString(), exe.elf().name());
            assertEquals(pie, exe.bias() != 0, "bias 0x" + Long.toHexString(exe.bias()));
            assertEquals(pie ? ElfFile.ET_DYN : ElfFile.ET_EXEC, exe.elf().type());
            assertEquals("main", symbols.functionAt(main).orElseThrow().toString());
            assertEquals("recurse+0x1", symbols.functionAt(recurse + 1).orElseThrow().toString());
            assertEquals(main, symbols.addressOf("main").orElseThrow());
            assertEquals(recurse, symbols.addressOf("recurse").orElseThrow());
            LineRow row = exe.lineAt(recurse).orElseThrow();
            assertTrue(row.file().endsWith("/symprog.c") && row.line() > 0, row.toString());
            assertEquals(recurse, exe.addressesFor("symprog.c", row.line())[0]);
            if (pie) {
                LoadedModule libc = symbols.moduleAt(nanosleep).orElseThrow();
                assertTrue(libc.elf().name().contains("libc.so"), libc.toString());
                assertTrue(libc.elf().symbols().namesAt(nanosleep - libc.bias()).contains("nanosleep"), symbols.functionAt(nanosleep).toString());
                assertEquals(nanosleep, symbols.addressOf("nanosleep").orElseThrow());
            }
        } finally {
            p.getOutputStream().close();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }
}
