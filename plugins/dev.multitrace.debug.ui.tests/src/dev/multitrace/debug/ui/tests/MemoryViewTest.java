package dev.multitrace.debug.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.eclipse.core.resources.IFile;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.model.IDebugTarget;
import org.eclipse.debug.core.model.IMemoryBlock;
import org.eclipse.debug.core.model.IMemoryBlockExtension;
import org.eclipse.debug.core.model.IThread;
import org.eclipse.debug.ui.DebugUITools;
import org.eclipse.debug.ui.IDebugUIConstants;
import org.eclipse.debug.ui.memory.IMemoryRendering;
import org.eclipse.debug.ui.memory.IMemoryRenderingContainer;
import org.eclipse.debug.ui.memory.IMemoryRenderingSite;
import org.eclipse.debug.ui.memory.IMemoryRenderingType;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.multitrace.debug.core.MultitraceDebug;
import dev.multitrace.debug.core.breakpoints.MultitraceLineBreakpoint;
import dev.multitrace.debug.core.model.MultitraceDebugTarget;
import dev.multitrace.debug.core.model.MultitraceStackFrame;
import dev.multitrace.session.DebugSession;
import dev.multitrace.debug.ui.DebugContexts;
import dev.multitrace.symbols.LoadedModule;
import dev.multitrace.symbols.elf.ElfSegment;

/**
 * The Memory view through the target's memory block retrieval, as "Add Memory Monitor" does it: a
 * block on {@code &counter} shows the variable's bytes, and a block on code where a line breakpoint
 * is planted shows the program's instruction bytes (those of the executable file), not the int3
 * (0xcc) that is in the process's memory there.
 */
