package dev.multitrace.dsf;

import dev.multitrace.core.GeneralRegisters;
import dev.multitrace.session.DebugSession;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.cdt.dsf.concurrent.DataRequestMonitor;
import org.eclipse.cdt.dsf.concurrent.RequestMonitor;
import org.eclipse.cdt.dsf.datamodel.AbstractDMContext;
import org.eclipse.cdt.dsf.datamodel.AbstractDMEvent;
import org.eclipse.cdt.dsf.datamodel.DMContexts;
import org.eclipse.cdt.dsf.datamodel.IDMContext;
import org.eclipse.cdt.dsf.debug.service.IRegisters;
import org.eclipse.cdt.dsf.debug.service.IRegisters2;
import org.eclipse.cdt.dsf.debug.service.IStack.IFrameDMContext;
import org.eclipse.cdt.dsf.service.DsfSession;

/**
 * The general registers of a suspended thread (the kernel's {@code user_regs_struct}: rax... r15, rip,
 * eflags, segment registers, fs_base/gs_base), in the group "General Registers", readable in every format. For the innermost
 * frame they are the thread's own and writable; for an outer frame they are what the session's unwinder
 * recovered for it (rip, rsp, and the registers its CFI or frame-pointer rules restore: rbp and the
 * callee-saved ones a function saved), read-only, and a register it did not recover has no value ("not
 * saved", as gdb says). A second group, "SSE Registers", has xmm0-15 and mxcsr of the innermost frame, read-only.
 */
public final class MultitraceRegisters extends SessionService implements IRegisters2, IntegerRegisters {

    /** The one group, named as gdb names it. */
    public static final String GENERAL_GROUP = "General Registers";
    /** xmm0-15 and mxcsr, from the thread's fxsave area; read-only, innermost frame only. */
    public static final String SSE_GROUP = "SSE Registers";

    /** Registers that hold addresses: shown in hexadecimal in the natural format. */
    private static final Set<String> ADDRESSES = Set.of("rip", "rsp", "rbp", "fs_base", "gs_base");

    public MultitraceRegisters(DsfSession session) {
        super(session, false, IRegisters.class, IRegisters2.class);
    }

    /** A register group of a thread (or of one of its frames). */
    public static final class GroupContext extends AbstractDMContext implements IRegisterGroupDMContext {
        private final String name;

        GroupContext(IDMContext threadOrFrame, String name) {
            super(threadOrFrame.getSessionId(), new IDMContext[] { threadOrFrame });
            this.name = name;
        }

        public String name() {
            return name;
        }

        boolean isSse() {
            return SSE_GROUP.equals(name);
        }

        @Override
        public boolean equals(Object o) {
            return baseEquals(o) && ((GroupContext) o).name.equals(name);
        }

        @Override
        public int hashCode() {
            return baseHashCode() ^ name.hashCode();
        }

        @Override
        public String toString() {
            return baseToString() + ".group[" + name + "]";
        }
    }

    /** One register by name, under its group. */
    public static final class RegisterContext extends AbstractDMContext implements IRegisterDMContext {
        private final String name;

        RegisterContext(GroupContext group, String name) {
            super(group.getSessionId(), new IDMContext[] { group });
            this.name = name;
        }

        public String name() {
            return name;
        }

        boolean inSse() {
            return ((GroupContext) getParents()[0]).isSse();
        }

        @Override
        public boolean equals(Object o) {
            return baseEquals(o) && ((RegisterContext) o).name.equals(name);
        }

        @Override
        public int hashCode() {
            return baseHashCode() ^ name.hashCode();
        }

        @Override
        public String toString() {
            return baseToString() + ".register[" + name + "]";
        }
    }

    public static final class RegisterChangedEvent extends AbstractDMEvent<IRegisterDMContext>
            implements IRegisterChangedDMEvent {
        RegisterChangedEvent(IRegisterDMContext ctx) {
            super(ctx);
        }
    }

    // ------------------------------------------------------------------ reading

    /** The suspended thread a context is in; null with {@code rm} failed. */
    private ThreadContext heldThread(IDMContext ctx, RequestMonitor rm) {
        ThreadContext t = DMContexts.getAncestorOfType(ctx, ThreadContext.class);
        if (t == null) {
            rm.setStatus(DebugSessionService.error(INVALID_HANDLE, "registers are a thread's: " + ctx));
            rm.done();
            return null;
        }
        return backend.held(t, rm) == null ? null : t;
    }

    /** The frame level a context is in (0 when it names no frame: the thread's own registers). */
    private static int levelOf(IDMContext ctx) {
        IFrameDMContext f = DMContexts.getAncestorOfType(ctx, IFrameDMContext.class);
        return f == null ? 0 : f.getLevel();
    }

