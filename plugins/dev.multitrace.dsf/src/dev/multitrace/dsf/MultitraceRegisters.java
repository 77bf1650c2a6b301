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
import org.eclipse.cdt.dsf.debug.service.IStack.IFrameDMContext;
import org.eclipse.cdt.dsf.service.DsfSession;

/**
 * The general registers of a suspended thread (the kernel's {@code user_regs_struct}: rax... r15, rip,
 * eflags, segment registers, fs_base/gs_base), in one group, readable in every format. For the innermost
 * frame they are the thread's own and writable; for an outer frame they are what the session's unwinder
 * recovered for it (rip, rsp, and the registers its CFI or frame-pointer rules restore: rbp and the
 * callee-saved ones a function saved), read-only, and a register it did not recover has no value ("not
 * saved", as gdb says).
 */
public final class MultitraceRegisters extends SessionService implements IRegisters {

    /** The one group, named as gdb names it. */
    public static final String GENERAL_GROUP = "General Registers";

    /** Registers that hold addresses: shown in hexadecimal in the natural format. */
    private static final Set<String> ADDRESSES = Set.of("rip", "rsp", "rbp", "fs_base", "gs_base");

    public MultitraceRegisters(DsfSession session) {
        super(session, false, IRegisters.class);
    }

    /** The register group of a thread (or of one of its frames). */
    public static final class GroupContext extends AbstractDMContext implements IRegisterGroupDMContext {
        GroupContext(IDMContext threadOrFrame) {
            super(threadOrFrame.getSessionId(), new IDMContext[] { threadOrFrame });
        }

        @Override
        public boolean equals(Object o) {
            return baseEquals(o);
        }

        @Override
        public int hashCode() {
            return baseHashCode();
        }

