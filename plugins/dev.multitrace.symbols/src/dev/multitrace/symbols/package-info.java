/**
 * The symbol layer: ELF symbols, DWARF line tables and stack unwinding, as a pure Java library
 * (no ptrace, no Eclipse). Filled in by the symbols issue; the bundle exists now so that the
 * layering is enforced by the manifests from the start.
 */
package dev.multitrace.symbols;
