package dev.multitrace.core;

import java.nio.ByteBuffer;
import java.util.List;

import dev.multitrace.linux.Memory;
import dev.multitrace.linux.Ptrace;
import dev.multitrace.linux.SigInfo;
import dev.multitrace.linux.x86_64.Regs;

/**
 * A look at a quiescent task, valid until the task next resumes (then every call throws
 * {@link StaleExaminationException}, utrace's {@code -EAGAIN}).
 * <p>
 * Registers go through the tracer thread (ptrace only answers the thread that attached), once per
 * stop: they are kept here until a write through any examination of the process
 * ({@link #modifications()}). Memory is read with {@code process_vm_readv} directly from the
 * calling thread, our int3 bytes hidden with the table's published copy: those are not ptrace
 * requests, a 64 MiB read should not occupy the tracer thread, and a view's many small reads
 * should not each wait for it.
 * <p>
 * Memory is read and written through the examined thread's tid, never the process's pid: the
 * leader may have ended first (a zombie whose memory is gone until the other threads are reaped),
 * and every access through its pid then fails with ESRCH, which says the process is gone (see
 * the rule at {@link SoftwareWatchTable}). The examined thread is stopped, so its tid also serves
 * the PEEKDATA fallback.
 */
public final class Examination {

    private final Tracer tracer;
    private final Engine engine;
    private final Task task;
    private final long generation;
    /** The registers read at this stop, and the process's {@link #modifications()} they were read at. */
    private volatile Kept<long[]> general;
    private volatile Kept<byte[]> fp;

    private record Kept<T>(long modifications, T value) {
    }

    Examination(Tracer tracer, Engine engine, Task task, long generation) {
        this.tracer = tracer;
        this.engine = engine;
        this.task = task;
        this.generation = generation;
    }

    public Task task() {
        return task;
    }

    /** Whether the task is still at the stop this examination was made at. */
    public boolean valid() {
        return !task.dead() && task.generation == generation && !engine.detached;
    }

    private void check() {
        if (!valid()) {
            throw new StaleExaminationException("task " + task.tid + " resumed since it was examined");
        }
    }

    /**
     * The general registers (a copy: change it with {@link GeneralRegisters#with} and write it
     * with {@link #setRegisters}). The service's one register type: the Linux layer's
     * {@code user_regs_struct} stays inside this bundle.
     */
    public GeneralRegisters registers() {
        check(); // kept or not, the registers of a stop the task has left are not to be read
        Kept<long[]> k = general;
        if (k == null || k.modifications() != modifications()) {
            general = k = tracer.call(() -> {
                check();
                return new Kept<>(modifications(), tracer.regs(task).words().clone());
            });
        }
        return GeneralRegisters.ofUserRegs(k.value().clone());
    }

    /**
     * A count of the writes (registers of any thread, memory) made through examinations of this
     * task's process: what was read at this stop still holds while it and {@link #valid()} do.
     */
    public long modifications() {
        return task.process.modifications;
    }

    /** Writes the general registers: each one {@code regs} names takes its value, the others stay. */
    public void setRegisters(GeneralRegisters regs) {
        List<String> names = regs.names();
        long[] values = regs.values();
        tracer.call(() -> {
            check();
            Regs r = new Regs(tracer.regs(task).words());
            for (int i = 0; i < values.length; i++) {
                r.set(names.get(i), values[i]);
            }
            Ptrace.setRegs(task.tid, r);
            task.regs = new Regs(r.words());
            task.process.modifications++;
            return null;
        });
    }

    /** The program counter. */
    public long pc() {
        return registers().pc();
    }

    /** Moves the program counter (the other registers are left as they are). */
    public void setPc(long pc) {
        setRegisters(registers().with(GeneralRegisters.PC, pc));
    }

    /** The FP/SSE registers as the kernel's fxsave area (512 bytes). */
    public byte[] fpRegisters() {
        check();
        Kept<byte[]> k = fp;
        if (k == null || k.modifications() != modifications()) {
            fp = k = tracer.call(() -> {
                check();
                return new Kept<>(modifications(), Ptrace.getFpRegs(task.tid));
            });
        }
        return k.value().clone();
    }

    /** Writes the FP/SSE registers from a 512-byte fxsave area (read one with {@link #fpRegisters}, change it, write it). */
    public void setFpRegisters(byte[] fxsave) {
        if (fxsave.length != Ptrace.FPREGS_SIZE) {
            throw new IllegalArgumentException("an fxsave area has " + Ptrace.FPREGS_SIZE + " bytes, not " + fxsave.length);
        }
        tracer.call(() -> {
            check();
            Ptrace.setFpRegs(task.tid, fxsave.clone());
            task.process.modifications++;
            return null;
        });
    }

