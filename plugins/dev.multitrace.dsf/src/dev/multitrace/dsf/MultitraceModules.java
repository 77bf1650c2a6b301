package dev.multitrace.dsf;

import dev.multitrace.session.DebugSession;
import dev.multitrace.session.ModuleInfo;
import dev.multitrace.session.SourcePosition;

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eclipse.cdt.core.IAddress;
import org.eclipse.cdt.dsf.concurrent.DataRequestMonitor;
import org.eclipse.cdt.dsf.concurrent.RequestMonitor;
import org.eclipse.cdt.dsf.datamodel.AbstractDMContext;
import org.eclipse.cdt.dsf.datamodel.AbstractDMEvent;
import org.eclipse.cdt.dsf.datamodel.DMContexts;
import org.eclipse.cdt.dsf.datamodel.IDMContext;
import org.eclipse.cdt.dsf.debug.service.IModules;
import org.eclipse.cdt.dsf.service.DsfServiceEventHandler;
import org.eclipse.cdt.dsf.service.DsfSession;
import org.eclipse.cdt.utils.Addr64;

/**
 * The Modules view: the files mapped in the process (executable, dynamic linker, shared libraries) as the
 * session's symbols know them, each with its load range and whether it has debug information; the address of a
 * source line and the line of an address. When the dynamic linker's list changes (a {@code dlopen}, seen by the
 * session at the linker's breakpoint) or the process execs, the modules that came and went are announced as
 * loaded and unloaded events.
 */
public final class MultitraceModules extends SessionService implements IModules {

    /**
     * Per process (pid: the launch's, and each fork child it follows), the modules as last announced, by path, to
     * tell what a change added and removed.
     */
    private final Map<Integer, Map<String, ModuleInfo>> known = new java.util.HashMap<>();

    public MultitraceModules(DsfSession session) {
        super(session, true, IModules.class);
    }

    /** One mapped file of a process. */
    public static final class ModuleContext extends AbstractDMContext implements IModuleDMContext {
        private final String path;

        ModuleContext(ProcessContext process, String path) {
            super(process.getSessionId(), new IDMContext[] { process });
            this.path = path;
        }

        public String path() {
            return path;
        }

        @Override
        public boolean equals(Object o) {
            return baseEquals(o) && ((ModuleContext) o).path.equals(path);
        }

        @Override
        public int hashCode() {
            return baseHashCode() ^ path.hashCode();
        }

        @Override
        public String toString() {
            return baseToString() + ".module[" + path + "]";
        }
    }

    private record ModuleData(ModuleInfo m, long timeStamp) implements IModuleDMData {
        @Override
        public String getName() {
            return m.name();
        }

        @Override
        public String getFile() {
            return m.path();
        }

        @Override
        public long getTimeStamp() {
            return timeStamp;
        }

        @Override
        public String getBaseAddress() {
            return "0x" + Long.toHexString(m.base());
        }

        @Override
        public String getToAddress() {
            return "0x" + Long.toHexString(m.end());
        }

        /** Whether the module has debug information (source lines): its ELF symbols are always read. */
        @Override
        public boolean isSymbolsLoaded() {
            return m.debugInfo();
        }

        @Override
        public long getSize() {
            return m.size();
        }
    }

    private record Line(IAddress address, String file, int line) implements LineInfo {
        @Override
        public IAddress getAddress() {
            return address;
        }

        @Override
        public String getSourceFile() {
            return file;
        }

        @Override
        public int getStartLine() {
            return line;
        }

        @Override
        public int getStartColumn() {
            return 0;
        }

        @Override
        public int getEndLine() {
            return line;
        }

        @Override
        public int getEndColumn() {
            return 0;
        }
    }

    private record Range(IAddress start, IAddress end) implements AddressRange {
        @Override
        public IAddress getStartAddress() {
            return start;
        }

        @Override
        public IAddress getEndAddress() {
            return end;
        }
    }

    private static IAddress address(long value) {
        return new Addr64(MultitraceDisassembly.unsigned(value));
    }

    private abstract static class ChangeEvent extends AbstractDMEvent<ISymbolDMContext> {
        ChangeEvent(ProcessContext process) {
            super(process);
        }
    }

    public static final class LoadedEvent extends ChangeEvent implements ModuleLoadedDMEvent {
        private final ModuleContext module;

        LoadedEvent(ProcessContext process, ModuleContext module) {
            super(process);
            this.module = module;
        }

        @Override
        public IModuleDMContext getLoadedModuleContext() {
            return module;
        }
    }

    public static final class UnloadedEvent extends ChangeEvent implements ModuleUnloadedDMEvent {
        private final ModuleContext module;

