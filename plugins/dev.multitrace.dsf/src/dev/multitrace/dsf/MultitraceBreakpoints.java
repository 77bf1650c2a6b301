package dev.multitrace.dsf;

import dev.multitrace.core.WatchKind;
import dev.multitrace.session.CodeBreakpoint;
import dev.multitrace.session.BreakpointCondition;
import dev.multitrace.session.DataWatchpoint;
import dev.multitrace.session.DebugSession;
import dev.multitrace.session.EventCatchpoint;
import dev.multitrace.session.FunctionInfo;
import dev.multitrace.session.SessionSymbols;
import dev.multitrace.session.SourceSyntax;
import dev.multitrace.session.StopReason;

import java.math.BigInteger;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;

import org.eclipse.cdt.core.IAddress;
import org.eclipse.cdt.dsf.concurrent.DataRequestMonitor;
import org.eclipse.cdt.dsf.concurrent.RequestMonitor;
import org.eclipse.cdt.dsf.datamodel.AbstractDMContext;
import org.eclipse.cdt.dsf.datamodel.AbstractDMEvent;
import org.eclipse.cdt.dsf.datamodel.DMContexts;
import org.eclipse.cdt.dsf.datamodel.IDMContext;
import org.eclipse.cdt.dsf.debug.service.IBreakpoints;
import org.eclipse.cdt.dsf.debug.service.IBreakpointsExtension;
import org.eclipse.cdt.dsf.debug.service.IRunControl.IExecutionDMContext;
import org.eclipse.cdt.dsf.service.DsfServiceEventHandler;
import org.eclipse.cdt.dsf.service.DsfSession;
import org.eclipse.cdt.utils.Addr64;

/**
 * Target breakpoints: a line ({@code file:line}), a function (stops past its prologue, as gdb's
 * {@code break main}) or an address, with a C condition (the program's variables, registers as $rdi), a gdb-style
 * ignore count, enabled or not, and temporary (gone after its first stop). Each is one
 * {@link CodeBreakpoint} of the session; a line or function not loaded yet waits for its library (pending).
 * A code breakpoint may stop only some threads (a thread filter). A watchpoint stops after each write
 * (or, where the debug registers trap, each access) to the bytes of a C lvalue, as gdb's {@code watch} and
 * {@code awatch}: one {@link DataWatchpoint} of the session, whose expression is evaluated where a
 * suspended thread is (its innermost frame) when it is planted. An event breakpoint stops at an event of
 * the process ({@link EventCatchpoint}: a signal, a system call by name or number, exec, a thread's
 * start or exit, fork, vfork).
 * What a target breakpoint is, is a map of the attributes below: {@link CBreakpointTranslator} makes them
 * from CDT's breakpoints for the {@link org.eclipse.cdt.dsf.debug.service.BreakpointsMediator2}.
 */
public final class MultitraceBreakpoints extends SessionService implements IBreakpointsExtension {

    /** {@link #LINE_KIND}, {@link #FUNCTION_KIND}, {@link #ADDRESS_KIND}, {@link #WATCHPOINT_KIND} or {@link #EVENT_KIND}. */
    public static final String KIND = "multitrace.kind";
    public static final String LINE_KIND = "line";
    public static final String FUNCTION_KIND = "function";
    public static final String ADDRESS_KIND = "address";
    public static final String WATCHPOINT_KIND = "watchpoint";
    /** String: the C lvalue a watchpoint watches ({@code chain[1].count}, {@code *p}). */
    public static final String EXPRESSION = "multitrace.expression";
    /** Boolean: a watchpoint stops at reads (x86 has no read-only watch: at writes too, as gdb's awatch). */
    public static final String READ = "multitrace.read";
    /** Boolean, default true: a watchpoint stops at writes. */
    public static final String WRITE = "multitrace.write";
    public static final String EVENT_KIND = "event";
    /** String: an event breakpoint's event, one of {@link #EVENTS}. */
    public static final String EVENT = "multitrace.event";
    /** String: an event breakpoint's signal ({@code SIGCHLD}, {@code 17}) or system call ({@code openat}, {@code 257}); blank: any. */
    public static final String EVENT_ARGUMENT = "multitrace.eventArgument";
    /** The events of {@link #EVENT}, as the session's catchpoints know them. */
    public static final Map<String, EventCatchpoint.Kind> EVENTS = Map.of("signal", EventCatchpoint.Kind.SIGNAL, "syscall",
            EventCatchpoint.Kind.SYSCALL, "exec", EventCatchpoint.Kind.EXEC, "threadStart",
            EventCatchpoint.Kind.THREAD_START, "threadExit", EventCatchpoint.Kind.THREAD_EXIT, "fork", EventCatchpoint.Kind.FORK,
            "vfork", EventCatchpoint.Kind.VFORK);
    /** A collection of Integer thread ids: a code breakpoint stops only these threads (none or absent: every thread). */
    public static final String THREADS = "multitrace.threads";
    /** The source file of a line breakpoint: a full path or a trailing part ({@code loop.c}). */
    public static final String FILE = "multitrace.file";
    /** Integer: the line of a line breakpoint. */
    public static final String LINE = "multitrace.line";
    public static final String FUNCTION = "multitrace.function";
    /** String: the address of an address breakpoint, {@code 0x} hexadecimal or decimal. */
    public static final String ADDRESS = "multitrace.address";
    /** String: a C condition on the program's variables, registers as {@code $rdi} ({@code p->count > 5 && flag}, {@code $rdi == 3}). */
    public static final String CONDITION = "multitrace.condition";
    /** Integer: how many hits (that pass the condition) to let go before stopping, as gdb's ignore count. */
    public static final String IGNORE_COUNT = "multitrace.ignoreCount";
    /** Boolean, default true. */
    public static final String ENABLED = "multitrace.enabled";
    /** Boolean, default false: removed from the process at its first stop (run to line, stop at main). */
    public static final String TEMPORARY = "multitrace.temporary";