    /** Writes the XSAVE area (read one with {@link #xstate}, change it, write it). */
    public void setXState(byte[] xsave) {
        tracer.call(() -> {
            check();
            Ptrace.setXState(task.tid, xsave.clone());
            task.process.modifications++;
            return null;
        });
    }

    /** The full XSAVE area (AVX and beyond). */
    public byte[] xstate() {
        return tracer.call(() -> {
            check();
            return Ptrace.getXState(task.tid);
        });
    }

    /**
     * At a {@link Event#WATCHPOINT} report (and while the task stays at that stop): the address of
     * the instruction that triggered it, when known exactly. For an EXECUTE watchpoint that is the
     * pc. For a data watchpoint it is known only when the thread executed exactly one instruction
     * since its last stop (an engine's single-step, or the service's step off a breakpoint): the
     * pc before that step. A freely running thread traps after the accessing
     * instruction and x86 does not say where that instruction began, so then this is empty and
     * the accessing instruction is the one that ends at the pc.
     */
    public java.util.OptionalLong accessingInstruction() {
        return tracer.call(() -> {
            check();
            return task.watchInstruction == -1 ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(task.watchInstruction);
        });
    }

    /**
     * Debug register {@code i} (0..3 addresses, 6 status, 7 control) of the task, read from the
     * kernel: what the hardware will watch when the task runs.
     */
    public long debugRegister(int i) {
        return tracer.call(() -> {
            check();
            return dev.multitrace.linux.x86_64.DebugRegisters.read(task.tid, i);
        });
    }

    /** The siginfo of the signal this task stopped for (at a signal report). */
    public SigInfo sigInfo() {
        return tracer.call(() -> {
            check();
            return Ptrace.getSigInfo(task.tid);
        });
    }

    /**
     * The same siginfo as the kernel's 128 raw bytes, for engines that may not see the Linux
     * layer's {@link SigInfo} type (a GDB stub answering qXfer:siginfo:read).
     */
    public byte[] sigInfoBytes() {
        return sigInfo().raw();
    }

    /** Reads target memory; returns how many bytes could be read (fewer at an unmapped page). */
    public int read(long address, byte[] into, int offset, int length) {
        check();
        int n = Memory.read(task.tid, address, into, offset, length);
        task.process.breakpoints.hidden().hide(address, into, offset, n);
        check(); // resumed during the read: what was read may be of no stop
        return n;
    }

    /**
     * Reads target memory into {@code into} from its position, up to its limit, and advances the
     * position by the count read (fewer at an unmapped page). A direct buffer is filled by
     * {@code process_vm_readv} itself, with no copy on our side: the fast path for large reads
     * (a 64 MiB heap array costs one more pass over the data).
     *
     * @return bytes read
     */
    public int read(long address, ByteBuffer into) {
        check();
        int len = into.remaining();
        int pos = into.position();
        int n;
        if (into.isDirect()) {
            n = (int) Memory.readVm(task.tid, address, into, pos, len);
            if (n < len) {
                byte[] rest = new byte[len - n];
                int m = Memory.read(task.tid, address + n, rest, 0, rest.length);
                into.put(pos + n, rest, 0, m);
                n += m;
            }
        } else {
            n = Memory.read(task.tid, address, into.array(), into.arrayOffset() + pos, len);
        }
        task.process.breakpoints.hidden().hide(address, into, pos, n);
        check();
        into.position(pos + n);
        return n;
    }

    public byte[] read(long address, int length) {
        byte[] b = new byte[length];
        int n = read(address, b, 0, length);
        return n == length ? b : java.util.Arrays.copyOf(b, n);
    }

    public long readLong(long address) {
        byte[] b = read(address, 8);
        if (b.length < 8) {
            throw new TracingException("cannot read 8 bytes at 0x" + Long.toHexString(address));
        }
        return java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    }

    /** Writes target memory; read-only text is written through {@code /proc/PID/mem}, then POKEDATA. */
    public void write(long address, byte[] bytes) {
        tracer.call(() -> {
            check();
            byte[] data = bytes.clone();
            task.process.breakpoints.absorbWrite(address, data, 0, data.length);
            int n = Memory.write(task.tid, address, data, 0, data.length);
            task.process.modifications++; // a short write changed some bytes too
            if (n < bytes.length) {
                throw new TracingException("cannot write " + bytes.length + " bytes at 0x" + Long.toHexString(address)
                        + " in process " + task.process.pid + ": only " + n + " are writable");
            }
            return null;
        });
    }
}