        UnloadedEvent(ProcessContext process, ModuleContext module) {
            super(process);
            this.module = module;
        }

        @Override
        public IModuleDMContext getUnloadedModuleContext() {
            return module;
        }
    }

    // ------------------------------------------------------------------ events

    @DsfServiceEventHandler
    public void eventDispatched(SessionEvents.ProcessStarted e) {
        known.clear();
    }

    @DsfServiceEventHandler
    public void eventDispatched(SessionEvents.ProcessEnded e) {
        known.remove(e.process().pid());
    }

    @DsfServiceEventHandler
    public void eventDispatched(SessionEvents.ModulesChanged e) {
        DebugSession s = backend.sessionOf(e.process());
        if (s == null || s.isEnded()) {
            return;
        }
        Map<String, ModuleInfo> now = byPath(s.symbols().modules());
        Map<String, ModuleInfo> before = known.getOrDefault(s.pid(), Map.of());
        for (String path : before.keySet()) {
            if (!now.containsKey(path)) {
                getSession().dispatchEvent(new UnloadedEvent(e.process(), new ModuleContext(e.process(), path)), getProperties());
            }
        }
        for (String path : now.keySet()) {
            if (!before.containsKey(path)) {
                getSession().dispatchEvent(new LoadedEvent(e.process(), new ModuleContext(e.process(), path)), getProperties());
            }
        }
        known.put(s.pid(), now);
    }

    private static Map<String, ModuleInfo> byPath(List<ModuleInfo> modules) {
        Map<String, ModuleInfo> out = new LinkedHashMap<>();
        for (ModuleInfo m : modules) {
            out.putIfAbsent(m.path(), m);
        }
        return out;
    }

    // ------------------------------------------------------------------ requests

    private DebugSession session(IDMContext ctx, RequestMonitor rm) {
        return backend.live(DMContexts.getAncestorOfType(ctx, ProcessContext.class), rm);
    }

    @Override
    public void getModules(ISymbolDMContext ctx, DataRequestMonitor<IModuleDMContext[]> rm) {
        DebugSession s = session(ctx, rm);
        if (s == null) {
            return;
        }
        ProcessContext p = DMContexts.getAncestorOfType(ctx, ProcessContext.class);
        Map<String, ModuleInfo> now = byPath(s.symbols().modules());
        known.putIfAbsent(s.pid(), now); // what a view sees first is no change
        rm.setData(now.keySet().stream().map(path -> new ModuleContext(p, path)).toArray(IModuleDMContext[]::new));
        rm.done();
    }

    @Override
    public void getModuleData(IModuleDMContext ctx, DataRequestMonitor<IModuleDMData> rm) {
        DebugSession s = session(ctx, rm);
        if (s == null) {
            return;
        }
        if (!(ctx instanceof ModuleContext m)) {
            rm.setStatus(DebugSessionService.error(INVALID_HANDLE, "not a module of this session: " + ctx));
            rm.done();
            return;
        }
        Optional<ModuleInfo> info = s.symbols().modules().stream().filter(x -> x.path().equals(m.path())).findFirst();
        if (info.isEmpty()) {
            rm.setStatus(DebugSessionService.error(INVALID_HANDLE, m.path() + " is not loaded any more"));
        } else {
            rm.setData(new ModuleData(info.get(), new File(m.path()).lastModified()));
        }
        rm.done();
    }

    @Override
    public void calcLineInfo(ISymbolDMContext ctx, IAddress address, DataRequestMonitor<LineInfo[]> rm) {
        DebugSession s = session(ctx, rm);
        if (s == null) {
            return;
        }
        Optional<SourcePosition> p = s.symbols().lineAt(address.getValue().longValue()).filter(x -> x.line() > 0);
        rm.setData(p.map(x -> new LineInfo[] { new Line(address(x.rowStart()), x.file(), x.line()) }).orElse(new LineInfo[0]));
        rm.done();
    }

    /** Each code range of the line: from one of its rows' addresses to where that row ends. */
    @Override
    public void calcAddressInfo(ISymbolDMContext ctx, String file, int line, int col, DataRequestMonitor<AddressRange[]> rm) {
        DebugSession s = session(ctx, rm);
        if (s == null) {
            return;
        }
        List<AddressRange> out = new ArrayList<>();
        for (long a : s.symbols().addressesFor(file, line)) {
            long end = s.symbols().lineAt(a).map(SourcePosition::rowEnd).orElse(a + 1);
            out.add(new Range(address(a), address(end)));
        }
        rm.setData(out.toArray(AddressRange[]::new));
        rm.done();
    }
}
