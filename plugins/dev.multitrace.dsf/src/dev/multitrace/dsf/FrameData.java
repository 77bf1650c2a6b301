package dev.multitrace.dsf;

import java.math.BigInteger;

import org.eclipse.cdt.core.IAddress;
import org.eclipse.cdt.dsf.debug.service.IStack.IFrameDMData;
import org.eclipse.cdt.utils.Addr64;

/**
 * A frame as the Debug view shows it, from a live thread's unwinder or a core's: its pc, function (a signal
 * trampoline named as gdb names it), source position if its line table has one, and module if known.
 *
 * @param file the source file, or "" when the pc has no line
 * @param line the source line, or -1
 * @param module the mapped file of the pc, or ""
 */
record FrameData(long pc, boolean signalFrame, String functionName, String file, int line, String module)
        implements IFrameDMData {

    /** A frame of the session's (a live thread's or a core's): no module name, the Debug view does not show one. */
    static FrameData of(dev.multitrace.session.FrameInfo f) {
        return new FrameData(f.pc(), f.signalFrame(), f.functionName(),
                f.source().map(dev.multitrace.session.SourcePosition::file).orElse(""),
                f.source().map(dev.multitrace.session.SourcePosition::line).orElse(-1), "");
    }

    @Override
    public IAddress getAddress() {
        return new Addr64(new BigInteger(Long.toUnsignedString(pc)));
    }

    @Override
    public String getFile() {
        return file;
    }

    @Override
    public String getFunction() {
        return signalFrame ? "<signal handler called>" : functionName;
    }

    @Override
    public int getLine() {
        return line;
    }

    @Override
    public int getColumn() {
        return 0;
    }

    @Override
    public String getModule() {
        return module;
    }
}
