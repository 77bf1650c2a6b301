/**
 * The symbol layer: ELF symbols, DWARF line tables and (later) stack unwinding, as a pure Java library
 * (no ptrace, no Eclipse, no JNA; it reads files and {@code /proc} text only).
 * <ul>
 * <li>{@link dev.multitrace.symbols.elf.ElfFile}: ELF64 headers, sections, symbols, build-id, debug link,
 * compressed sections;</li>
 * <li>{@link dev.multitrace.symbols.dwarf.LineTable}: DWARF 2-5 {@code .debug_line};</li>
 * <li>{@link dev.multitrace.symbols.LoadMap}, {@link dev.multitrace.symbols.LoadedModule},
 * {@link dev.multitrace.symbols.ProcessSymbols}: run-time addresses in a live process.</li>
 * </ul>
 * Bad input is reported as {@link dev.multitrace.symbols.SymbolException}, naming file and section.
 */
package dev.multitrace.symbols;
