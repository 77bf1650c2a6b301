/**
 * The symbol layer: ELF symbols, DWARF line tables, stack unwinding and source-level data, as a pure Java library (no ptrace,
 * no Eclipse, no JNA; it reads files, {@code /proc} and target memory through a reader it is given).
 * <ul>
 * <li>{@link dev.multitrace.symbols.elf.ElfFile}: ELF64 headers, sections, symbols, build-id, debug link,
 * compressed sections;</li>
 * <li>{@link dev.multitrace.symbols.dwarf.LineTable}: DWARF 2-5 {@code .debug_line};</li>
 * <li>{@link dev.multitrace.symbols.LoadMap}, {@link dev.multitrace.symbols.LoadedModule},
 * {@link dev.multitrace.symbols.ProcessSymbols}: run-time addresses in a live process;</li>
 * <li>{@link dev.multitrace.symbols.LinkMap}, {@link dev.multitrace.symbols.Auxv}: the dynamic linker's list
 * of loaded objects read from target memory, and where to break to follow dlopen;</li>
 * <li>{@link dev.multitrace.symbols.CoreFile}: core files (registers, mappings, memory);</li>
 * <li>{@link dev.multitrace.symbols.unwind}: call stacks from CFI, signal frames and frame pointers;</li>
 * <li>{@link dev.multitrace.symbols.types}, {@link dev.multitrace.symbols.values},
 * {@link dev.multitrace.symbols.expr}: C types, a frame's variables and values, and C expressions, printed
 * as gdb prints them.</li>
 * </ul>
 * Bad input is reported as {@link dev.multitrace.symbols.SymbolException}, naming file and section.
 */
package dev.multitrace.symbols;
