package dev.multitrace.symbols.unwind;

import dev.multitrace.symbols.LoadedModule;

/** One unwind step with a module's call frame information. */
final class CfiUnwind {

    private CfiUnwind() {
    }

    /** The step for the frame at {@code lookup} (run-time address), or null if no CFI of the module covers it. */
    static Unwinder.Step step(LoadedModule module, Registers regs, long lookup, MemoryReader memory) {
        return null; // CFI evaluation follows in the next commit; until then frame pointers
    }
}
