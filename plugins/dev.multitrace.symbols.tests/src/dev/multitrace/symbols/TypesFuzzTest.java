package dev.multitrace.symbols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.multitrace.symbols.dwarf.DebugInfo;
import dev.multitrace.symbols.dwarf.Die;
import dev.multitrace.symbols.dwarf.DieReader;
import dev.multitrace.symbols.elf.ByteReader;
import dev.multitrace.symbols.elf.ElfFile;
import dev.multitrace.symbols.elf.ElfSection;
import dev.multitrace.symbols.types.CType;
import dev.multitrace.symbols.types.TypeNames;
import dev.multitrace.symbols.types.TypeReader;
import dev.multitrace.symbols.unwind.DwarfExpression;
import dev.multitrace.symbols.unwind.Location;
import dev.multitrace.symbols.Registers;
import dev.multitrace.symbols.values.Value;
import dev.multitrace.symbols.values.ValueFormat;

/**
 * Corrupt type and variable information (a few bytes of {@code .debug_info}, {@code .debug_abbrev},
 * {@code .debug_loclists}/{@code .debug_loc} or {@code .debug_str} changed in varprog's -O2 builds): reading
 * every function's variables, their types, names, ptype, locations and a formatted value either works or
 * throws a SymbolException naming the file; never another exception, a stack overflow or a hang.
 */
class TypesFuzzTest {

    private static final int CASES_PER_BUILD = 60;

    @Test
    void mutatedTypesAndLocationsFailCleanly() throws Exception {
        Random random = new Random(1313L);
        int ok = 0;
        int failed = 0;
        for (String base : List.of("varprog_o2", "varprog_o2_dwarf4")) {
            byte[] original = Files.readAllBytes(Targets.program(base));
            ElfFile parsed = ElfFile.parse(base, original);
            List<String> targets = List.of(".debug_info", ".debug_info", ".debug_abbrev", base.endsWith("dwarf4") ? ".debug_loc" : ".debug_loclists",
                    ".debug_str");
            for (int c = 0; c < CASES_PER_BUILD; c++) {
                byte[] image = original.clone();
                ElfSection s = parsed.section(targets.get(c % targets.size())).orElseThrow();
                int pokes = 1 + random.nextInt(4);
                for (int i = 0; i < pokes; i++) {
                    image[(int) s.offset() + random.nextInt((int) s.size())] = (byte) random.nextInt(256);
                }
                String name = "type-fuzz-" + c + "-" + base;
                Throwable t = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> exercise(name, image), name + " hangs");
                if (t == null) {
                    ok++;
                } else if (t instanceof SymbolException e) {
                    assertEquals(name, e.file(), name + ": " + e.getMessage());
                    failed++;
                } else {
                    throw new AssertionError(name + ": not a SymbolException", t);
                }
            }
        }
        System.out.println("type fuzz: " + ok + " read fully, " + failed + " rejected with a SymbolException");
        assertTrue(ok > 10 && failed > 10, "mutations should both break and spare files: ok " + ok + ", failed " + failed);
    }

    private static Throwable exercise(String name, byte[] image) {
        try {
            ElfFile elf = ElfFile.parse(name, image);
            DebugInfo info = DebugInfo.of(elf);
            DieReader dies = info.dies();
            TypeReader types = new TypeReader(dies);
            for (String t : List.of("struct all", "union num", "enum color", "node_t", "counter", "RED")) {
                for (DieReader.Named n : dies.lookup(t)) {
                    dies.die(n.offset());
                }
            }
            for (DebugInfo.Scope f : info.functions()) {
                walk(dies, types, dies.die(f.dieOffset()), f.lowPc(), 0);
            }
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    private static void walk(DieReader dies, TypeReader types, Die d, long pc, int depth) throws Exception {
        if (depth > 16) {
            return;
        }
        if (d.has(Die.AT_TYPE)) {
            CType type = types.typeOf(d);
            TypeNames.name(type);
            TypeNames.ptype(type);
            byte[] bytes = new byte[(int) Math.max(0, Math.min(type.size(), 4096))];
            new ValueFormat(null, null, false).format(Value.of(type, bytes));
            new ValueFormat(null, null, true).format(Value.of(type, bytes));
        }
        byte[] expr = dies.expressionAt(d, Die.AT_LOCATION, pc);
        if (expr != null) {
            try {
                Location l = DwarfExpression.locate(ByteReader.of(expr, ByteOrder.LITTLE_ENDIAN, "fuzz", "location"),
                        Registers.of(new long[Registers.COUNT]), (a, b, o, n) -> 0, CONTEXT);
                l.pieces();
            } catch (DwarfExpression.NoValue e) {
                // unreadable memory or an entry value: the variable is optimized out, which is fine
            } catch (SymbolException e) {
                // a malformed expression names the reader ("fuzz"), not the file: also a clean failure
            }
        }
        for (Die c : dies.children(d)) {
            walk(dies, types, c, pc, depth + 1);
        }
    }

    private static final DwarfExpression.Context CONTEXT = new DwarfExpression.Context() {
        @Override
        public long frameBase() {
            return 0x1000;
        }

        @Override
        public long cfa() {
            return 0x1000;
        }

        @Override
        public long bias() {
            return 0;
        }

        @Override
        public long addrx(long index) {
            return index;
        }
    };
}
