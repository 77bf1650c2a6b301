package dev.multitrace.dsf;

import org.eclipse.cdt.dsf.concurrent.DataRequestMonitor;
import org.eclipse.cdt.dsf.concurrent.IDsfStatusConstants;
import org.eclipse.cdt.dsf.concurrent.RequestMonitor;
import org.eclipse.cdt.dsf.datamodel.DMContexts;
import org.eclipse.cdt.dsf.datamodel.IDMContext;
import org.eclipse.cdt.dsf.debug.service.IRegisters;
import org.eclipse.cdt.dsf.debug.service.IStack.IFrameDMContext;

/**
 * What the live and the postmortem registers answer alike: a thread's or a frame's registers, each an integer
 * shown in {@link Formats}' formats, with no bit fields (x86-64's eflags and mxcsr are shown as numbers, as gdb's
 * {@code info registers} shows their value).
 */
interface IntegerRegisters extends IRegisters {

    /** The frame, or else the thread, whose registers {@code ctx} asks for; null with {@code rm} failed. */
    static IDMContext owner(IDMContext ctx, RequestMonitor rm) {
        IDMContext owner = DMContexts.getAncestorOfType(ctx, IFrameDMContext.class);
        if (owner == null) {
            owner = DMContexts.getAncestorOfType(ctx, ThreadContext.class);
        }
        if (owner == null) {
            rm.setStatus(MultitraceService.error(IDsfStatusConstants.INVALID_HANDLE, "registers are a thread's or a frame's: " + ctx));
            rm.done();
        }
        return owner;
    }

    /** The register whose value {@code ctx} asks for; null with {@code rm} failed. */
    static MultitraceRegisters.RegisterContext registerOf(FormattedValueDMContext ctx, RequestMonitor rm) {
        MultitraceRegisters.RegisterContext r = DMContexts.getAncestorOfType(ctx, MultitraceRegisters.RegisterContext.class);
        if (r == null) {
            rm.setStatus(MultitraceService.error(IDsfStatusConstants.INVALID_HANDLE, "not a register's value: " + ctx));
            rm.done();
        }
        return r;
    }

    /** The group of the frame's (or thread's) groups that has this name. */
    @Override
    default void findRegisterGroup(IDMContext ctx, String name, DataRequestMonitor<IRegisterGroupDMContext> rm) {
        getRegisterGroups(ctx, new DataRequestMonitor<>(getExecutor(), rm) {
            @Override
            protected void handleSuccess() {
                for (IRegisterGroupDMContext g : getData()) {
                    if (((MultitraceRegisters.GroupContext) g).name().equals(name)) {
                        rm.setData(g);
                        rm.done();
                        return;
                    }
                }
                rm.setStatus(MultitraceService.error(IDsfStatusConstants.INVALID_HANDLE, "no register group " + name));
                rm.done();
            }
        });
    }

    @Override
    default void getAvailableFormats(IFormattedDataDMContext ctx, DataRequestMonitor<String[]> rm) {
        rm.setData(Formats.AVAILABLE.clone());
        rm.done();
    }

    @Override
    default FormattedValueDMContext getFormattedValueContext(IFormattedDataDMContext ctx, String formatId) {
        return new FormattedValueDMContext(ctx.getSessionId(), ctx, formatId);
    }

    @Override
    default void getBitFields(IDMContext ctx, DataRequestMonitor<IBitFieldDMContext[]> rm) {
        rm.setData(new IBitFieldDMContext[0]);
        rm.done();
    }

    @Override
    default void findBitField(IDMContext ctx, String name, DataRequestMonitor<IBitFieldDMContext> rm) {
        noBitFields(rm);
    }

    @Override
    default void getBitFieldData(IBitFieldDMContext ctx, DataRequestMonitor<IBitFieldDMData> rm) {
        noBitFields(rm);
    }

    @Override
    default void writeBitField(IBitFieldDMContext ctx, String value, String formatId, RequestMonitor rm) {
        noBitFields(rm);
    }

    @Override
    default void writeBitField(IBitFieldDMContext ctx, IMnemonic mnemonic, RequestMonitor rm) {
        noBitFields(rm);
    }

    private static void noBitFields(RequestMonitor rm) {
        rm.setStatus(MultitraceService.error(IDsfStatusConstants.NOT_SUPPORTED, "register bit fields are not offered"));
        rm.done();
    }
}
