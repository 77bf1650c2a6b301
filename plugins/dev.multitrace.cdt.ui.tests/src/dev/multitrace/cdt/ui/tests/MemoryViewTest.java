package dev.multitrace.cdt.ui.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.testing.TestPrograms;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.core.runtime.Adapters;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.model.IMemoryBlockExtension;
import org.eclipse.debug.core.model.IMemoryBlockRetrieval;
import org.eclipse.debug.core.model.IMemoryBlockRetrievalExtension;
import org.eclipse.debug.core.model.MemoryByte;
import org.eclipse.debug.ui.DebugUITools;
import org.eclipse.debug.ui.IDebugUIConstants;
import org.eclipse.debug.ui.memory.IMemoryRendering;
import org.eclipse.debug.ui.memory.IMemoryRenderingContainer;
import org.eclipse.debug.ui.memory.IMemoryRenderingSite;
import org.eclipse.debug.ui.memory.IMemoryRenderingType;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The platform's Memory view with CDT's traditional rendering on a Multitrace session, as a C developer uses it: a
 * monitor of {@code &global_counter} added with the debug context on the stopped thread (what the view's "Add Memory
 * Monitor" does), its bytes, a write through it that the program then prints, and the monitor gone when the
 * program has exited.
 */
class MemoryViewTest {

    private static final String TRADITIONAL = "org.eclipse.cdt.debug.ui.memory.traditional.TraditionalRendering";
    private static final Pattern ADDRESS = Pattern.compile("\\(int \\*\\) (0x[0-9a-f]+) <global_counter>");

    @Test
    void aMonitorShowsTheProgramsBytesAndWritesThem() throws Exception {
        Assumptions.assumeTrue(Gdb.available(), "gdb, the witness of the variable's address, is not installed");
        Workbench.prepare();
        Path program = TestPrograms.path("dataview");
        Matcher linked = ADDRESS.matcher(Gdb.batch(program, "print &global_counter"));
        assertTrue(linked.find(), "gdb gives the address of global_counter");
        try (LoopLaunch data = LoopLaunch.stoppedAtMain("memory view", "dataview")) {
            DebugViewThreads.selectMultitraceThread(data.session);
            Object context = DebugUITools.getDebugContext();
            IMemoryBlockRetrievalExtension retrieval = assertInstanceOf(IMemoryBlockRetrievalExtension.class,
                    Adapters.adapt(context, IMemoryBlockRetrieval.class), "the Multitrace thread's memory block retrieval");

            IMemoryBlockExtension block = retrieval.getExtendedMemoryBlock("&global_counter", context);
            assertNotNull(block, "a monitor of &global_counter");
            long base = Processes.loadBase(data.session.pid(), program.toRealPath());
            long want = base + Long.parseUnsignedLong(linked.group(1).substring(2), 16);
            assertEquals(BigInteger.valueOf(want), block.getBigBaseAddress(), "the monitor's address is gdb's, relocated");
            assertEquals(8, block.getAddressSize(), "64-bit addresses");
            assertArrayEquals(new byte[] { 42, 0, 0, 0 }, values(block.getBytesFromAddress(block.getBigBaseAddress(), 4)),
                    "global_counter's initial 42, little-endian");

            IMemoryRenderingSite view = (IMemoryRenderingSite) Workbench.page().showView(IDebugUIConstants.ID_MEMORY_VIEW);
            DebugPlugin.getDefault().getMemoryBlockManager().addMemoryBlocks(new IMemoryBlockExtension[] { block });
            // as the view's Add Memory Monitor does: the primary rendering in the first pane, the other defaults in the second
            IMemoryRenderingType primary = DebugUITools.getMemoryRenderingManager().getPrimaryRenderingType(block);
            java.util.List<String> shown = new java.util.ArrayList<>();
            if (primary != null) {
                show(view, IDebugUIConstants.ID_RENDERING_VIEW_PANE_1, primary, block);
                shown.add(primary.getId());
            }
            for (IMemoryRenderingType type : DebugUITools.getMemoryRenderingManager().getDefaultRenderingTypes(block)) {
                if (!shown.contains(type.getId())) {
                    show(view, shown.isEmpty() ? IDebugUIConstants.ID_RENDERING_VIEW_PANE_1 : IDebugUIConstants.ID_RENDERING_VIEW_PANE_2,
                            type, block);
                    shown.add(type.getId());
                }
            }
            assertTrue(shown.contains(TRADITIONAL), "CDT's traditional rendering is one of the monitor's: " + shown);
            // the view maximized for the screenshots, as a user reading rows of bytes makes it
            Workbench.page().setPartState(Workbench.page().getReference((org.eclipse.ui.IWorkbenchPart) view),
                    org.eclipse.ui.IWorkbenchPage.STATE_MAXIMIZED);
            Workbench.spin(1500); // the renderings read their rows in the background
            Workbench.screenshot("memory-view-global-counter.png");

            block.setValue(BigInteger.ZERO, new byte[] { 7, 0, 0, 0 });
            assertArrayEquals(new byte[] { 7, 0, 0, 0 }, values(block.getBytesFromAddress(block.getBigBaseAddress(), 4)),
                    "the write is read back");
            Workbench.spin(500);
            Workbench.screenshot("memory-view-after-write.png");

            Workbench.page().setPartState(Workbench.page().getReference((org.eclipse.ui.IWorkbenchPart) view),
                    org.eclipse.ui.IWorkbenchPage.STATE_RESTORED);
            DebugViewThreads.runCommand("org.eclipse.debug.ui.commands.Resume");
            java.util.function.Supplier<String> out = () -> data.launch.getProcesses()[0].getStreamsProxy().getOutputStreamMonitor()
                    .getContents();
            Workbench.waitUntil("the program prints what the Memory view wrote (its output: " + out.get() + ")", Duration.ofSeconds(30),
                    () -> out.get().contains("global=7 "));
            Workbench.waitUntil("the monitor goes with the process", Duration.ofSeconds(30),
                    () -> DebugPlugin.getDefault().getMemoryBlockManager().getMemoryBlocks(retrieval).length == 0);
        }
    }

    private static void show(IMemoryRenderingSite view, String paneId, IMemoryRenderingType type, IMemoryBlockExtension block)
            throws org.eclipse.core.runtime.CoreException {
        IMemoryRendering rendering = type.createRendering();
        IMemoryRenderingContainer pane = view.getContainer(paneId);
        rendering.init(pane, block);
        pane.addMemoryRendering(rendering);
        assertTrue(Arrays.asList(pane.getRenderings()).contains(rendering), type.getLabel() + " is in the view");
    }

    private static byte[] values(MemoryByte[] bytes) {
        byte[] out = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            assertTrue(bytes[i].isReadable(), "byte " + i + " is readable");
            out[i] = bytes[i].getValue();
        }
        return out;
    }
}
