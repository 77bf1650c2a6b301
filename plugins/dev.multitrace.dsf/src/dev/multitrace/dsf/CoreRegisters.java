package dev.multitrace.dsf;

import dev.multitrace.dsf.MultitraceRegisters.GroupContext;
import dev.multitrace.dsf.MultitraceRegisters.RegisterContext;
import dev.multitrace.dsf.MultitraceStack.FrameContext;

import java.util.List;
import java.util.Set;

import org.eclipse.cdt.dsf.concurrent.DataRequestMonitor;
import org.eclipse.cdt.dsf.concurrent.RequestMonitor;
import org.eclipse.cdt.dsf.datamodel.DMContexts;
import org.eclipse.cdt.dsf.datamodel.IDMContext;
import org.eclipse.cdt.dsf.debug.service.IRegisters;
import org.eclipse.cdt.dsf.service.DsfSession;

/**
 * The registers of a core file's threads, read-only: the integer registers and rip the core's NT_PRSTATUS gives the
 * unwinder (DWARF's rax..r15, rip), of the innermost frame or, in an outer frame, as the unwinder restored them
 * there (a register it could not restore is unreadable); eflags, the segment registers and fs/gs bases of its
 * NT_PRSTATUS in every frame. Values in the formats the live registers have.
 */
public final class CoreRegisters extends CoreService implements IntegerRegisters {

    /** The registers a core's NT_PRSTATUS gives the unwinder, in DWARF's order. */
    private static final List<String> NAMES = List.of("rax", "rdx", "rcx", "rbx", "rsi", "rdi", "rbp", "rsp", "r8", "r9",
            "r10", "r11", "r12", "r13", "r14", "r15", "rip", "eflags", "cs", "ss", "ds", "es", "fs", "gs", "fs_base", "gs_base");
    private static final Set<String> ADDRESSES = Set.of("rip", "rsp", "rbp", "fs_base", "gs_base");

    public CoreRegisters(DsfSession session) {
        super(session, IRegisters.class);
    }

    @Override
    public void getRegisterGroups(IDMContext ctx, DataRequestMonitor<IRegisterGroupDMContext[]> rm) {
        IDMContext at = IntegerRegisters.owner(ctx, rm);
        if (at == null) {
            return;
        }
        rm.setData(new IRegisterGroupDMContext[] { new GroupContext(at, MultitraceRegisters.GENERAL_GROUP) });
        rm.done();
    }

    @Override
    public void getRegisters(IDMContext ctx, DataRequestMonitor<IRegisterDMContext[]> rm) {
        GroupContext g = DMContexts.getAncestorOfType(ctx, GroupContext.class);
        if (g == null) {
            getRegisterGroups(ctx, new DataRequestMonitor<>(getExecutor(), rm) {
                @Override
                protected void handleSuccess() {
                    getRegisters(getData()[0], rm);
                }
            });
            return;
        }
        rm.setData(NAMES.stream().map(n -> new RegisterContext(g, n)).toArray(IRegisterDMContext[]::new));
        rm.done();
    }

    @Override
    public void findRegister(IDMContext ctx, String name, DataRequestMonitor<IRegisterDMContext> rm) {
        getRegisterGroups(ctx, new DataRequestMonitor<>(getExecutor(), rm) {
            @Override
            protected void handleSuccess() {
                if (NAMES.contains(name)) {
                    rm.setData(new RegisterContext((GroupContext) getData()[0], name));
                } else {
                    rm.setStatus(CoreDumpService.error(INVALID_HANDLE, "no register " + name + " in a core's registers"));
                }
                rm.done();
            }
        });
    }

    @Override
    public void getRegisterGroupData(IRegisterGroupDMContext ctx, DataRequestMonitor<IRegisterGroupDMData> rm) {
        rm.setData(new RegisterGroupData(MultitraceRegisters.GENERAL_GROUP, "the registers of the core file's NT_PRSTATUS"));
        rm.done();
    }

    @Override
    public void getRegisterData(IRegisterDMContext ctx, DataRequestMonitor<IRegisterDMData> rm) {
        if (!(ctx instanceof RegisterContext r)) {
            rm.setStatus(CoreDumpService.error(INVALID_HANDLE, "not a register: " + ctx));
        } else {
            rm.setData(new RegisterData(r.name(), false, false)); // a core never changes
        }
        rm.done();
    }

    @Override
    public void getFormattedExpressionValue(FormattedValueDMContext ctx, DataRequestMonitor<FormattedValueDMData> rm) {
        RegisterContext r = IntegerRegisters.registerOf(ctx, rm);
        if (r == null) {
            return;
        }
        Integer t = dump.thread(DMContexts.getAncestorOfType(r, ThreadContext.class), rm);
        if (t == null) {
            return;
        }
        FrameContext f = DMContexts.getAncestorOfType(r, FrameContext.class);
        int level = f == null ? 0 : f.getLevel();
        if (level >= dump.frames(t).size()) {
            rm.setStatus(CoreDumpService.error(INVALID_HANDLE, "no frame " + level));
            rm.done();
            return;
        }
        Long known = dump.dump().frameRegisters(t, level).get(r.name());
        if (known == null) {
            rm.setStatus(CoreDumpService.error(REQUEST_FAILED, r.name() + " was not saved in this frame"));
            rm.done();
            return;
        }
        long v = known;
        boolean hex = ADDRESSES.contains(r.name());
        String text = Formats.format(v, ctx.getFormatID(), hex);
        rm.setData(new FormattedValueDMData(text, text));
        rm.done();
    }

    @Override
    public void writeRegister(IRegisterDMContext ctx, String value, String formatId, RequestMonitor rm) {
        rm.setStatus(CoreDumpService.readOnly("have its registers written"));
        rm.done();
    }
}
