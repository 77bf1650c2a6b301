package dev.multitrace.debug.ui;

import org.eclipse.core.expressions.PropertyTester;
import org.eclipse.core.runtime.Platform;

/**
 * {@code dev.multitrace.debug.ui.cdtDebugInstalled}: whether CDT's C/C++ debug model is installed.
 * Where it is, a C program has one breakpoint model and one way to be launched, CDT's (its ruler
 * action and line breakpoints, Debug As > C/C++ Application with Multitrace as the debugger): this
 * bundle's own ruler breakpoints, breakpoint commands and launch shortcut test this and step aside.
 * The receiver does not matter (the platform's own isBundleInstalled needs a variable that the
 * debug UI's evaluation contexts do not define).
 */
public final class CdtPresenceTester extends PropertyTester {

    /** The bundle of CDT's breakpoint model ({@code ICLineBreakpoint}) and launch types. */
    static final String CDT_DEBUG_CORE = "org.eclipse.cdt.debug.core";

    @Override
    public boolean test(Object receiver, String property, Object[] args, Object expectedValue) {
        // value="false" in an expression asks for its absence; a tester compares the expected value itself.
        boolean installed = isCdtDebugInstalled();
        return expectedValue == null ? installed : expectedValue.equals(installed);
    }

    public static boolean isCdtDebugInstalled() {
        return Platform.getBundle(CDT_DEBUG_CORE) != null;
    }
}
