package dev.multitrace.symbols.elf;

/** One program header of an ELF64 file. */
public record ElfSegment(int index, int type, int flags, long offset, long vaddr, long paddr, long filesz, long memsz, long align) {

    public static final int PT_LOAD = 1;
    public static final int PT_DYNAMIC = 2;
    public static final int PT_INTERP = 3;
    public static final int PT_NOTE = 4;
    public static final int PF_X = 1;
    public static final int PF_W = 2;
    public static final int PF_R = 4;

    public boolean isLoad() {
        return type == PT_LOAD;
    }
}
