package dev.multitrace.linux;

import java.util.List;

/**
 * Architecture-neutral view of a task's general registers, so that code above this
 * bundle (breakpoints, syscall printing, expression evaluation) does not name x86-64
 * registers. Each architecture package provides the implementation.
 */
public interface Registers {

    /** Program counter. */
    long pc();

    void setPc(long pc);

    /** Stack pointer. */
    long sp();

    void setSp(long sp);

    /** Register names in the order of the kernel structure. */
    List<String> names();

    /** Value of the register with this name; {@link IllegalArgumentException} if none. */
    long get(String name);

    /** Sets the register with this name; {@link IllegalArgumentException} if none. */
    void set(String name, long value);

    /** The system call number at a syscall-stop. */
    long syscallNr();

    /** System call argument {@code i} (0..5) at a syscall-entry stop. */
    long syscallArg(int i);

    void setSyscallArg(int i, long value);

    /** The system call return value at a syscall-exit stop ({@code -errno} on failure). */
    long returnValue();

    void setReturnValue(long value);

    /** An independent copy. */
    Registers copy();
}
