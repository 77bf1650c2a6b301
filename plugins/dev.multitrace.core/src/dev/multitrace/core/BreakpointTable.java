package dev.multitrace.core;

import dev.multitrace.linux.LinuxException;
import dev.multitrace.linux.Memory;
import dev.multitrace.linux.ProcMemFile;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The software breakpoints of one address space (one traced process). The service, not the
 * engines, owns every int3 byte: several owners may plant one at the same address, the byte is
 * written once and restored when the last owner removes it.
 * <p>
 * An owner is an engine's {@link EngineOps} instance: one client (a debugger, a GDB stub) usually
 * attaches one engine per thread with the same ops, and a breakpoint it plants is reported on every
 * thread where it has an engine.
 * <p>
 * Tracer-thread only, except {@link #hidden}: its copy for readers on other threads, published
 * (a volatile write) after every change of a site or of a site's original byte. Bytes are written
 * through {@code /proc/PID/mem}, which (unlike {@code process_vm_writev}) can write read-only text.
 */
final class BreakpointTable {

    static final byte INT3 = (byte) 0xcc;

    /** One address with our int3 in it. */
    static final class Site {
        final long address;
        byte original;
        /** Owner to count: an owner may plant the same address more than once. */
        final Map<EngineOps, Integer> owners = new HashMap<>();
        /**
         * The original byte is in memory for a step over the site. A step-over continues from the
         * event loop, so requests (an engine's memory write) can come while it is lifted.
         */
        boolean lifted;

        Site(long address, byte original) {
            this.address = address;
            this.original = original;
        }

        boolean ownedBy(EngineOps ops) {
            return owners.containsKey(ops);
        }
    }

    private final int pid;
    /** This image's memory, kept open for the step-over writes; see {@link #closeMemory}. */
    private ProcMemFile mem;
    private final TreeMap<Long, Site> sites = new TreeMap<>();
    /**
     * Every address that ever held one of our int3s in this image. A thread can trap on a
     * breakpoint that another thread's engine removes before the trap is reported; such a trap is
     * ours (rewind and go on), not a SIGTRAP for the program.
     */
    private final Set<Long> everPlanted = new HashSet<>();
    /**
     * The last writes (address, byte, why), for the message when a restore does not hold: cheap
     * enough for the step-over path (two longs per write, no string until it is told).
     */
    private final long[] recentAddress = new long[16];
    private final byte[] recentByte = new byte[16];
    private final char[] recentWhy = new char[16];
    private int recentNext;
    /** The memory is another process's too (a vfork child's): removals write nothing. */
    private boolean shared;
    /**
     * Vfork children let go that still run in this process's memory ({@link #takeOutForVfork}): while there are
     * any, the int3 bytes are out of memory and new or replanted sites are not written.
     */
    private final Set<Integer> vforkChildrenRunning = new HashSet<>();
    /** {@link #sites}' addresses and originals as of the last change; see the class comment. */
    private volatile HiddenBytes hidden = HiddenBytes.NONE;

    BreakpointTable(int pid) {
        this.pid = pid;
    }

    Site at(long address) {
        return sites.get(address);
    }

    boolean isEmpty() {
        return sites.isEmpty();
    }

    int size() {
        return sites.size();
    }

    boolean wasPlanted(long address) {
        return everPlanted.contains(address);
    }

    void insert(EngineOps owner, long address) {
        Site s = sites.get(address);
        if (s == null) {
            byte[] b = new byte[1];
            if (Memory.readProcMem(pid, address, b, 0, 1) != 1) {
                throw new TracingException("cannot plant a breakpoint at 0x" + Long.toHexString(address)
                        + " in process " + pid + ": the address is not mapped");
            }
            if (vforkChildrenRunning.isEmpty()) {
                write(address, INT3, 'i');
            }
            s = new Site(address, b[0]);
            sites.put(address, s);
            everPlanted.add(address);
            publish();
        }
        s.owners.merge(owner, 1, Integer::sum);
    }

    /** @return false if {@code owner} had no breakpoint there */
    boolean remove(EngineOps owner, long address) {
        Site s = sites.get(address);
        if (s == null || !s.owners.containsKey(owner)) {
            return false;
        }
        if (s.owners.merge(owner, -1, Integer::sum) <= 0) {
            s.owners.remove(owner);
        }
        if (s.owners.isEmpty()) {
            writeOriginal(address, s.original);
            sites.remove(address);
            publish();
        }
        return true;
    }

    /** Gives {@code from}'s share of every site to {@code to} (a fork child's copy changing hands). */
    void transferOwner(EngineOps from, EngineOps to) {
        for (Site s : sites.values()) {
            Integer n = s.owners.remove(from);
            if (n != null) {
                s.owners.merge(to, n, Integer::sum);
            }
        }
    }

    void removeAll(EngineOps owner) {
        for (Site s : sites.values().toArray(Site[]::new)) {
            if (s.owners.remove(owner) != null && s.owners.isEmpty()) {
                writeOriginal(s.address, s.original);
                sites.remove(s.address);
            }
        }
        publish();
    }

    /** Puts every original byte back (before the service lets the process go). */
    void restoreAll() {
        try {
            Map<Long, Byte> restored = new HashMap<>();
            for (Site s : sites.values()) {
                writeOriginal(s.address, s.original, 'r');
                restored.put(s.address, s.original);
            }
            sites.clear();
            publish();
            if (!shared) {
                checkRestored(restored);
            }
        } finally {
            closeMemory();
        }
    }

    /**
     * Reads back every address that ever held an int3 of ours: the process is about to be let go,
     * and one left behind would kill it. Tells which, with the last writes, if one is there.
     */
    private void checkRestored(Map<Long, Byte> restored) {
        byte[] b = new byte[1];
        for (long address : everPlanted) {
            // Through the kept file when there is one: one pread each, not an open per address.
            int n = mem != null ? mem.readByte(address) : Memory.readProcMem(pid, address, b, 0, 1) == 1 ? b[0] & 0xff : -1;
            if (n == (INT3 & 0xff)
                    && restored.getOrDefault(address, (byte) 0) != INT3) {
                StringBuilder m = new StringBuilder("an int3 of ours is still at 0x").append(Long.toHexString(address))
                        .append(" in process ").append(pid).append(" after the restore")
                        .append(restored.containsKey(address) ? "" : " (no site there any more)").append("; last writes:");
                for (int i = 0; i < recentAddress.length; i++) {
                    int k = (recentNext + i) % recentAddress.length;
                    if (recentWhy[k] != 0) {
                        m.append(' ').append(recentWhy[k]).append(":0x").append(Long.toHexString(recentAddress[k]))
                                .append('=').append(Integer.toHexString(recentByte[k] & 0xff));
                    }
                }
                throw new TracingException(m.append(" (i insert, l lift, p replant, r restore, o original)").toString());
            }
        }
    }

    /**
     * At an exec's report: whether our int3 bytes went into the new image, not the old one. A
     * thread seized while its exec was in flight (the new memory in place, the report not made
     * yet) had them planted in the image it runs now; they are still ours to remove. Told by the
     * kept {@code /proc/PID/mem}: it stays bound to the address space it was opened on, and reads
     * nothing once that space is gone.
     */
    boolean plantedInCurrentImage() {
        return !sites.isEmpty() && mem != null && !shared && mem.canRead(sites.firstKey());
    }

    /** The image was replaced by exec: the sites are gone with it. */
    void forgetAll() {
        sites.clear();
        publish();
        everPlanted.clear();
        vforkChildrenRunning.clear();
        closeMemory();
    }

    /**
     * A copy for a followed fork child, whose memory holds the same int3 bytes: its own copies
     * (fork), or the parent's very bytes ({@code shared}: vfork, clone with CLONE_VM), which only
     * a step over one lifts for a moment and which are never taken out in the child's name.
     */
    BreakpointTable copyFor(int childPid, boolean shared) {
        BreakpointTable t = new BreakpointTable(childPid);
        t.shared = shared;
        for (Site s : sites.values()) {
            Site c = new Site(s.address, s.original);
            c.owners.putAll(s.owners);
            t.sites.put(s.address, c);
        }
        t.everPlanted.addAll(everPlanted);
        t.publish();
        return t;
    }

    /** Temporarily puts the original byte back (to step over the site). */
    void lift(Site s) {
        write(s.address, s.original, 'l');
        s.lifted = true;
    }

    /** Puts the int3 back after a step over the site. */
    void replant(Site s) {
        s.lifted = false;
        if (vforkChildrenRunning.isEmpty()) {
            write(s.address, INT3, 'p');
        }
    }

    /**
     * A vfork child we let go runs in this process's very memory until it execs or exits: an int3 of ours it ran
     * through would kill it with SIGTRAP, nobody tracing it. So, as gdb does, every site's original byte goes
     * back until the parent's VFORK_DONE ({@link #putBackAfterVfork}); the process's other threads miss the
     * breakpoints meanwhile. Call before the child is let go.
     */
    void takeOutForVfork(int childPid) {
        if (vforkChildrenRunning.isEmpty()) {
            writeSites(false, 'v');
        }
        vforkChildrenRunning.add(childPid);
    }

    /** {@code childPid}'s vfork is over (the parent's VFORK_DONE): the int3 bytes go back once no vfork child runs. */
    void putBackAfterVfork(int childPid) {
        if (vforkChildrenRunning.remove(childPid) && vforkChildrenRunning.isEmpty()) {
            writeSites(true, 'V');
        }
    }

    /** Every site not lifted for a step over gets its int3, or its original byte back. */
    private void writeSites(boolean int3, char why) {
        for (Site s : sites.values()) {
            if (!s.lifted) {
                write(s.address, int3 ? INT3 : s.original, why);
            }
        }
    }

    /** Our int3 sites and the bytes they hide, for readers on any thread (see the class comment). */
    HiddenBytes hidden() {
        return hidden;
    }

    private void publish() {
        long[] addresses = new long[sites.size()];
        byte[] originals = new byte[addresses.length];
        int i = 0;
        for (Site s : sites.values()) { // a TreeMap: in address order, as HiddenBytes searches them
            addresses[i] = s.address;
            originals[i++] = s.original;
        }
        hidden = new HiddenBytes(addresses, originals);
    }

    /**
     * Before a write of {@code buf} over {@code [address, address+len)}: the bytes meant for our
     * sites become their saved originals, and the int3 stays in memory.
     */
    void absorbWrite(long address, byte[] buf, int off, int len) {
        java.util.Collection<Site> covered = sites.subMap(address, true, address + len, false).values();
        if (covered.isEmpty()) {
            return;
        }
        for (Site s : covered) {
            int i = off + (int) (s.address - address);
            s.original = buf[i];
            if (!s.lifted && vforkChildrenRunning.isEmpty()) {
                buf[i] = INT3; // lifted (or out for a vfork): the new byte goes in, the int3 comes back later
            }
        }
        publish();
    }

    /**
     * Writes one byte through the kept {@code /proc/PID/mem} (opened at the first write): one
     * pwrite, where opening the file for each write cost an open (path lookup, access check) and
     * a close too. A step over a breakpoint writes twice per hit, so this is on the hot path.
     */
    private void write(long address, byte b, char why) {
        int k = recentNext;
        recentAddress[k] = address;
        recentByte[k] = b;
        recentWhy[k] = why;
        recentNext = (k + 1) % recentAddress.length;
        try {
            if (mem == null) {
                mem = ProcMemFile.open(pid);
            }
        } catch (LinuxException e) {
            throw new TracingException("cannot write a breakpoint byte at 0x" + Long.toHexString(address)
                    + " in process " + pid + ": " + e.getMessage(), e);
        }
        if (!mem.writeByte(address, b)) {
            throw new TracingException("cannot write a breakpoint byte at 0x" + Long.toHexString(address)
                    + " in process " + pid);
        }
    }

    /**
     * Closes the kept {@code /proc/PID/mem}: at exec (the descriptor stays bound to the old image)
     * and when the process is let go or gone.
     */
    void markShared() {
        shared = true;
    }

    /** A site's removal puts its byte back, unless the bytes are another process's ({@link #shared}). */
    private void writeOriginal(long address, byte original) {
        writeOriginal(address, original, 'o');
    }

    private void writeOriginal(long address, byte original, char why) {
        if (!shared) {
            write(address, original, why);
        }
    }

    void closeMemory() {
        if (mem != null) {
            mem.close();
            mem = null;
        }
    }
}
