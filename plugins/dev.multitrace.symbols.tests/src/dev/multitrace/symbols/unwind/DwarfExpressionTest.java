package dev.multitrace.symbols.unwind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

import dev.multitrace.symbols.MemoryReader;
import dev.multitrace.symbols.Registers;
import dev.multitrace.symbols.SymbolException;
import dev.multitrace.symbols.elf.ByteReader;

/** The CFI expression evaluator on the expressions gcc, ld and glibc emit, and on broken ones. */
class DwarfExpressionTest {

    private static final MemoryReader MEMORY = (address, into, offset, length) -> {
        // every readable word at 0x1000..0x1fff holds its own address + 0x100
        int n = 0;
        for (; n < length; n++) {
            long a = address + n;
            if (a < 0x1000 || a >= 0x2000) {
                break;
            }
            long word = (a & ~7L) + 0x100;
            into[offset + n] = (byte) (word >>> (8 * (a & 7)));
        }
        return n;
    };

    private static long eval(Registers regs, OptionalLong initial, int... code) throws DwarfExpression.NoValue {
        byte[] b = new byte[code.length];
        for (int i = 0; i < code.length; i++) {
            b[i] = (byte) code[i];
        }
        return DwarfExpression.evaluate(ByteReader.of(b, ByteOrder.LITTLE_ENDIAN, "test", ".eh_frame"), initial, regs, MEMORY);
    }

    @Test
    void pltCfaExpressionOfLd() throws Exception {
        // DW_OP_breg7 8; DW_OP_breg16 0; DW_OP_lit15; DW_OP_and; DW_OP_lit11; DW_OP_ge; DW_OP_lit3; DW_OP_shl; DW_OP_plus
        int[] plt = {0x77, 8, 0x80, 0, 0x3f, 0x1a, 0x3b, 0x2a, 0x33, 0x24, 0x22};
        assertEquals(0x7000 + 8, eval(Registers.of(0x1020 + 4, 0x7000, 0), OptionalLong.empty(), plt), "before the push: rsp+8");
        assertEquals(0x7000 + 16, eval(Registers.of(0x1020 + 11, 0x7000, 0), OptionalLong.empty(), plt), "after the push of the PLT entry: rsp+16");
    }

    @Test
    void signalTrampolineRules() throws Exception {
        // glibc's __restore_rt: CFA = *(rsp + 160) (DW_OP_breg7 160; DW_OP_deref); rip saved at rsp + 168
        assertEquals(0x1000 + 160 + 0x100, eval(Registers.of(0, 0x1000, 0), OptionalLong.empty(), 0x77, 0xa0, 0x01, 0x06));
        assertEquals(0x1000 + 168, eval(Registers.of(0, 0x1000, 0), OptionalLong.of(0x5555), 0x77, 0xa8, 0x01));
    }

    @Test
    void arithmeticStackOpsAndBranches() throws Exception {
        Registers regs = Registers.empty();
        assertEquals(7, eval(regs, OptionalLong.empty(), 0x35, 0x32, 0x22)); // lit5 lit2 plus
        assertEquals(-3, eval(regs, OptionalLong.empty(), 0x32, 0x35, 0x1c)); // 2 - 5
        assertEquals(2, eval(regs, OptionalLong.empty(), 0x35, 0x32, 0x16, 0x13)); // 5 2 swap -> 2 5, drop -> 2
        // rot: the top becomes the third entry, the second the top: 1 2 3 -> 3 1 2
        assertEquals(2, eval(regs, OptionalLong.empty(), 0x31, 0x32, 0x33, 0x17));
        assertEquals(1, eval(regs, OptionalLong.empty(), 0x31, 0x32, 0x33, 0x17, 0x13));
        assertEquals(3, eval(regs, OptionalLong.empty(), 0x31, 0x32, 0x33, 0x17, 0x13, 0x13));
        assertEquals(9, eval(regs, OptionalLong.empty(), 0x39, 0x37, 0x14)); // 9 7 over -> 9 7 9
        assertEquals(7, eval(regs, OptionalLong.empty(), 0x39, 0x37, 0x14, 0x13, 0x16, 0x13)); // drop, swap -> 7 9, drop -> 7
        assertEquals(10, eval(regs, OptionalLong.empty(), 0x30, 0x28, 0x03, 0x00, 0x3a, 0x2f, 0x01, 0x00, 0x3b)); // 0 bra(not taken) lit10 skip lit11
        assertEquals(0x1234, eval(regs, OptionalLong.empty(), 0x0a, 0x34, 0x12)); // const2u
        assertEquals(-2, eval(regs, OptionalLong.empty(), 0x11, 0x7e)); // consts -2
        assertEquals(0x1000 + 0x100 & 0xff, eval(regs, OptionalLong.empty(), 0x0a, 0x00, 0x10, 0x94, 1)); // deref_size 1
    }

    @Test
    void brokenExpressionsAreErrorsNotHangs() {
        Registers regs = Registers.empty();
        SymbolException loop = assertThrows(SymbolException.class, () -> eval(regs, OptionalLong.empty(), 0x2f, 0xfd, 0xff)); // skip -3: itself
        assertTrue(loop.getMessage().startsWith("test: .eh_frame: DWARF expression runs more than"), loop.getMessage());
        assertThrows(SymbolException.class, () -> eval(regs, OptionalLong.empty(), 0x22)); // plus on an empty stack
        assertThrows(SymbolException.class, () -> eval(regs, OptionalLong.empty(), 0x30, 0x30, 0x1b)); // divide by zero
        assertThrows(SymbolException.class, () -> eval(regs, OptionalLong.empty(), 0x50)); // DW_OP_reg0 is a location
        assertThrows(SymbolException.class, () -> eval(regs, OptionalLong.empty(), 0x0a, 0x34)); // truncated operand
        assertThrows(DwarfExpression.NoValue.class, () -> eval(regs, OptionalLong.empty(), 0x77, 0)); // rsp unknown
        assertThrows(DwarfExpression.NoValue.class, () -> eval(Registers.of(0, 0x9000, 0), OptionalLong.empty(), 0x77, 0, 0x06)); // unreadable
    }
}