    /** A target breakpoint. */
    public static final class BreakpointContext extends AbstractDMContext implements IBreakpointDMContext {
        private final int id;

        BreakpointContext(ProcessContext target, int id) {
            super(target.getSessionId(), new IDMContext[] { target });
            this.id = id;
        }

        public int id() {
            return id;
        }

        @Override
        public boolean equals(Object o) {
            return baseEquals(o) && ((BreakpointContext) o).id == id;
        }

        @Override
        public int hashCode() {
            return baseHashCode() ^ id;
        }

        @Override
        public String toString() {
            return baseToString() + ".breakpoint[" + id + "]";
        }
    }

    /** A target breakpoint's attributes and what the session plants for it (null while disabled or spent). */
    private static final class Entry {
        Map<String, Object> attributes;
        CodeBreakpoint planted;
        /** How {@link #planted} finds its addresses in a session's symbols; null for an address breakpoint. */
        Function<SessionSymbols, long[]> resolver;
        DataWatchpoint watched;
        EventCatchpoint caught;
        boolean spent;

        Entry(Map<String, Object> attributes) {
            this.attributes = attributes;
        }
    }

    private final Map<BreakpointContext, Entry> entries = new LinkedHashMap<>();
    private int nextId = 1;
    private MultitraceRunControl runControl;

    public MultitraceBreakpoints(DsfSession session) {
        super(session, true, IBreakpoints.class, IBreakpointsExtension.class);
    }

    @Override
    protected void started() {
        runControl = getServicesTracker().getService(MultitraceRunControl.class);
    }

    // ------------------------------------------------------------------ events

    public static final class BreakpointsChangedEvent extends AbstractDMEvent<IBreakpointsTargetDMContext>
            implements IBreakpointsAddedEvent, IBreakpointsUpdatedEvent, IBreakpointsRemovedEvent {
        private final IBreakpointDMContext[] breakpoints;

        BreakpointsChangedEvent(IBreakpointsTargetDMContext target, IBreakpointDMContext bp) {
            super(target);
            this.breakpoints = new IBreakpointDMContext[] { bp };
        }

        @Override
        public IBreakpointDMContext[] getBreakpoints() {
            return breakpoints.clone();
        }
    }

    /** A temporary breakpoint is spent at its first stop: the session plants it no more. */
    @DsfServiceEventHandler
    public void eventDispatched(SessionEvents.ThreadStopped e) {
        if (e.reason().kind() != StopReason.Kind.BREAKPOINT || !(e.reason().breakpoint() instanceof BreakpointContext b)) {
            return;
        }
        Entry entry = entries.get(b);
        if (entry != null && bool(entry.attributes, TEMPORARY, false) && entry.planted != null) {
            for (DebugSession s : backend.liveSessions()) {
                s.removeBreakpoint(entry.planted);
            }
            entry.planted = null;
            entry.spent = true;
        }
    }

    /** A new process (an exec'd image is the session's to re-plant): breakpoints of a former one are gone. */
    @DsfServiceEventHandler
    public void eventDispatched(SessionEvents.ProcessStarted e) {
        entries.clear();
    }

