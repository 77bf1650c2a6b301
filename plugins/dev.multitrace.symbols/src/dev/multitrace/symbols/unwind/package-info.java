/**
 * Stack unwinding, pure Java: {@link dev.multitrace.symbols.unwind.Unwinder} walks a thread's stack from a
 * {@link dev.multitrace.symbols.Registers} snapshot (DWARF x86-64 numbering: rip 16, rsp 7, rbp 6)
 * and a {@link dev.multitrace.symbols.MemoryReader}, with the modules of a
 * {@link dev.multitrace.symbols.ProcessSymbols}, into {@link dev.multitrace.symbols.unwind.Frame}s.
 * <p>
 * For a debugger on the tracing service: take the thread's {@code user_regs_struct} words
 * ({@link dev.multitrace.symbols.Registers#fromUserRegs(long[])}), wrap the service's memory reads
 * in a {@code MemoryReader} (return how many bytes could be read; never throw for unmapped memory), and
 * call {@code Unwinder.unwind(registers, memory, symbols)}. For tools and tests: a core file
 * ({@link dev.multitrace.symbols.CoreFile} is a MemoryReader with threads' registers and a load map) or
 * {@link dev.multitrace.symbols.unwind.ProcessMemory} ({@code /proc/PID/mem}).
 * <p>
 * Where it gets each caller: the CFI of the module at the pc ({@link dev.multitrace.symbols.unwind.CallFrameInfo}:
 * {@code .eh_frame}, then {@code .debug_frame}, also from the separate debug file; rules checked against
 * {@code readelf --debug-dump=frames-interp}); signal frames through glibc's {@code __restore_rt} (its CIE's
 * {@code S} augmentation, or without CFI its {@code mov $15,%rax; syscall} code and the ucontext on the
 * stack); otherwise frame pointers, reading the prologue for a frame stopped before its frame is set up.
 * Return addresses are looked up at pc - 1, except in the innermost frame and below a signal frame.
 */
package dev.multitrace.symbols.unwind;
