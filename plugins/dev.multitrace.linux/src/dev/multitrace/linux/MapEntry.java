package dev.multitrace.linux;

/**
 * One line of {@code /proc/PID/maps}.
 *
 * @param start  first address
 * @param end    address one past the end
 * @param perms  permission string such as {@code "r-xp"}
 * @param offset file offset of {@code start}
 * @param dev    device as {@code "fd:01"}
 * @param inode  inode number, 0 for anonymous memory
 * @param path   file path, pseudo name such as {@code "[stack]"}, or empty
 */
public record MapEntry(long start, long end, String perms, long offset, String dev, long inode, String path) {

    public boolean readable() {
        return perms.charAt(0) == 'r';
    }

    public boolean writable() {
        return perms.charAt(1) == 'w';
    }

    public boolean executable() {
        return perms.charAt(2) == 'x';
    }

    /** True if {@code addr} lies in {@code [start, end)} (unsigned comparison). */
    public boolean contains(long addr) {
        return Long.compareUnsigned(addr, start) >= 0 && Long.compareUnsigned(addr, end) < 0;
    }

    public long size() {
        return end - start;
    }
}