public class MemoryViewTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String HEX_RENDERING = "org.eclipse.debug.ui.rendering.raw_memory";

    @BeforeAll
    static void prepare() throws Exception {
        Workbench.prepareForDebugging();
    }

    /**
     * Adds {@code block} to the Memory view as "Add Memory Monitor" does: the block goes to the
     * memory block manager, and its default renderings (the bindings of the debug.ui bundle: Hex)
     * into the view's first rendering pane.
     */
    private static IMemoryRendering show(IMemoryBlock block) throws Exception {
        IMemoryRenderingSite view = (IMemoryRenderingSite) Workbench.showView(IDebugUIConstants.ID_MEMORY_VIEW);
        DebugPlugin.getDefault().getMemoryBlockManager().addMemoryBlocks(new IMemoryBlock[] {block});
        IMemoryRenderingType[] defaults = DebugUITools.getMemoryRenderingManager().getDefaultRenderingTypes(block);
        assertEquals(1, defaults.length, "one default rendering for Multitrace blocks");
        assertEquals(HEX_RENDERING, defaults[0].getId());
        IMemoryRenderingContainer pane = view.getContainer(IDebugUIConstants.ID_RENDERING_VIEW_PANE_1);
        IMemoryRendering rendering = defaults[0].createRendering();
        rendering.init(pane, block);
        pane.addMemoryRendering(rendering);
        keepMemoryViewUp();
        return rendering;
    }

    /** The Debug view's stop handling may bring the Variables view to the front: the Memory view goes back on top. */
    private static void keepMemoryViewUp() {
        try {
            Workbench.showView(IDebugUIConstants.ID_MEMORY_VIEW);
        } catch (org.eclipse.ui.PartInitException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The bytes the rendering's table shows, by address (rows: address, then hex columns). */
    private static Map<Long, Integer> shownBytes(IMemoryRendering rendering) {
        Map<Long, Integer> out = new HashMap<>();
        for (Table table : tables(rendering.getControl())) {
            for (TableItem item : table.getItems()) {
                String address = item.getText(0).strip();
                if (!address.matches("[0-9A-Fa-f]{4,16}")) {
                    continue; // not materialized yet
                }
                StringBuilder data = new StringBuilder();
                for (int c = 1; c < table.getColumnCount(); c++) {
                    data.append(item.getText(c).strip());
                }
                long at = Long.parseUnsignedLong(address, 16);
                for (int i = 0; i + 2 <= data.length(); i += 2) {
                    String b = data.substring(i, i + 2);
                    if (b.matches("[0-9A-Fa-f]{2}")) {
                        out.put(at + i / 2, Integer.parseInt(b, 16));
                    }
                }
            }
        }
        return out;
    }

    private static List<Table> tables(Control c) {
        List<Table> out = new ArrayList<>();
        if (c instanceof Table t) {
            out.add(t);
        } else if (c instanceof Composite comp) {
            for (Control child : comp.getChildren()) {
                out.addAll(tables(child));
            }
        }
        return out;
    }

    /** Waits until the rendering shows {@code expected} at {@code address}; returns what it shows there. */
    private static byte[] awaitShown(IMemoryRendering rendering, long address, byte[] expected) {
        return Workbench.waitFor("the Memory view shows " + HexFormat.of().formatHex(expected) + " at 0x" + Long.toHexString(address),
                WAIT, () -> {
                    keepMemoryViewUp();
                    Map<Long, Integer> shown = shownBytes(rendering);
                    byte[] got = new byte[expected.length];
                    for (int i = 0; i < expected.length; i++) {
                        Integer b = shown.get(address + i);
                        if (b == null) {
                            return null;
                        }
                        got[i] = (byte) (int) b;
                    }
                    return Arrays.equals(got, expected) ? got : null;
                });
    }

    /** The bytes of the executable file at run-time address {@code address}. */
    private static byte[] fileBytes(LoadedModule m, Path file, long address, int n) throws Exception {
        long link = address - m.bias();
        for (ElfSegment s : m.elf().segments()) {
            if (s.isLoad() && Long.compareUnsigned(link - s.vaddr(), s.filesz()) < 0) {
                byte[] all = Files.readAllBytes(file);
                int off = (int) (s.offset() + link - s.vaddr());
                return Arrays.copyOfRange(all, off, off + n);
            }
        }
        throw new AssertionError("0x" + Long.toHexString(address) + " is in no PT_LOAD of " + file);
    }

    /** What the process's memory really holds (the tracer may read it): the int3 where a breakpoint is. */
    private static int rawByte(int pid, long address) throws Exception {
        try (RandomAccessFile mem = new RandomAccessFile("/proc/" + pid + "/mem", "r")) {
            mem.seek(address);
            return mem.read();
        }
    }

    @Test
    void memoryViewShowsAVariableAndCodeUnderABreakpointAsTheProgramHasThem() throws Exception {
        IFile binary = SampleProject.binary("sample");
        Path source = Programs.source("sample");
        int loopLine = Programs.line(source, "loop-body");
        MultitraceLineBreakpoint bp = new MultitraceLineBreakpoint(SampleProject.source("sample"), loopLine, true);
        try (DebugEvents events = new DebugEvents()) {
            IDebugTarget target = DebugSampleTest.debugAs(events, binary);
            ILaunch launch = target.getLaunch();
            MultitraceDebugTarget mt = (MultitraceDebugTarget) target;
            try {
                IThread thread = DebugSampleTest.awaitStopInSource(target);
                MultitraceStackFrame frame = (MultitraceStackFrame) thread.getTopStackFrame();
                DebugSession session = DebugContexts.resolve(thread).session();

                // A variable: &counter, its address the symbol's, its bytes the initial value's.
                IMemoryBlockExtension counter = mt.getExtendedMemoryBlock("&counter", frame);
                assertEquals(session.symbolAddress("counter").getAsLong(), counter.getBigBaseAddress().longValue());
                IMemoryRendering counterView = show(counter);
                awaitShown(counterView, counter.getBigBaseAddress().longValue(), new byte[] {0x78, 0x56, 0x34, 0x12});

                // Code with a breakpoint planted: the file's bytes, while the process has 0xcc there.
                long at = Arrays.stream(session.symbols().addressesFor(source.toString(), loopLine)).min().orElseThrow();
                assertEquals(0xcc, rawByte(session.pid(), at), "the breakpoint is planted: int3 in the process");
                LoadedModule module = session.symbols().current().moduleAt(at).orElseThrow();
                byte[] expected = fileBytes(module, Programs.binary("sample"), at, 8);
                assertTrue(expected[0] != (byte) 0xcc);
                IMemoryBlockExtension code = mt.getExtendedMemoryBlock("0x" + Long.toHexString(at), frame);
                assertEquals(at, code.getBigBaseAddress().longValue());
                assertTrue(Arrays.equals(expected, Arrays.copyOf(
                        toBytes(code.getBytesFromAddress(BigInteger.valueOf(at), 8)), 8)), "the block's bytes are the file's");
                IMemoryRendering codeView = show(code);
                awaitShown(codeView, at, expected);
                Workbench.maximized(IDebugUIConstants.ID_MEMORY_VIEW, () -> {
                    awaitShown(codeView, at, expected);
                    Workbench.screenshot("memory-view.png");
                });

                DebugPlugin.getDefault().getMemoryBlockManager().removeMemoryBlocks(new IMemoryBlock[] {counter, code});
            } finally {
                if (!launch.isTerminated()) {
                    launch.terminate();
                }
                DebugPlugin.getDefault().getBreakpointManager().removeBreakpoints(
                        DebugPlugin.getDefault().getBreakpointManager().getBreakpoints(MultitraceDebug.MODEL_ID), true);
            }
        }
    }

    private static byte[] toBytes(org.eclipse.debug.core.model.MemoryByte[] bytes) {
        byte[] out = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            assertTrue(bytes[i].isReadable(), "byte " + i + " readable");
            out[i] = bytes[i].getValue();
        }
        return out;
    }
}
