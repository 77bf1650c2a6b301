package dev.multitrace.symbols.elf;

/** The symbol containing an address and the address's offset into it ({@code name+0x1c}). */
public record SymbolMatch(ElfSymbol symbol, long offset) {

    public String name() {
        return symbol.name();
    }

    @Override
    public String toString() {
        return offset == 0 ? symbol.name() : symbol.name() + "+0x" + Long.toHexString(offset);
    }
}
