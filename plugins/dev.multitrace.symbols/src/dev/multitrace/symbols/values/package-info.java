/**
 * Variables and values of a stopped program, as gdb shows them.
 * <p>
 * For a debugger: unwind the thread ({@link dev.multitrace.symbols.unwind.Unwinder}), then
 * {@link dev.multitrace.symbols.values.FrameScope#of} gives a frame's arguments, locals (innermost block first)
 * and a lookup of any name visible there (then file statics and globals of every module). Values are read
 * through the frame's registers (outer frames: as the unwinder recovered them, the rest as gdb's "same
 * value"), its CFA and a {@link dev.multitrace.symbols.MemoryReader}; DWARF location expressions and
 * lists, entry values through the caller's call sites, xmm registers, thread-local storage of the executable
 * and variable-length arrays are handled. {@link dev.multitrace.symbols.values.ValueFormat} prints a
 * {@link dev.multitrace.symbols.values.Value} exactly as gdb's {@code print}, {@code info locals} and the
 * {@code /x}-style formats do. Registers must carry {@code fs_base} for TLS, and xmm0-15 for variables in
 * SSE registers ({@link dev.multitrace.symbols.Registers#withVectors}).
 */
package dev.multitrace.symbols.values;
