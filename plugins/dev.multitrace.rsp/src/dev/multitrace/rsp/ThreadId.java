package dev.multitrace.rsp;

/**
 * A thread id of the remote protocol: {@code p<pid>.<tid>} with the multiprocess extension, a bare
 * {@code <tid>} without it, hex numbers, where -1 means all and 0 means any.
 */
record ThreadId(int pid, int tid) {

    static final int ALL = -1;
    static final int ANY = 0;

    static final ThreadId ANY_THREAD = new ThreadId(ANY, ANY);
    static final ThreadId ALL_THREADS = new ThreadId(ALL, ALL);

    /** @throws IllegalArgumentException for a malformed id */
    static ThreadId parse(String s) {
        if (s.startsWith("p")) {
            int dot = s.indexOf('.');
            int pid = number(dot < 0 ? s.substring(1) : s.substring(1, dot));
            int tid = dot < 0 ? ALL : number(s.substring(dot + 1));
            return new ThreadId(pid, tid);
        }
        int tid = number(s);
        return new ThreadId(tid == ALL ? ALL : ANY, tid);
    }

    private static int number(String s) {
        if (s.equals("-1")) {
            return ALL;
        }
        long v = Hex.parse(s);
        if (v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("thread id out of range: " + s);
        }
        return (int) v;
    }

    boolean matches(int p, int t) {
        return (pid == ALL || pid == ANY || pid == p) && (tid == ALL || tid == ANY || tid == t);
    }

    static String format(int pid, int tid, boolean multiprocess) {
        return multiprocess ? "p" + Integer.toHexString(pid) + "." + Integer.toHexString(tid) : Integer.toHexString(tid);
    }
}