    // ------------------------------------------------------------------ requests

    @Override
    public void getBreakpoints(IBreakpointsTargetDMContext target, DataRequestMonitor<IBreakpointDMContext[]> rm) {
        rm.setData(entries.keySet().stream().filter(b -> b.getParents()[0].equals(target))
                .toArray(IBreakpointDMContext[]::new));
        rm.done();
    }

    @Override
    public void getBreakpointDMData(IBreakpointDMContext ctx, DataRequestMonitor<IBreakpointDMData> rm) {
        Entry e = entries.get(ctx);
        if (e == null) {
            fail(rm, INVALID_HANDLE, "no breakpoint " + ctx);
            return;
        }
        DebugSession s = backend.debugSession();
        long[] at = e.watched != null ? new long[] { e.watched.address() }
                : e.planted == null || s == null ? new long[0] : s.plantedAddresses(e.planted);
        rm.setData(new BreakpointData(Map.copyOf(e.attributes), at));
        rm.done();
    }

    @Override
    public void insertBreakpoint(IBreakpointsTargetDMContext target, Map<String, Object> attributes,
            DataRequestMonitor<IBreakpointDMContext> rm) {
        ProcessContext p = DMContexts.getAncestorOfType(target, ProcessContext.class);
        DebugSession s = backend.live(p, rm);
        if (s == null) {
            return;
        }
        BreakpointContext ctx = new BreakpointContext(p, nextId++);
        Entry entry = new Entry(new HashMap<>(attributes));
        String problem = plant(s, ctx, entry);
        if (problem != null) {
            fail(rm, REQUEST_FAILED, problem);
            return;
        }
        spread(s, entry);
        entries.put(ctx, entry);
        getSession().dispatchEvent(new BreakpointsChangedEvent(p, ctx), getProperties());
        rm.setData(ctx);
        rm.done();
    }

    @Override
    public void removeBreakpoint(IBreakpointDMContext ctx, RequestMonitor rm) {
        Entry e = entries.remove(ctx);
        if (e == null) {
            fail(rm, INVALID_HANDLE, "no breakpoint " + ctx);
            return;
        }
        unplant(e);
        getSession().dispatchEvent(new BreakpointsChangedEvent((IBreakpointsTargetDMContext) ctx.getParents()[0], ctx),
                getProperties());
        rm.done();
    }

    @Override
    public void updateBreakpoint(IBreakpointDMContext ctx, Map<String, Object> delta, RequestMonitor rm) {
        Entry e = entries.get(ctx);
        DebugSession s = backend.debugSession();
        if (e == null || s == null || s.isEnded()) {
            fail(rm, INVALID_HANDLE, "no breakpoint " + ctx);
            return;
        }
        Map<String, Object> before = e.attributes;
        unplant(e);
        e.attributes = new HashMap<>(before);
        e.attributes.putAll(delta);
        e.spent = false;
        String problem = plant(s, (BreakpointContext) ctx, e);
        if (problem != null) {
            e.attributes = before; // the old one again: an update that fails changes nothing
            plant(s, (BreakpointContext) ctx, e);
            spread(s, e);
            fail(rm, REQUEST_FAILED, problem);
            return;
        }
        spread(s, e);
        getSession().dispatchEvent(new BreakpointsChangedEvent((IBreakpointsTargetDMContext) ctx.getParents()[0], ctx),
                getProperties());
        rm.done();
    }

    @Override
    public void getExecutionContextBreakpoints(IExecutionDMContext ctx, DataRequestMonitor<IBreakpointDMContext[]> rm) {
        StopReason r = ctx instanceof ThreadContext t ? runControl.stopOf(t) : null;
        rm.setData(r != null && r.breakpoint() instanceof BreakpointContext b ? new IBreakpointDMContext[] { b }
                : new IBreakpointDMContext[0]);
        rm.done();
    }

    /** How many times the target breakpoint stopped or was counted (its ignore count's hits included). */
    public int hitCount(IBreakpointDMContext ctx) {
        Entry e = entries.get(ctx);
        if (e == null || e.planted == null) {
            return 0;
        }
        return backend.liveSessions().stream().mapToInt(s -> s.hitCount(e.planted)).sum(); // the followed children's too
    }

