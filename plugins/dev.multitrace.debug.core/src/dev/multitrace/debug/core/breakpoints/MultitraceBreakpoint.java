package dev.multitrace.debug.core.breakpoints;

import dev.multitrace.debug.core.MultitraceDebug;
import dev.multitrace.session.BreakpointCondition;
import dev.multitrace.session.DebugSession;
import dev.multitrace.symbols.expr.SyntaxCheck;
import dev.multitrace.symbols.expr.ExpressionException;

import java.util.LinkedHashSet;
import java.util.Set;

import org.eclipse.core.resources.IMarker;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.debug.core.model.IBreakpoint;

/**
 * What the three Multitrace breakpoint kinds (line, function, address) share: a condition, a C
 * expression evaluated at the hit ({@link BreakpointCondition}), a hit count (stop from the N-th hit on, 0: every
 * hit), and a thread filter (thread ids; empty: all threads). All are marker attributes, so they
 * persist with the breakpoint. Setters validate and throw {@link CoreException} naming the problem.
 */
public interface MultitraceBreakpoint extends IBreakpoint {

    /** String marker attribute: the condition, empty for none. */
    String CONDITION = MultitraceDebug.PLUGIN_ID + ".condition";
    /** Int marker attribute: the hit count, 0 for none. */
    String HIT_COUNT = MultitraceDebug.PLUGIN_ID + ".hitCount";
    /** String marker attribute: comma-separated thread ids, empty for all threads. */
    String THREAD_FILTER = MultitraceDebug.PLUGIN_ID + ".threads";

    /** Where the breakpoint is in one session, and how the Debug view names it. */
    record Resolution(long[] addresses, String label) {
    }

    /**
     * The run-time addresses of this breakpoint in the session's process; no addresses if it
     * cannot be placed there (yet: e.g. its library is not loaded).
     */
    Resolution resolve(DebugSession session);

    default String getCondition() {
        IMarker m = getMarker();
        return m == null ? "" : m.getAttribute(CONDITION, "");
    }

    /**
     * Sets the condition (null or blank removes it). Its C syntax is checked here; what it names is only known
     * at a hit, where a condition that cannot be evaluated stops, saying why.
     */
    default void setCondition(String condition) throws CoreException {
        String c = condition == null ? "" : condition.strip();
        if (!c.isEmpty()) {
            try {
                SyntaxCheck.check(c);
            } catch (ExpressionException e) {
                throw new CoreException(MultitraceDebug.error("condition '" + c + "': " + e.getMessage(), e));
            }
        }
        getMarker().setAttribute(CONDITION, c);
    }

    /** The condition for the session, or null for none. */
    default BreakpointCondition parsedCondition() {
        String c = getCondition();
        return c.isBlank() ? null : BreakpointCondition.of(c);
    }

    default int getHitCount() {
        IMarker m = getMarker();
        return m == null ? 0 : m.getAttribute(HIT_COUNT, 0);
    }

    default void setHitCount(int count) throws CoreException {
        if (count < 0) {
            throw new CoreException(MultitraceDebug.error("the hit count must be 0 (none) or positive, not " + count, null));
        }
        getMarker().setAttribute(HIT_COUNT, count);
    }

    default Set<Integer> getThreadFilter() {
        IMarker m = getMarker();
        Set<Integer> out = new LinkedHashSet<>();
        if (m == null) {
            return out;
        }
        for (String s : m.getAttribute(THREAD_FILTER, "").split(",")) {
            if (!s.isBlank()) {
                try {
                    out.add(Integer.parseInt(s.strip()));
                } catch (NumberFormatException ignored) {
                    // written by setThreadFilter only: cannot happen
                }
            }
        }
        return out;
    }

    default void setThreadFilter(Set<Integer> tids) throws CoreException {
        StringBuilder b = new StringBuilder();
        for (int t : tids) {
            if (t <= 0) {
                throw new CoreException(MultitraceDebug.error("not a thread id: " + t, null));
            }
            b.append(b.isEmpty() ? "" : ",").append(t);
        }
        getMarker().setAttribute(THREAD_FILTER, b.toString());
    }
}