        @Override
        public String toString() {
            return baseToString() + ".group[" + GENERAL_GROUP + "]";
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

    private record GroupData() implements IRegisterGroupDMData {
        @Override
        public String getName() {
            return GENERAL_GROUP;
        }

        @Override
        public String getDescription() {
            return "the general registers (user_regs_struct)";
        }
    }

    private record RegisterData(String name) implements IRegisterDMData {
        @Override
        public String getName() {
            return name;
        }

        @Override
        public String getDescription() {
            return "";
        }

        @Override
        public boolean isReadable() {
            return true;
        }

        @Override
        public boolean isReadOnce() {
            return false;
        }

        @Override
        public boolean isWriteable() {
            return true;
        }

        @Override
        public boolean isWriteOnce() {
            return false;
        }

        @Override
        public boolean hasSideEffects() {
            return false;
        }

        @Override
        public boolean isVolatile() {
            return true;
        }

        @Override
        public boolean isFloat() {
            return false;
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
        DebugSession s = backend.live(t.process(), rm);
        if (s == null) {
            return null;
        }
        if (!s.isHeld(t.tid())) {
            rm.setStatus(DebugSessionService.error(INVALID_STATE, "thread " + t.tid() + " is running"));
            rm.done();
            return null;
        }
        return t;
    }

    /** The frame level a context is in (0 when it names no frame: the thread's own registers). */
    private static int levelOf(IDMContext ctx) {
        IFrameDMContext f = DMContexts.getAncestorOfType(ctx, IFrameDMContext.class);
        return f == null ? 0 : f.getLevel();
    }

    /** The registers of a frame, by name (see the class comment); null with {@code rm} failed. */
    private Map<String, Long> read(ThreadContext t, int level, RequestMonitor rm) {
        try {
            return backend.debugSession().frameRegisters(t.tid(), level);
        } catch (RuntimeException e) {
            rm.setStatus(DebugSessionService.error(REQUEST_FAILED, e.getMessage()));
            rm.done();
            return null;
        }
    }

    @Override
    public void getRegisterGroups(IDMContext ctx, DataRequestMonitor<IRegisterGroupDMContext[]> rm) {
        IDMContext owner = DMContexts.getAncestorOfType(ctx, IFrameDMContext.class);
        if (owner == null) {
            owner = DMContexts.getAncestorOfType(ctx, ThreadContext.class);
        }
        if (owner == null) {
            rm.setStatus(DebugSessionService.error(INVALID_HANDLE, "registers are a thread's: " + ctx));
            rm.done();
            return;
        }
        rm.setData(new IRegisterGroupDMContext[] { new GroupContext(owner) });
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
            regs = backend.debugSession().registers(t.tid()); // every frame lists the same registers
        } catch (RuntimeException e) {
            rm.setStatus(DebugSessionService.error(REQUEST_FAILED, e.getMessage()));
            rm.done();
            return;
        }
        GroupContext group = DMContexts.getAncestorOfType(ctx, GroupContext.class);
        if (group == null) {
            IDMContext owner = DMContexts.getAncestorOfType(ctx, IFrameDMContext.class);
            group = new GroupContext(owner != null ? owner : t);
        }
        List<String> names = regs.names();
        IRegisterDMContext[] out = new IRegisterDMContext[names.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = new RegisterContext(group, names.get(i));
        }
        rm.setData(out);
        rm.done();
    }

    @Override
    public void findRegisterGroup(IDMContext ctx, String name, DataRequestMonitor<IRegisterGroupDMContext> rm) {
        getRegisterGroups(ctx, new DataRequestMonitor<>(getExecutor(), rm) {
            @Override
            protected void handleSuccess() {
                if (GENERAL_GROUP.equals(name)) {
                    rm.setData(getData()[0]);
                } else {
                    rm.setStatus(DebugSessionService.error(INVALID_HANDLE, "no register group " + name));
                }
                rm.done();
            }
        });
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
                rm.setStatus(DebugSessionService.error(INVALID_HANDLE, "no register " + name));
                rm.done();
            }
        });
    }

    @Override
    public void getRegisterGroupData(IRegisterGroupDMContext ctx, DataRequestMonitor<IRegisterGroupDMData> rm) {
        rm.setData(new GroupData());
        rm.done();
    }

    @Override
    public void getRegisterData(IRegisterDMContext ctx, DataRequestMonitor<IRegisterDMData> rm) {
        if (!(ctx instanceof RegisterContext r)) {
            rm.setStatus(DebugSessionService.error(INVALID_HANDLE, "not a register: " + ctx));
        } else {
            rm.setData(new RegisterData(r.name()));
        }
        rm.done();
    }

    @Override
    public void getAvailableFormats(IFormattedDataDMContext ctx, DataRequestMonitor<String[]> rm) {
        rm.setData(Formats.AVAILABLE.clone());
        rm.done();
    }

    @Override
    public FormattedValueDMContext getFormattedValueContext(IFormattedDataDMContext ctx, String formatId) {
        return new FormattedValueDMContext(this, ctx, formatId);
    }

    @Override
    public void getFormattedExpressionValue(FormattedValueDMContext ctx, DataRequestMonitor<FormattedValueDMData> rm) {
        RegisterContext r = DMContexts.getAncestorOfType(ctx, RegisterContext.class);
        if (r == null) {
            rm.setStatus(DebugSessionService.error(INVALID_HANDLE, "not a register's value: " + ctx));
            rm.done();
            return;
        }
        ThreadContext t = heldThread(r, rm);
        if (t == null) {
            return;
        }
        int level = levelOf(r);
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
            GeneralRegisters.write(backend.debugSession().examine(t.tid()), r.name(), v);
        } catch (RuntimeException e) {
            rm.setStatus(DebugSessionService.error(REQUEST_FAILED, e.getMessage()));
            rm.done();
            return;
        }
        getSession().dispatchEvent(new RegisterChangedEvent(r), getProperties());
        rm.done();
    }

    // ------------------------------------------------------------------ bit fields: none offered

    @Override
    public void getBitFields(IDMContext ctx, DataRequestMonitor<IBitFieldDMContext[]> rm) {
        rm.setData(new IBitFieldDMContext[0]);
        rm.done();
    }

    @Override
    public void findBitField(IDMContext ctx, String name, DataRequestMonitor<IBitFieldDMContext> rm) {
        notSupported(rm);
    }

    @Override
    public void getBitFieldData(IBitFieldDMContext ctx, DataRequestMonitor<IBitFieldDMData> rm) {
        notSupported(rm);
    }

    @Override
    public void writeBitField(IBitFieldDMContext ctx, String value, String formatId, RequestMonitor rm) {
        notSupported(rm);
    }

    @Override
    public void writeBitField(IBitFieldDMContext ctx, IMnemonic mnemonic, RequestMonitor rm) {
        notSupported(rm);
    }

    private static void notSupported(RequestMonitor rm) {
        rm.setStatus(DebugSessionService.error(NOT_SUPPORTED, "register bit fields are not offered"));
        rm.done();
    }
}
