package dev.multitrace.debug.ui.presentation;

import java.util.stream.Collectors;

import org.eclipse.core.resources.IMarker;
import org.eclipse.core.runtime.CoreException;

import dev.multitrace.debug.core.breakpoints.MultitraceAddressBreakpoint;
import dev.multitrace.debug.core.breakpoints.MultitraceBreakpoint;
import dev.multitrace.debug.core.breakpoints.MultitraceFunctionBreakpoint;
import dev.multitrace.debug.core.breakpoints.MultitraceLineBreakpoint;

/** How the Breakpoints view names a Multitrace breakpoint: where it is, then what filters its stops. */
final class BreakpointLabels {

    private BreakpointLabels() {
    }

    /** {@code sample.c [line: 30] [hit count: 3] [if: rax == 2] [threads: 4242]}. */
    static String of(MultitraceBreakpoint bp) {
        StringBuilder b = new StringBuilder(where(bp));
        if (bp.getHitCount() > 0) {
            b.append(" [hit count: ").append(bp.getHitCount()).append(']');
        }
        if (!bp.getCondition().isBlank()) {
            b.append(" [if: ").append(bp.getCondition()).append(']');
        }
        if (!bp.getThreadFilter().isEmpty()) {
            b.append(" [threads: ").append(bp.getThreadFilter().stream().map(String::valueOf).collect(Collectors.joining(", "))).append(']');
        }
        return b.toString();
    }

    private static String where(MultitraceBreakpoint bp) {
        IMarker m = bp.getMarker();
        if (bp instanceof MultitraceLineBreakpoint line) {
            try {
                return line.getSourceName() + " [line: " + line.getLineNumber() + "]";
            } catch (CoreException e) {
                return line.getSourceName();
            }
        }
        if (bp instanceof MultitraceFunctionBreakpoint f) {
            return "function " + f.getFunction();
        }
        if (bp instanceof MultitraceAddressBreakpoint a) {
            return "address 0x" + Long.toHexString(a.getAddress());
        }
        return m == null ? "breakpoint" : m.getAttribute(IMarker.MESSAGE, "breakpoint");
    }
}
