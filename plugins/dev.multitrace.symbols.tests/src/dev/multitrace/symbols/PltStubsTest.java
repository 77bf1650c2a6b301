package dev.multitrace.symbols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.multitrace.symbols.elf.ElfFile;
import dev.multitrace.symbols.elf.PltStubs;

/** The PLT stubs and the functions they call are objdump's {@code <NAME@plt>} labels, in programs with and without PIE. */
class PltStubsTest {

    private static final Pattern LABEL = Pattern.compile("^([0-9a-f]+) <([^@>]+)@plt>:$", Pattern.MULTILINE);

    @Test
    void everyStubIsObjdumpsNamePlt() throws Exception {
        int total = 0;
        for (String name : List.of("unwprog", "unwprog_o2_nopie", "symprog")) {
            Path program = Targets.program(name);
            PltStubs stubs = PltStubs.of(ElfFile.open(program));
            String out = Targets.run(null, "objdump", "-d", "-j", ".plt", "-j", ".plt.sec", program.toString());
            int labels = 0;
            for (Matcher m = LABEL.matcher(out); m.find();) {
                long at = Long.parseUnsignedLong(m.group(1), 16);
                assertEquals(Optional.of(m.group(2)), stubs.at(at), name + " at 0x" + m.group(1));
                assertEquals(Optional.of(m.group(2)), stubs.at(at + 7), name + ": inside the stub at 0x" + m.group(1));
                labels++;
            }
            assertTrue(labels > 0, name + " has PLT stubs:\n" + out);
            assertEquals(labels, stubs.size(), name + ": no stub objdump does not name");
            total += labels;
        }
        System.out.println("PLT stubs named as objdump names them: " + total);
    }
}
