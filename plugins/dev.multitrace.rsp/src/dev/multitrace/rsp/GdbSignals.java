package dev.multitrace.rsp;

/**
 * gdb's signal numbers (its target-independent {@code enum gdb_signal}, used in T/S/X replies,
 * C/S/vCont packets and QPassSignals) against Linux x86-64's. They agree for the classic ones
 * (HUP..TERM except BUS and USR1/USR2) and differ for the rest: SIGUSR1 is 10 on Linux, 30 for gdb.
 */
final class GdbSignals {

    /** Index: Linux signal 0..31; value: gdb's number (143 is gdb's "unknown signal"). */
    private static final int[] TO_GDB = {
        0, 1, 2, 3, 4, 5, 6, 10, 8, 9, // 0, HUP, INT, QUIT, ILL, TRAP, ABRT, BUS, FPE, KILL
        30, 11, 31, 13, 14, 15, 143, 20, 19, 17, // USR1, SEGV, USR2, PIPE, ALRM, TERM, STKFLT, CHLD, CONT, STOP
        18, 21, 22, 16, 24, 25, 26, 27, 28, 23, // TSTP, TTIN, TTOU, URG, XCPU, XFSZ, VTALRM, PROF, WINCH, IO
        32, 12 // PWR, SYS
    };

    static final int GDB_UNKNOWN = 143;

    private GdbSignals() {
    }

    static int toGdb(int linux) {
        if (linux >= 0 && linux < TO_GDB.length) {
            return TO_GDB[linux];
        }
        if (linux == 32) {
            return 77; // GDB_SIGNAL_REALTIME_32
        }
        if (linux >= 33 && linux <= 63) {
            return 45 + (linux - 33); // GDB_SIGNAL_REALTIME_33..63
        }
        if (linux == 64) {
            return 78; // GDB_SIGNAL_REALTIME_64
        }
        return GDB_UNKNOWN;
    }

    /** @return the Linux signal, or 0 when gdb's number has none on Linux */
    static int fromGdb(int gdb) {
        for (int i = 0; i < TO_GDB.length; i++) {
            if (TO_GDB[i] == gdb && gdb != GDB_UNKNOWN) {
                return i;
            }
        }
        if (gdb == 77) {
            return 32;
        }
        if (gdb >= 45 && gdb <= 75) {
            return 33 + (gdb - 45);
        }
        if (gdb == 78) {
            return 64;
        }
        return 0;
    }
}
