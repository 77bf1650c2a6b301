package dev.multitrace.cdt.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.multitrace.dsf.ProcessContext;
import dev.multitrace.dsf.ThreadContext;
import dev.multitrace.dsf.ui.PostmortemLaunch;
import dev.multitrace.testing.TestPrograms;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.cdt.debug.core.ICDTLaunchConfigurationConstants;
import org.eclipse.cdt.dsf.debug.service.IStack.IFrameDMContext;
import org.eclipse.cdt.dsf.ui.viewmodel.datamodel.IDMVMContext;
import org.eclipse.core.runtime.Adapters;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.core.ILaunchManager;
import org.eclipse.debug.core.model.IMemoryBlockExtension;
import org.eclipse.debug.core.model.IMemoryBlockRetrieval;
import org.eclipse.debug.core.model.IMemoryBlockRetrievalExtension;
import org.eclipse.debug.core.model.MemoryByte;
import org.eclipse.debug.ui.DebugUITools;
import org.eclipse.debug.ui.IDebugUIConstants;
import org.eclipse.debug.ui.IDebugView;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Tree;
import org.eclipse.swt.widgets.TreeItem;
import org.eclipse.jface.text.ITextSelection;
import org.eclipse.jface.viewers.ISelection;
import org.eclipse.ui.IEditorPart;
import org.eclipse.ui.texteditor.ITextEditor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * CDT's "C/C++ Postmortem Debugger" with the Multitrace delegate, in a workbench: the Debug view's tree of a core that
 * gdb wrote ({@code generate-core-file}, no core_pattern needed) of {@code loop} stopped in {@code square} shows the
 * launch, the core's process, its thread labelled with the signal the core records, and the frames {@code square} and
 * {@code main} at the lines {@code gdb -batch -ex bt} gives on the same core; with the top frame selected, the
 * Registers view's rip is gdb's {@code p/x $pc}, the Variables view and a Memory view monitor of {@code $rsp} show
 * gdb's values, and the Disassembly view's pc line is gdb's {@code x/i $pc}.
 */
class PostmortemDebugViewTest {

    private static final String DELEGATE = "dev.multitrace.dsf.ui.postmortemDelegate";
    /** "#1  0x0000555555555211 in main () at /.../loop.c:27" (frame #0 has no "0x... in"). */
    private static final Pattern BT = Pattern.compile("^#(\\d+)\\s+(?:0x[0-9a-f]+ in )?(\\w+) \\(.*\\) at (\\S+):(\\d+)$",
            Pattern.MULTILINE);
    /** A frame's label in DSF's Debug view: "square() at loop.c:19 0x5555555551cd". */
    private static final Pattern FRAME_LABEL = Pattern.compile("^(\\w+)\\(\\).* at (\\S+):(\\d+)");

    private Path dir;
    private ILaunch launch;