    /**
     * What {@code e} planted in {@code planted} (the launch's or the attach's session), planted in the followed fork
     * children too: one breakpoint list for the DSF session, as gdb's for its inferiors. A child has the same image
     * as its parent until it execs, so a code breakpoint's addresses in it are the parent's; after, its resolver
     * finds them in the child's own symbols.
     */
    private void spread(DebugSession planted, Entry e) {
        for (DebugSession c : backend.liveSessions()) {
            if (c == planted) {
                continue;
            }
            try {
                if (e.planted != null) {
                    c.addBreakpoint(e.planted, e.resolver);
                }
                if (e.watched != null) {
                    c.addWatchpoint(e.watched);
                }
                if (e.caught != null) {
                    c.addCatchpoint(e.caught);
                }
            } catch (RuntimeException gone) {
                // the child ended meanwhile, or refuses the address: the launch's process has it
            }
        }
    }

    // ------------------------------------------------------------------ planting

    /** Plants {@code e} in the session unless disabled; the reason it cannot be planted, or null. */
    private static String plant(DebugSession s, BreakpointContext ctx, Entry e) {
        Map<String, Object> a = e.attributes;
        String kind = String.valueOf(a.get(KIND));
        BreakpointCondition condition = null;
        Object c = a.get(CONDITION);
        if (c instanceof String text && !text.isBlank()) {
            String problem = SourceSyntax.problem(text);
            if (problem != null) {
                return "bad condition '" + text + "': " + problem;
            }
            condition = BreakpointCondition.of(text);
        }
        int ignore = a.get(IGNORE_COUNT) instanceof Number n ? n.intValue() : 0;
        if (ignore < 0) {
            return "negative ignore count " + ignore;
        }
        Set<Integer> threads = threads(a.get(THREADS));
        if (threads == null) {
            return "a thread filter is a collection of thread ids, not " + a.get(THREADS);
        }
        if (EVENT_KIND.equals(kind)) {
            if (condition != null || ignore != 0 || !threads.isEmpty()) {
                return "an event breakpoint takes no condition, ignore count or thread filter here (yet)";
            }
            EventCatchpoint.Kind event = EVENTS.get(String.valueOf(a.get(EVENT)));
            if (event == null) {
                return "unknown event '" + a.get(EVENT) + "' (one of " + String.join(", ", new java.util.TreeSet<>(EVENTS.keySet())) + ")";
            }
            EventCatchpoint catchpoint;
            try {
                catchpoint = EventCatchpoint.of(event, a.get(EVENT_ARGUMENT) instanceof String arg ? arg : "", ctx);
            } catch (IllegalArgumentException ex) {
                return ex.getMessage();
            }
            if (bool(a, ENABLED, true)) {
                s.addCatchpoint(catchpoint);
                e.caught = catchpoint;
            }
            return null;
        }
        if (WATCHPOINT_KIND.equals(kind)) {
            if (condition != null || ignore != 0 || !threads.isEmpty()) {
                return "a watchpoint takes no condition, ignore count or thread filter here (yet)";
            }
            return bool(a, ENABLED, true) ? watch(s, ctx, e) : null;
        }
        String label;
        Function<SessionSymbols, long[]> resolver;
        switch (kind) {
        case LINE_KIND -> {
            String file = String.valueOf(a.get(FILE));
            int line = a.get(LINE) instanceof Number n ? n.intValue() : -1;
            if (file.isEmpty() || line < 1) {
                return "a line breakpoint needs a file and a line";
            }
            label = fileName(file) + ":" + line;
            resolver = symbols -> symbols.addressesFor(file, line);
        }
        case FUNCTION_KIND -> {
            String function = String.valueOf(a.get(FUNCTION));
            label = "function " + function;
            resolver = symbols -> functionBreakAddress(symbols, function);
        }
        case ADDRESS_KIND -> {
            long address;
            try {
                address = Formats.parse(String.valueOf(a.get(ADDRESS)), null);
            } catch (NumberFormatException ex) {
                return "not an address: " + a.get(ADDRESS);
            }
            label = "0x" + Long.toHexString(address);
            resolver = null;
            long[] at = { address };
            if (!bool(a, ENABLED, true)) {
                return null;
            }
            e.planted = new CodeBreakpoint(label, at, condition, ignore == 0 ? 0 : ignore + 1, threads, ctx);
            s.addBreakpoint(e.planted);
            return null;
        }
        default -> {
            return "unknown breakpoint kind '" + kind + "' (" + KIND + " must be line, function, address, watchpoint or event)";
        }
        }
        if (!bool(a, ENABLED, true)) {
            return null;
        }
        // gdb's ignore count K lets K hits go; the session's hit count N stops from the N-th hit on.
        e.planted = new CodeBreakpoint(label, resolver.apply(s.symbols()), condition, ignore == 0 ? 0 : ignore + 1, threads, ctx);
        e.resolver = resolver;
        // With no address yet the session keeps it pending and asks the resolver again at each library change.
        s.addBreakpoint(e.planted, resolver);
        return null;
    }

