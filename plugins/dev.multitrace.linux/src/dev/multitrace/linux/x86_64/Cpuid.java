package dev.multitrace.linux.x86_64;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * The CPUID instruction, run in this process.
 *
 * <p><b>Why:</b> where the XSAVE area keeps each state component (leaf 0xD) is enumerated by
 * CPUID and differs between CPUs: Intel leaves the MPX components' space in the standard format
 * (opmask at 1088) even on CPUs without MPX, AMD Zen 4/5 do not (opmask at 832). The kernel's
 * NT_X86_XSTATE regset uses that standard format but says only its size, /proc/cpuinfo says only
 * which features exist, and the product must not need a C compiler at run time. So this class
 * executes the instruction itself: 27 bytes of machine code in a page of its own (written, then
 * made read+execute), called through JNA like any C function.
 */
public final class Cpuid {

    /**
     * {@code void cpuid(uint32_t leaf, uint32_t subleaf, uint32_t out[4])} (System V: rdi, rsi,
     * rdx): rbx is callee-saved, and cpuid overwrites edx, so the out pointer is kept in r8.
     */
    private static final byte[] CODE = {
        0x49, (byte) 0x89, (byte) 0xd0, // mov %rdx,%r8
        (byte) 0x89, (byte) 0xf8, // mov %edi,%eax
        (byte) 0x89, (byte) 0xf1, // mov %esi,%ecx
        0x53, // push %rbx
        0x0f, (byte) 0xa2, // cpuid
        0x41, (byte) 0x89, 0x00, // mov %eax,(%r8)
        0x41, (byte) 0x89, 0x58, 0x04, // mov %ebx,0x4(%r8)
        0x41, (byte) 0x89, 0x48, 0x08, // mov %ecx,0x8(%r8)
        0x41, (byte) 0x89, 0x50, 0x0c, // mov %edx,0xc(%r8)
        0x5b, // pop %rbx
        (byte) 0xc3, // ret
    };

    private static final int PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4;
    private static final int MAP_PRIVATE = 0x02, MAP_ANONYMOUS = 0x20;
    private static final long PAGE = 4096;

    /** The stub, or null when it could not be made executable (then {@link #UNAVAILABLE} says why). */
    private static final Function STUB;
    /** Why CPUID cannot be run here, or null. */
    public static final String UNAVAILABLE;

    static {
        Function stub = null;
        String why = null;
        if (!"amd64".equals(System.getProperty("os.arch")) && !"x86_64".equals(System.getProperty("os.arch"))) {
            why = "not an x86-64 JVM";
        } else {
            NativeLibrary c = NativeLibrary.getInstance("c");
            Pointer page = c.getFunction("mmap").invokePointer(new Object[] {Pointer.NULL, PAGE,
                PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0L});
            if (page == null || Pointer.nativeValue(page) == -1L) {
                why = "mmap of a code page failed";
            } else {
                page.write(0, CODE, 0, CODE.length);
                // Never writable and executable at once: some kernels/policies refuse that.
                if (c.getFunction("mprotect").invokeInt(new Object[] {page, PAGE, PROT_READ | PROT_EXEC}) != 0) {
                    why = "mprotect(PROT_EXEC) refused (execmem policy?)";
                } else {
                    stub = Function.getFunction(page);
                }
            }
        }
        STUB = stub;
        UNAVAILABLE = why;
    }

    private Cpuid() {
    }

    /** Whether {@link #query} can run CPUID here. */
    public static boolean available() {
        return STUB != null;
    }

    /**
     * {@code {eax, ebx, ecx, edx}} of CPUID leaf {@code leaf}, sub-leaf {@code subleaf}.
     *
     * @throws UnsupportedOperationException where CPUID cannot be run ({@link #UNAVAILABLE})
     */
    public static int[] query(int leaf, int subleaf) {
        if (STUB == null) {
            throw new UnsupportedOperationException("CPUID: " + UNAVAILABLE);
        }
        try (Memory out = new Memory(16)) {
            STUB.invokeVoid(new Object[] {leaf, subleaf, out});
            return out.getIntArray(0, 4);
        }
    }
}
