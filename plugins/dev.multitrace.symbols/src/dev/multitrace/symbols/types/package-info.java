/**
 * C types from DWARF 2-5: {@link dev.multitrace.symbols.types.TypeReader} builds a
 * {@link dev.multitrace.symbols.types.CType} from a type DIE (read through
 * {@link dev.multitrace.symbols.dwarf.DieReader}), once per DIE; a declared struct, union or enum is resolved to
 * its definition in another unit. {@link dev.multitrace.symbols.types.TypeNames} names them as gdb does, for
 * {@code whatis} and {@code ptype}.
 */
package dev.multitrace.symbols.types;
