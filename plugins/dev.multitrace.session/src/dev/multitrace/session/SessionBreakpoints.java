package dev.multitrace.session;

import dev.multitrace.core.Engine;
import dev.multitrace.symbols.Auxv;
import dev.multitrace.symbols.LinkMap;
import dev.multitrace.symbols.MemoryReader;
import dev.multitrace.symbols.ProcessSymbols;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * The user breakpoints of a session, and the dynamic linker followed so that breakpoints in libraries are
 * planted when their library is loaded.
 *
 * <h2>Shared libraries</h2>
 * The session follows the dynamic linker as gdb does: at start, attach and exec it finds
 * {@code r_debug} (ld.so's {@code _r_debug}, or the executable's {@code DT_DEBUG}) and plants its own
 * breakpoint at the loader's notification function ({@code r_brk}, glibc's {@code _dl_debug_state};
 * before the loader has filled {@code r_debug} in, that symbol of ld.so). The user never sees its
 * hits: at each one in the CONSISTENT state the symbols are updated from the link map
 * ({@link SessionSymbols#update}) and the thread goes on at once. Breakpoints added with a resolver
 * that gives no address yet (their library is not loaded) are pending: they are resolved and planted
 * at that hit, before the thread runs on, so they hit even in code the library runs right away.
 * Breakpoints in a library that was unloaded go back to pending; at exec all of them do, and are
 * resolved in the new image.
 *
 * <h2>Synchronization</h2>
 * Adding and removing come from any thread (the debug model serializes those of one breakpoint); the
 * loader's notifications, exec and hits come on the tracer thread. The maps are concurrent; a
 * breakpoint's move between pending and planted is guarded by {@link #pendingLock}.
 */
final class SessionBreakpoints {

    private final DebugSession session;
    private final SessionSymbols symbols;
    private final int pid;

    /** The user breakpoints by address. */
    private final Map<Long, List<CodeBreakpoint>> breakpoints = new ConcurrentHashMap<>();
    /** Every user breakpoint of the session (planted or pending), with its hit count. */
    private final Map<CodeBreakpoint, int[]> hits = new ConcurrentHashMap<>();
    /** Where each planted user breakpoint is planted (its own addresses, or what its resolver gave). */
    private final Map<CodeBreakpoint, long[]> plantedAt = new ConcurrentHashMap<>();
    /** How each breakpoint added with a resolver finds its addresses again (libraries loaded, exec). */
    private final Map<CodeBreakpoint, Function<SessionSymbols, long[]>> resolvers = new ConcurrentHashMap<>();
    /** Breakpoints with no address yet: resolved again each time the loader's list changes. */
    private final Set<CodeBreakpoint> pending = ConcurrentHashMap.newKeySet();
    /**
     * Guards the move of a breakpoint between {@link #pending} and {@link #plantedAt}: the tracer
     * thread plants pending ones while other threads remove breakpoints. Never held while waiting
     * for the tracer thread (planting from the tracer thread itself runs inline).
     */
    private final Object pendingLock = new Object();
    /** The loader's notification function, where the debugger's own breakpoint is; 0 if none. */
    private volatile long loaderBreak;
    /** The address of the loader's {@code r_debug}; 0 if unknown (no dynamic linker). */
    private volatile long rDebug;

    SessionBreakpoints(DebugSession session, SessionSymbols symbols) {
        this.session = session;
        this.symbols = symbols;
        this.pid = session.pid();
    }

    /**
     * Plants a user breakpoint at its addresses or, when it has none and a {@code resolver} is
     * given, keeps it pending: the resolver is asked again (on the tracer thread, so it must not
     * block) each time the dynamic linker's list changes, and the breakpoint is planted as soon as
     * it gives addresses. After exec, and when its library is unloaded, it is resolved again.
     * The adding and removing of one breakpoint must not race each other (the debug model
     * serializes them under its breakpoint lock); the tracer thread's resolution may race both.
     */
    void add(CodeBreakpoint bp, Function<SessionSymbols, long[]> resolver) {
        long[] at = bp.addresses();
        if (resolver != null) {
            resolvers.put(bp, resolver);
        }
        hits.put(bp, new int[1]);
        if (at.length == 0) {
            if (resolver != null) {
                pending.add(bp);
                // The library may have been loaded between the caller's resolution and the add
                // (the tracer thread saw no pending breakpoint then): ask once more now.
                resolveNow(bp, resolver);
            }
            return;
        }
        try {
            plant(session.leader(), bp, at);
        } catch (RuntimeException ex) {
            hits.remove(bp);
            resolvers.remove(bp);
            throw ex;
        }
    }

    /**
     * A followed fork child's breakpoints: the parent's, planted where the parent's are (its engine adopted the int3
     * sites the child's memory inherited), hit counts from the parent's. Tracer thread, in the fork's callback.
     * The resolvers are the parent's, asked with the child's symbols: after the child's exec they find the new image's.
     */
    void inheritFrom(SessionBreakpoints parent) {
        synchronized (parent.pendingLock) {
            parent.breakpoints.forEach((address, list) -> breakpoints.put(address, new CopyOnWriteArrayList<>(list)));
            parent.plantedAt.forEach((bp, at) -> plantedAt.put(bp, at.clone()));
            parent.hits.forEach((bp, n) -> hits.put(bp, new int[] { n[0] }));
            resolvers.putAll(parent.resolvers);
            pending.addAll(parent.pending);
        }
        loaderBreak = parent.loaderBreak;
        rDebug = parent.rDebug;
    }

    /** Plants a pending breakpoint if its resolver finds it now; not on the tracer thread. */
    private void resolveNow(CodeBreakpoint bp, Function<SessionSymbols, long[]> resolver) {
        long[] now;
        try {
            now = resolver.apply(symbols);
        } catch (RuntimeException e) {
            return;
        }
        if (now.length == 0) {
            return;
        }
        synchronized (pendingLock) {
            if (!pending.remove(bp)) {
                return; // the tracer thread planted it meanwhile
            }
        }
        try {
            plant(session.leader(), bp, now); // waits for the tracer thread: outside the lock
        } catch (RuntimeException e) {
            pending.add(bp); // e.g. not writable: tried again at the next change
        }
    }

    /** Plants {@code bp} at {@code at}, all or nothing. */
    private void plant(Engine e, CodeBreakpoint bp, long[] at) {
        List<Long> planted = new ArrayList<>();
        try {
            for (long a : at) {
                e.insertBreakpoint(a);
                planted.add(a);
                breakpoints.computeIfAbsent(a, k -> new CopyOnWriteArrayList<>()).add(bp);
            }
        } catch (RuntimeException ex) {
            unplant(e, bp, planted.stream().mapToLong(Long::longValue).toArray());
            throw ex;
        }
        plantedAt.put(bp, at.clone());
    }

    private void unplant(Engine e, CodeBreakpoint bp, long[] at) {
        for (long a : at) {
            List<CodeBreakpoint> l = breakpoints.get(a);
            if (l != null && l.remove(bp)) {
                try {
                    e.removeBreakpoint(a);
                } catch (RuntimeException gone) {
                    // the process exited, or the library was unmapped: no byte left to restore
                }
            }
        }
    }

    void remove(CodeBreakpoint bp) {
        long[] at;
        synchronized (pendingLock) {
            pending.remove(bp);
            resolvers.remove(bp);
            hits.remove(bp);
            at = plantedAt.remove(bp);
        }
        if (session.isEnded() || at == null) {
            return;
        }
        unplant(session.leader(), bp, at);
    }

    /** The user breakpoints of the session, planted or pending. */
    List<CodeBreakpoint> all() {
        return List.copyOf(hits.keySet());
    }

    /** Whether {@code bp} waits for its library (added with a resolver that gave no address yet). */
    boolean isPending(CodeBreakpoint bp) {
        return pending.contains(bp);
    }

    /** Where {@code bp} is planted now (empty while pending). */
    long[] plantedAddresses(CodeBreakpoint bp) {
        long[] at = plantedAt.get(bp);
        return at == null ? new long[0] : at.clone();
    }

    /** The user breakpoints planted at {@code address}. */
    List<CodeBreakpoint> at(long address) {
        return breakpoints.getOrDefault(address, List.of());
    }

    /** How many times {@code bp} was hit (condition and thread filter passed). */
    int hitCount(CodeBreakpoint bp) {
        int[] h = hits.get(bp);
        return h == null ? 0 : h[0];
    }

    /** Whether a hit of {@code bp} on {@code tid} stops it: null if not, else the stop detail. */
    String shouldStop(Engine engine, int tid, CodeBreakpoint bp) {
        if (!bp.appliesTo(tid) || (bp.enabled() != null && !bp.enabled().getAsBoolean())) {
            return null;
        }
        if (bp.condition() != null) {
            try {
                if (!bp.condition().test(engine.examine(), symbols)) {
                    return null;
                }
            } catch (RuntimeException e) {
                // a condition that cannot be evaluated (bad syntax, a name not in scope, unreadable memory) stops, saying why
                return bp.label() + " (condition '" + bp.condition() + "' failed: " + e.getMessage() + ")";
            }
        }
        int[] h = hits.get(bp);
        int n = h == null ? 1 : ++h[0];
        return n >= bp.hitCount() ? bp.label() : null;
    }

    // ------------------------------------------------------------------ following the dynamic linker

    /** Whether {@code address} is the loader's notification function (the debugger's own breakpoint). */
    boolean isLoaderBreak(long address) {
        return address == loaderBreak && address != 0;
    }

    /**
     * Finds the loader's {@code r_debug} and plants the debugger's breakpoint at its notification
     * function; takes the loader's list as it is now if it is consistent. The thread of {@code e}
     * is stopped (held, or in a callback).
     */
    void followLibraries(Engine e) {
        ProcessSymbols ps = symbols.refresh();
        MemoryReader memory = Examinations.memory(e.examine());
        OptionalLong found = LinkMap.findRDebug(ps);
        if (found.isEmpty()) {
            try {
                found = LinkMap.findRDebug(memory, Auxv.ofProcess(pid));
            } catch (java.io.IOException gone) {
                found = OptionalLong.empty();
            }
        }
        long brk = ps.addressOf("_dl_debug_state").orElse(0);
        rDebug = found.orElse(0);
        if (rDebug != 0) {
            Optional<LinkMap> map = LinkMap.read(memory, rDebug);
            if (map.isPresent() && map.get().breakAddress() != 0) {
                brk = map.get().breakAddress(); // filled in by the loader: what it really calls
                if (map.get().state() == LinkMap.State.CONSISTENT && !map.get().objects().isEmpty()) {
                    symbols.update(map.get());
                }
            }
        }
        if (brk != 0) {
            e.insertBreakpoint(brk);
            loaderBreak = brk;
        }
    }

    /** At the loader's notification (tracer thread): new symbols, breakpoints re-resolved. */
    void librariesChanged(Engine e) {
        if (rDebug == 0) {
            return;
        }
        Optional<LinkMap> map = LinkMap.read(Examinations.memory(e.examine()), rDebug);
        if (map.isEmpty() || map.get().state() != LinkMap.State.CONSISTENT) {
            return; // RT_ADD / RT_DELETE: the list is being changed, the CONSISTENT call follows
        }
        symbols.update(map.get());
        dropUnloaded(e);
        resolvePending(e);
        for (SessionListener l : session.listeners) {
            l.librariesChanged();
        }
    }

    /** Breakpoints planted in code no module covers any more (a dlclose) go back to pending. */
    private void dropUnloaded(Engine e) {
        ProcessSymbols now = symbols.current();
        for (Map.Entry<CodeBreakpoint, long[]> p : Map.copyOf(plantedAt).entrySet()) {
            CodeBreakpoint bp = p.getKey();
            if (!resolvers.containsKey(bp)) {
                continue; // fixed addresses: the user's choice
            }
            boolean gone = false;
            for (long a : p.getValue()) {
                gone |= now.moduleAt(a).isEmpty();
            }
            if (gone) {
                synchronized (pendingLock) {
                    long[] at = plantedAt.remove(bp);
                    if (at != null) {
                        unplant(e, bp, at);
                        pending.add(bp);
                    }
                }
            }
        }
    }

    /** Resolves and plants the pending breakpoints whose code is loaded now (tracer thread). */
    private void resolvePending(Engine e) {
        for (CodeBreakpoint bp : List.copyOf(pending)) {
            Function<SessionSymbols, long[]> resolver = resolvers.get(bp);
            long[] at;
            try {
                at = resolver == null ? new long[0] : resolver.apply(symbols);
            } catch (RuntimeException ex) {
                continue; // e.g. its marker was deleted meanwhile: its removal follows
            }
            if (at.length == 0) {
                continue;
            }
            synchronized (pendingLock) {
                if (!pending.remove(bp)) {
                    continue; // removed meanwhile
                }
                try {
                    plant(e, bp, at);
                } catch (RuntimeException ex) {
                    pending.add(bp); // e.g. not writable: try again at the next change
                }
            }
        }
    }

    /** At exec (tracer thread): every breakpoint with a resolver is resolved again in the new image. */
    void imageReplaced(Engine e) {
        breakpoints.clear(); // the service dropped the sites with the old image
        synchronized (pendingLock) {
            for (CodeBreakpoint bp : plantedAt.keySet()) {
                if (resolvers.containsKey(bp)) {
                    pending.add(bp);
                }
            }
            plantedAt.clear();
        }
        loaderBreak = 0;
        rDebug = 0;
        if (session.isDebug()) {
            followLibraries(e);
            resolvePending(e);
        }
    }
}