    @AfterEach
    void end() throws Exception {
        if (launch != null) {
            if (launch.canTerminate()) {
                launch.terminate();
            }
            DebugPlugin.getDefault().getLaunchManager().removeLaunch(launch);
        }
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    @Test
    void theDebugViewShowsTheCoresThreadAndFramesAsGdbDoes() throws Exception {
        assumeTrue(Gdb.available(), "gdb is not installed: it writes the core and is the reference");
        Workbench.prepare();
        String program = TestPrograms.path("loop").toString();
        dir = Files.createTempDirectory("multitrace-core-ui");
        Path core = dir.resolve("loop.core");
        String made = Gdb.batch("-ex", "break square", "-ex", "run", "-ex", "generate-core-file " + core, "-ex", "kill", program);
        assumeTrue(Files.isRegularFile(core), "gdb could not write a core here: " + made);
        String reference = Gdb.batch("-ex", "bt", "-ex", "p/x $pc", "-ex", "info args", "-ex", "info locals", "-ex", "x/8xb $sp",
                "-ex", "x/i $pc", program, core.toString());

        // gdb's view of the core: the thread (LWP), the signal it recorded, the frames with their lines
        Matcher lwp = Pattern.compile("LWP (\\d+)").matcher(reference);
        assertTrue(lwp.find(), reference);
        int tid = Integer.parseInt(lwp.group(1));
        Matcher signal = Pattern.compile("Program terminated with signal (SIG\\w+)").matcher(reference);
        String state = signal.find() ? "signal " + signal.group(1) : "no signal";
        Map<Integer, String[]> byLevel = new TreeMap<>(); // gdb shows frame #0 when it loads the core, then in bt
        for (Matcher bt = BT.matcher(reference); bt.find();) {
            byLevel.putIfAbsent(Integer.parseInt(bt.group(1)), new String[] { bt.group(2), bt.group(3), bt.group(4) });
        }
        List<String[]> gdbFrames = new ArrayList<>(byLevel.values());
        assertEquals(List.of("square", "main"), gdbFrames.stream().map(f -> f[0]).toList(), reference);
        Matcher pc = Pattern.compile("^\\$1 = 0x([0-9a-f]+)", Pattern.MULTILINE).matcher(reference);
        assertTrue(pc.find(), reference);
        long gdbPc = Long.parseUnsignedLong(pc.group(1), 16);

        ILaunchConfigurationWorkingCopy wc = DebugPlugin.getDefault().getLaunchManager()
                .getLaunchConfigurationType(ICDTLaunchConfigurationConstants.ID_LAUNCH_C_POST_MORTEM)
                .newInstance(null, "loop core");
        wc.setAttribute(ICDTLaunchConfigurationConstants.ATTR_COREFILE_PATH, core.toString());
        wc.setPreferredLaunchDelegate(Set.of(ILaunchManager.DEBUG_MODE), DELEGATE);
        launch = wc.launch(ILaunchManager.DEBUG_MODE, null);
        PostmortemLaunch postmortem = assertInstanceOf(PostmortemLaunch.class, launch);
        String sessionId = postmortem.getSession().getId();

        // The Debug view's real tree: the launch, the core's process, its thread, the thread's frames.
        IDebugView debug = (IDebugView) Workbench.page().showView(IDebugUIConstants.ID_DEBUG_VIEW);
        Tree tree = (Tree) debug.getViewer().getControl();
        List<TreeItem> frames = Workbench.waitFor(Duration.ofSeconds(30), "the Debug view shows the core's frames", () -> {
            List<TreeItem> found = new ArrayList<>();
            for (TreeItem i : TreeItems.expandAll(tree)) {
                if (i.getData() instanceof IDMVMContext vmc && vmc.getDMContext() instanceof IFrameDMContext f
                        && f.getSessionId().equals(sessionId) && FRAME_LABEL.matcher(i.getText()).find()) {
                    found.add(i);
                }
            }
            return found.size() >= gdbFrames.size() ? found : null;
        });
        TreeItem threadItem = frames.get(0).getParentItem();
        TreeItem processItem = threadItem.getParentItem();
        TreeItem launchItem = processItem.getParentItem();
        assertEquals(launch, launchItem.getData(), "the launch is the process's parent row");
        ProcessContext process = assertInstanceOf(ProcessContext.class, ((IDMVMContext) processItem.getData()).getDMContext());
        assertEquals(tid, process.pid(), "the core's process is gdb's LWP");
        assertTrue(processItem.getText().contains("loop"), "the process row names the program: " + processItem.getText());
        ThreadContext thread = assertInstanceOf(ThreadContext.class, ((IDMVMContext) threadItem.getData()).getDMContext());
        assertEquals(tid, thread.tid());
        Workbench.waitUntil("the thread's label says the signal", Duration.ofSeconds(10),
                () -> threadItem.getText().startsWith("thread " + tid + " [" + state + "]"));
        for (int i = 0; i < gdbFrames.size(); i++) {
            String[] g = gdbFrames.get(i);
            Matcher label = FRAME_LABEL.matcher(frames.get(i).getText());
            assertTrue(label.find(), frames.get(i).getText());
            assertEquals(g[0], label.group(1), "frame " + i + ": " + frames.get(i).getText());
            assertEquals(Path.of(g[1]).getFileName().toString(), Path.of(label.group(2)).getFileName().toString(), "frame " + i);
            assertEquals(g[2], label.group(3), "frame " + i + "'s line");
            assertEquals(threadItem, frames.get(i).getParentItem());
        }
        Workbench.screenshot("postmortem-debug-view-thread-and-frames.png");

        // The top frame selected, as a click does: the Registers view shows that frame's rip.
        TreeItem top = frames.get(0);
        tree.setSelection(top);
        Event click = new Event();
        click.item = top;
        tree.notifyListeners(SWT.Selection, click);
        Workbench.waitUntil("the debug context is the core's top frame", Duration.ofSeconds(10),
                () -> DebugUITools.getDebugContext() == top.getData());
        // DSF's source display opens the frame's file (the launch's CDT source locator) at the frame's line.
        String sourceName = Path.of(gdbFrames.get(0)[1]).getFileName().toString();
        IEditorPart editor = Workbench.waitFor(Duration.ofSeconds(20), "an editor shows " + sourceName, () -> {
            IEditorPart e = Workbench.page().getActiveEditor();
            return e != null && sourceName.equals(e.getEditorInput().getName()) ? e : null;
        });
        ITextEditor text = assertInstanceOf(ITextEditor.class, editor);
        Workbench.waitUntil("the editor's selection is on line " + gdbFrames.get(0)[2], Duration.ofSeconds(10), () -> {
            ISelection sel = text.getSelectionProvider().getSelection();
            return sel instanceof ITextSelection ts && ts.getStartLine() + 1 == Integer.parseInt(gdbFrames.get(0)[2]);
        });
        Workbench.screenshot("postmortem-source-of-top-frame.png");
        long rip = RegistersView.rip("postmortem-registers-view-rip-of-top-frame.png");
        assertEquals(Long.toHexString(gdbPc), Long.toHexString(rip), "rip is gdb's $pc on the same core");
        // The Variables view: the frame's argument and local, gdb's values on the same core ("x = 0", "y = ...").
        Map<String, String> gdbValues = new java.util.HashMap<>();
        for (Matcher v = Pattern.compile("^([xy]) = (-?\\d+)$", Pattern.MULTILINE).matcher(reference); v.find();) {
            gdbValues.put(v.group(1), v.group(2));
        }
        assertEquals(Set.of("x", "y"), gdbValues.keySet(), reference);
        assertEquals(gdbValues, ViewValues.of(IDebugUIConstants.ID_VARIABLE_VIEW, List.of("x", "y"),
                "postmortem-variables-view-of-top-frame.png"), "the Variables view shows gdb's values of the core's frame");

        // A Memory view monitor of $rsp (what the view's Add Memory Monitor makes): the core's stack bytes, gdb's x/8xb $sp.
        Matcher x = Pattern.compile("^0x[0-9a-f]+[^:]*:((?:\\s+0x[0-9a-f]{2}){8})", Pattern.MULTILINE).matcher(reference);
        assertTrue(x.find(), reference);
        String[] gdbBytes = x.group(1).strip().split("\\s+");
        Object context = DebugUITools.getDebugContext();
        IMemoryBlockRetrievalExtension retrieval = assertInstanceOf(IMemoryBlockRetrievalExtension.class,
                Adapters.adapt(context, IMemoryBlockRetrieval.class), "the core's memory block retrieval");
        IMemoryBlockExtension block = retrieval.getExtendedMemoryBlock("$rsp", context);
        assertNotNull(block, "a monitor of $rsp");
        MemoryByte[] bytes = block.getBytesFromAddress(block.getBigBaseAddress(), 8);
        for (int i = 0; i < 8; i++) {
            assertTrue(bytes[i].isReadable(), "byte " + i);
            assertEquals(Integer.parseInt(gdbBytes[i].substring(2), 16), bytes[i].getValue() & 0xff, "stack byte " + i + " (gdb: " + x.group(1) + ")");
        }

        // CDT's Disassembly view on the core's top frame: its caret on the pc's line, which shows gdb's x/i $pc.
        Matcher xi = Pattern.compile("^=> 0x[0-9a-f]+ <[^>]*>:\\s*(.+)$", Pattern.MULTILINE).matcher(reference);
        assertTrue(xi.find(), "gdb's instruction at the core's pc: " + reference);
        String instruction = xi.group(1).strip();
        org.eclipse.ui.IViewPart disassembly = Workbench.page().showView("org.eclipse.cdt.dsf.debug.ui.disassembly.view");
        Workbench.page().setPartState(Workbench.page().getReference(disassembly), org.eclipse.ui.IWorkbenchPage.STATE_MAXIMIZED);
        String atPc = Workbench.waitFor(Duration.ofSeconds(30), "the Disassembly view's pc line is gdb's \"" + instruction + "\"",
                () -> Controls.caretLine(Workbench.shell(), line -> Gdb.sameInstruction(line, instruction)));
        Workbench.screenshot("postmortem-disassembly-view-at-pc.png");
        Workbench.page().setPartState(Workbench.page().getReference(disassembly), org.eclipse.ui.IWorkbenchPage.STATE_RESTORED);
        assertTrue(Gdb.sameInstruction(atPc, instruction), atPc);
    }
}