    /** The registers of a frame, by name (see the class comment); null with {@code rm} failed. */
    private Map<String, Long> read(ThreadContext t, int level, RequestMonitor rm) {
        try {
            return backend.sessionOf(t).frameRegisters(t.tid(), level);
        } catch (RuntimeException e) {
            rm.setStatus(DebugSessionService.error(REQUEST_FAILED, e.getMessage()));
            rm.done();
            return null;
        }
    }

    @Override
    public void getRegisterGroups(IDMContext ctx, DataRequestMonitor<IRegisterGroupDMContext[]> rm) {
        IDMContext owner = IntegerRegisters.owner(ctx, rm);
        if (owner == null) {
            return;
        }
        rm.setData(new IRegisterGroupDMContext[] { new GroupContext(owner, GENERAL_GROUP), new GroupContext(owner, SSE_GROUP) });
        rm.done();
    }

    @Override
    public void getRegisters(IDMContext ctx, DataRequestMonitor<IRegisterDMContext[]> rm) {
        ThreadContext t = heldThread(ctx, rm);
        if (t == null) {
            return;
        }
        GeneralRegisters regs;
        try {
            regs = backend.sessionOf(t).registers(t.tid()); // every frame lists the same registers
        } catch (RuntimeException e) {
            rm.setStatus(DebugSessionService.error(REQUEST_FAILED, e.getMessage()));
            rm.done();
            return;
        }
        GroupContext group = DMContexts.getAncestorOfType(ctx, GroupContext.class);
        if (group == null) {
            IDMContext owner = DMContexts.getAncestorOfType(ctx, IFrameDMContext.class);
            group = new GroupContext(owner != null ? owner : t, GENERAL_GROUP);
        }
        List<String> names = group.isSse() ? DebugSession.SSE_REGISTERS : regs.names();
        IRegisterDMContext[] out = new IRegisterDMContext[names.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = new RegisterContext(group, names.get(i));
        }
        rm.setData(out);
        rm.done();
    }

    @Override
    public void findRegister(IDMContext ctx, String name, DataRequestMonitor<IRegisterDMContext> rm) {
        getRegisters(ctx, new DataRequestMonitor<>(getExecutor(), rm) {
            @Override
            protected void handleSuccess() {
                String plain = name.startsWith("$") ? name.substring(1) : name;
                for (IRegisterDMContext r : getData()) {
                    if (((RegisterContext) r).name().equals(plain)) {
                        rm.setData(r);
                        rm.done();
                        return;
                    }
                }
                if (DebugSession.SSE_REGISTERS.contains(plain)) {
                    GroupContext general = DMContexts.getAncestorOfType(getData()[0], GroupContext.class);
                    IDMContext owner = general.getParents()[0];
                    rm.setData(new RegisterContext(new GroupContext(owner, SSE_GROUP), plain));
                } else {
                    rm.setStatus(DebugSessionService.error(INVALID_HANDLE, "no register " + name));
                }
                rm.done();
            }
        });
    }

    @Override
    public void getRegisterGroupData(IRegisterGroupDMContext ctx, DataRequestMonitor<IRegisterGroupDMData> rm) {
        String name = ctx instanceof GroupContext g ? g.name() : GENERAL_GROUP;
        rm.setData(new RegisterGroupData(name,
                SSE_GROUP.equals(name) ? "xmm0-15 and mxcsr (fxsave)" : "the general registers (user_regs_struct)"));
        rm.done();
    }

    @Override
    public void getRegisterData(IRegisterDMContext ctx, DataRequestMonitor<IRegisterDMData> rm) {
        if (!(ctx instanceof RegisterContext r)) {
            rm.setStatus(DebugSessionService.error(INVALID_HANDLE, "not a register: " + ctx));
        } else {
            rm.setData(new RegisterData(r.name(), !r.inSse(), true));
        }
        rm.done();
    }

    @Override
    public void getFormattedExpressionValue(FormattedValueDMContext ctx, DataRequestMonitor<FormattedValueDMData> rm) {
        RegisterContext r = IntegerRegisters.registerOf(ctx, rm);
        if (r == null) {
            return;
        }
        ThreadContext t = heldThread(r, rm);
        if (t == null) {
            return;
        }
        int level = levelOf(r);
        if (r.inSse()) {
            formatSse(t, r, level, ctx.getFormatID(), rm);
            return;
        }
        Map<String, Long> regs = read(t, level, rm);
        if (regs == null) {
            return;
        }
        Long value = regs.get(r.name());
        if (value == null) {
            rm.setStatus(DebugSessionService.error(REQUEST_FAILED, "<not saved>: frame " + level
                    + " does not say where its caller kept " + r.name()));
            rm.done();
            return;
        }
        long v = value;
        boolean hex = ADDRESSES.contains(r.name());
        rm.setData(new FormattedValueDMData(Formats.format(v, ctx.getFormatID(), hex),
                Formats.format(v, ctx.getFormatID(), hex)));
        rm.done();
    }