    /**
     * Inserts the watchpoint of {@code e} in the session: its expression's bytes as they are in the innermost
     * frame of a suspended thread. The reason it cannot, or null.
     */
    private static String watch(DebugSession s, BreakpointContext ctx, Entry e) {
        Map<String, Object> a = e.attributes;
        String expression = a.get(EXPRESSION) instanceof String x ? x.strip() : "";
        if (expression.isEmpty()) {
            return "a watchpoint needs an expression";
        }
        boolean read = bool(a, READ, false);
        if (!read && !bool(a, WRITE, true)) {
            return "a watchpoint watches reads, writes or both";
        }
        Optional<Integer> held = s.threads().stream().filter(s::isHeld).findFirst();
        if (held.isEmpty()) {
            return "suspend the program to set a watchpoint: its expression " + expression + " is evaluated in a suspended thread";
        }
        try {
            DataWatchpoint w = s.variables(held.get(), 0).watchpoint(expression, read ? WatchKind.READ_WRITE : WatchKind.WRITE, ctx);
            s.addWatchpoint(w);
            e.watched = w;
            return null;
        } catch (RuntimeException ex) {
            return "cannot watch " + expression + ": " + ex.getMessage();
        }
    }

    /** The thread ids of a thread filter (empty: every thread), or null if it is not one. */
    private static Set<Integer> threads(Object filter) {
        if (filter == null) {
            return Set.of();
        }
        if (!(filter instanceof Collection<?> c)) {
            return null;
        }
        Set<Integer> out = new HashSet<>();
        for (Object o : c) {
            if (!(o instanceof Integer tid)) {
                return null;
            }
            out.add(tid);
        }
        return out;
    }

    private void unplant(Entry e) {
        for (DebugSession s : backend.liveSessions()) { // a session that does not have one of them ignores it
            if (e.planted != null) {
                s.removeBreakpoint(e.planted);
            }
            if (e.watched != null) {
                s.removeWatchpoint(e.watched);
            }
            if (e.caught != null) {
                s.removeCatchpoint(e.caught);
            }
        }
        e.planted = null;
        e.resolver = null;
        e.watched = null;
        e.caught = null;
    }

    /** Where {@code break FUNCTION} stops: past the prologue, or nowhere yet if it is not loaded. */
    private static long[] functionBreakAddress(SessionSymbols symbols, String function) {
        OptionalLong a = symbols.addressOf(function);
        if (a.isEmpty()) {
            return new long[0];
        }
        Optional<FunctionInfo> f = symbols.functionAt(a.getAsLong());
        return new long[] { f.isPresent() ? symbols.afterPrologue(f.get()) : a.getAsLong() };
    }

    private static String fileName(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }

    static boolean bool(Map<String, Object> a, String key, boolean otherwise) {
        return a.get(key) instanceof Boolean b ? b : otherwise;
    }

    private static void fail(RequestMonitor rm, int code, String message) {
        rm.setStatus(DebugSessionService.error(code, message));
        rm.done();
    }

    private record BreakpointData(Map<String, Object> attributes, long[] planted) implements IBreakpointDMData {
        @Override
        public String getBreakpointType() {
            return String.valueOf(attributes.get(KIND));
        }

        @Override
        public String getFileName() {
            return attributes.get(FILE) instanceof String f ? f : "";
        }

        @Override
        public int getLineNumber() {
            return attributes.get(LINE) instanceof Number n ? n.intValue() : -1;
        }

        @Override
        public String getFunctionName() {
            return attributes.get(FUNCTION) instanceof String f ? f : "";
        }

        @Override
        public IAddress[] getAddresses() {
            IAddress[] out = new IAddress[planted.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = new Addr64(new BigInteger(Long.toUnsignedString(planted[i])));
            }
            return out;
        }

        @Override
        public String getCondition() {
            return attributes.get(CONDITION) instanceof String c ? c : "";
        }

        @Override
        public int getIgnoreCount() {
            return attributes.get(IGNORE_COUNT) instanceof Number n ? n.intValue() : 0;
        }

        @Override
        public boolean isEnabled() {
            return bool(attributes, ENABLED, true);
        }

        @Override
        public String getExpression() {
            return attributes.get(EXPRESSION) instanceof String x ? x : "";
        }
    }
}
