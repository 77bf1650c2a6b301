package dev.multitrace.core;

import static dev.multitrace.core.Recorder.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One register type in the service's API: {@link Examination#registers()} is a
 * {@link GeneralRegisters}, and no register method of the API names the Linux layer's types.
 */
class RegisterApiTest {

    private final Tracing tracing = Tracing.start();

    @AfterEach
    void close() {
        tracing.close();
    }

    @Test
    void noRegisterMethodOfTheApiNamesALinuxType() {
        for (Class<?> c : new Class<?>[] {Examination.class, GeneralRegisters.class}) {
            for (Method m : c.getDeclaredMethods()) {
                if (!Modifier.isPublic(m.getModifiers()) || m.getName().equals("sigInfo")) {
                    continue; // sigInfo's SigInfo is the next layer leak to seal, not a register
                }
                assertFalse(m.getReturnType().getName().startsWith("dev.multitrace.linux"), m.toString());
                for (Class<?> p : m.getParameterTypes()) {
                    assertFalse(p.getName().startsWith("dev.multitrace.linux"), m.toString());
                }
            }
        }
    }

    /** Read, change one register, write, read again: the write lands and the others stay. */
    @Test
    void registersRoundTripThroughTheOneType() throws Exception {
        Engine e = tracing.launch(Programs.spec("readwait"), new Recorder(), "regs", EnumSet.noneOf(Event.class));
        Examination x = e.examine();
        GeneralRegisters before = x.registers();
        assertEquals(before.pc(), x.pc());
        assertTrue(before.sp() != 0);
        assertEquals(before.names().size(), before.values().length);

        GeneralRegisters changed = before.with("r12", 0x1234_5678_9abcL);
        assertEquals(before.get("r12"), before.values()[before.names().indexOf("r12")], "with() leaves the original alone");
        x.setRegisters(changed);
        GeneralRegisters after = x.registers();
        assertEquals(0x1234_5678_9abcL, after.get("r12"));
        for (String n : before.names()) {
            if (!n.equals("r12")) {
                assertEquals(before.get(n), after.get(n), n);
            }
        }
        long[] words = after.values();
        words[after.names().indexOf("r12")] = before.get("r12");
        x.setRegisters(after.withValues(words));
        assertEquals(before.get("r12"), x.registers().get("r12"), "a whole block written back word by word");
        assertThrows(IllegalArgumentException.class, () -> before.with("nosuch", 1));

        e.control(ResumeAction.RESUME);
        e.task().process().stdin().write("x\n".getBytes(StandardCharsets.US_ASCII));
        e.task().process().stdin().close();
        assertEquals(0, await(e.task().process().exitStatus()).code());
    }
}