    /** An SSE register's value: an unsigned integer of its 16 (mxcsr: 4) bytes, little-endian as the CPU holds them. */
    private void formatSse(ThreadContext t, RegisterContext r, int level, String format, DataRequestMonitor<FormattedValueDMData> rm) {
        if (level != 0) {
            rm.setStatus(DebugSessionService.error(REQUEST_FAILED, "<not saved>: the unwinder recovers no SSE register for frame " + level));
            rm.done();
            return;
        }
        byte[] bytes;
        try {
            bytes = backend.sessionOf(t).sseRegisters(t.tid()).get(r.name());
        } catch (RuntimeException e) {
            rm.setStatus(DebugSessionService.error(REQUEST_FAILED, e.getMessage()));
            rm.done();
            return;
        }
        byte[] bigEndian = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            bigEndian[i] = bytes[bytes.length - 1 - i];
        }
        java.math.BigInteger v = new java.math.BigInteger(1, bigEndian);
        String text = switch (format) {
            case DECIMAL_FORMAT -> v.toString();
            case OCTAL_FORMAT -> "0" + v.toString(8);
            case BINARY_FORMAT -> v.toString(2);
            default -> "0x" + v.toString(16); // natural and hex: a vector reads best in hex
        };
        rm.setData(new FormattedValueDMData(text, text));
        rm.done();
    }

    // ------------------------------------------------------------------ register groups of the user's: not offered (IRegisters2)

    @Override
    public void canAddRegisterGroup(IDMContext ctx, DataRequestMonitor<Boolean> rm) {
        rm.setData(false);
        rm.done();
    }

    @Override
    public void addRegisterGroup(IDMContext ctx, String name, IRegisterDMContext[] registers, RequestMonitor rm) {
        noUserGroups(rm);
    }

    @Override
    public void canEditRegisterGroup(IRegisterGroupDMContext group, DataRequestMonitor<Boolean> rm) {
        rm.setData(false);
        rm.done();
    }

    @Override
    public void editRegisterGroup(IRegisterGroupDMContext group, String name, IRegisterDMContext[] registers, RequestMonitor rm) {
        noUserGroups(rm);
    }

    @Override
    public void canRemoveRegisterGroups(IRegisterGroupDMContext[] groups, DataRequestMonitor<Boolean> rm) {
        rm.setData(false);
        rm.done();
    }

    @Override
    public void removeRegisterGroups(IRegisterGroupDMContext[] groups, RequestMonitor rm) {
        noUserGroups(rm);
    }

    @Override
    public void canRestoreDefaultGroups(IDMContext ctx, DataRequestMonitor<Boolean> rm) {
        rm.setData(false);
        rm.done();
    }

    @Override
    public void restoreDefaultGroups(IDMContext ctx, RequestMonitor rm) {
        noUserGroups(rm);
    }

    private static void noUserGroups(RequestMonitor rm) {
        rm.setStatus(DebugSessionService.error(NOT_SUPPORTED, "register groups of one's own are not offered: the groups are General and SSE"));
        rm.done();
    }

    // ------------------------------------------------------------------ writing

    @Override
    public void writeRegister(IRegisterDMContext ctx, String value, String formatId, RequestMonitor rm) {
        if (!(ctx instanceof RegisterContext r)) {
            rm.setStatus(DebugSessionService.error(INVALID_HANDLE, "not a register: " + ctx));
            rm.done();
            return;
        }
        ThreadContext t = heldThread(r, rm);
        if (t == null) {
            return;
        }
        if (r.inSse()) {
            rm.setStatus(DebugSessionService.error(NOT_SUPPORTED, "the SSE registers are read-only here"));
            rm.done();
            return;
        }
        if (levelOf(r) != 0) {
            rm.setStatus(DebugSessionService.error(NOT_SUPPORTED,
                    "the registers of an outer frame are read-only: select the innermost frame to change " + r.name()));
            rm.done();
            return;
        }
        long v;
        try {
            v = Formats.parse(value, formatId);
        } catch (NumberFormatException e) {
            rm.setStatus(DebugSessionService.error(REQUEST_FAILED, "not a number: " + value));
            rm.done();
            return;
        }
        try {
            GeneralRegisters.write(backend.sessionOf(t).examine(t.tid()), r.name(), v);
        } catch (RuntimeException e) {
            rm.setStatus(DebugSessionService.error(REQUEST_FAILED, e.getMessage()));
            rm.done();
            return;
        }
        getSession().dispatchEvent(new RegisterChangedEvent(r), getProperties());
        rm.done();
    }
}
