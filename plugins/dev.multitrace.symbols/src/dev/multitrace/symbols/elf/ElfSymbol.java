package dev.multitrace.symbols.elf;

/** One entry of {@code .symtab} or {@code .dynsym}; {@code value} is the link-time address. */
public record ElfSymbol(String name, long value, long size, int type, int bind, int visibility, int shndx, boolean dynamic) {

    public static final int STT_NOTYPE = 0;
    public static final int STT_OBJECT = 1;
    public static final int STT_FUNC = 2;
    public static final int STT_SECTION = 3;
    public static final int STT_FILE = 4;
    public static final int STT_TLS = 6;
    public static final int STT_GNU_IFUNC = 10;
    public static final int STB_LOCAL = 0;
    public static final int STB_GLOBAL = 1;
    public static final int STB_WEAK = 2;
    public static final int SHN_UNDEF = 0;
    public static final int SHN_ABS = 0xfff1;

    /** A function (FUNC or GNU_IFUNC) defined in this file. */
    public boolean isFunction() {
        return (type == STT_FUNC || type == STT_GNU_IFUNC) && isDefined();
    }

    public boolean isDefined() {
        return shndx != SHN_UNDEF;
    }

    /** Whether the link-time address {@code address} lies in this symbol ({@code [value, value+size)}). */
    public boolean contains(long address) {
        return Long.compareUnsigned(address, value) >= 0 && Long.compareUnsigned(address - value, size) < 0;
    }
}
