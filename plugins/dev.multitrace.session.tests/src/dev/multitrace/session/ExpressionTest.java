package dev.multitrace.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

/** The condition language against a fixed register file and memory. */
class ExpressionTest {

    /** rax=3, rsp=0x1000; memory at 0x601040: int 7, then bytes ff 80; symbol counter=0x601040. */
    private final Expression.Context ctx = new Expression.Context() {
        private final Map<String, Long> regs = Map.of("rax", 3L, "rsp", 0x1000L, "rip", 0x401000L, "rdi", -2L);

        @Override
        public long register(String name) {
            Long v = regs.get(name);
            if (v == null) {
                throw new IllegalArgumentException(name);
            }
            return v;
        }

        @Override
        public byte[] read(long address, int length) {
            byte[] mem = {7, 0, 0, 0, (byte) 0xff, (byte) 0x80, 0, 0, 0, 0, 0, 0};
            long off = address - 0x601040L;
            if (off < 0 || off + length > mem.length) {
                return new byte[0];
            }
            byte[] out = new byte[length];
            System.arraycopy(mem, (int) off, out, 0, length);
            return out;
        }

        @Override
        public OptionalLong symbol(String name) {
            return name.equals("counter") ? OptionalLong.of(0x601040L) : OptionalLong.empty();
        }
    };

    private long eval(String s) {
        return Expression.parse(s).evaluate(ctx);
    }

    @Test
    void registersMemoryCastsAndOperators() {
        assertEquals(1, eval("$rax == 3"));
        assertEquals(1, eval("*(int*)0x601040 > 5"));
        assertEquals(7, eval("*(int*)&counter"));
        assertEquals(-1, eval("*(char*)0x601044"));
        assertEquals(255, eval("*(unsigned char*)0x601044"));
        assertEquals(0x80ff, eval("*(uint16_t*)(0x601040 + 4)"));
        assertEquals(-2, eval("(int)$rdi"));
        assertEquals(0xfffffffeL, eval("(unsigned)$rdi"));
        assertEquals(1, eval("$pc == 0x401000 && ($sp & 0xfff) == 0 || 0"));
        assertEquals(14, eval("$rax * 4 + 2"));
        assertEquals(1, eval("!($rax != 3)"));
        assertEquals(12, eval("$rax << 2"));
        assertEquals(2, eval("17 % 5"));
    }

    @Test
    void errorsNameWhatAndWhere() {
        assertTrue(assertThrows(Expression.ExpressionException.class, () -> Expression.parse("$rax ==")).getMessage()
                .contains("ends too early"));
        assertTrue(assertThrows(Expression.ExpressionException.class, () -> Expression.parse("rax == 3")).getMessage()
                .contains("$rax"));
        assertTrue(assertThrows(Expression.ExpressionException.class, () -> Expression.parse("3 # 4")).getMessage()
                .contains("column 3"));
        assertTrue(assertThrows(Expression.ExpressionException.class, () -> eval("*(int*)0x10 == 0")).getMessage()
                .contains("cannot read 4 bytes at 0x10"));
        assertTrue(assertThrows(Expression.ExpressionException.class, () -> eval("$xmm9 == 0")).getMessage()
                .contains("no register $xmm9"));
        assertTrue(assertThrows(Expression.ExpressionException.class, () -> eval("1 / ($rax - 3)")).getMessage()
                .contains("division by zero"));
        assertThrows(Expression.ExpressionException.class, () -> Expression.parse(" "));
    }
}
