package dev.multitrace.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The signal and errno name tables, checked against the x86-64 numbering. */
class NamesTest {

    @ParameterizedTest
    @CsvSource({"1, SIGHUP", "5, SIGTRAP", "9, SIGKILL", "11, SIGSEGV", "17, SIGCHLD", "19, SIGSTOP",
        "31, SIGSYS", "32, SIGRTMIN", "35, SIGRTMIN+3", "64, SIGRTMAX", "65, SIG65"})
    void signalNames(int number, String name) {
        assertEquals(name, Signal.name(number));
    }

    @ParameterizedTest
    @CsvSource({"SIGINT, 2", "int, 2", "IOT, 6", "SIGCLD, 17", "SIGRTMIN+2, 34", "RTMAX-1, 63", "15, 15",
        "SIGNOPE, -1", "0, -1", "65, -1"})
    void signalNumbers(String text, int number) {
        assertEquals(number, Signal.number(text));
    }

    @Test
    void everyNamedSignalMapsBack() {
        for (int sig = 1; sig <= Signal.SIGRTMAX; sig++) {
            assertEquals(sig, Signal.number(Signal.name(sig)), Signal.name(sig));
        }
    }

    @ParameterizedTest
    @CsvSource({"1, EPERM", "3, ESRCH", "10, ECHILD", "14, EFAULT", "38, ENOSYS", "95, EOPNOTSUPP",
        "110, ETIMEDOUT", "133, EHWPOISON", "-3, ESRCH", "41, E41", "999, E999"})
    void errnoNames(int number, String name) {
        assertEquals(name, Errno.name(number));
    }

    @Test
    void errnoNumbersIncludeAliasesAndRoundTrip() {
        assertEquals(Errno.EAGAIN, Errno.number("EWOULDBLOCK"));
        assertEquals(-1, Errno.number("ENOPE"));
        for (int e = 1; e <= Errno.MAX; e++) {
            String name = Errno.name(e);
            assertTrue(name.equals("E" + e) || Errno.number(name) == e, name);
        }
        assertEquals("No such process", Errno.describe(Errno.ESRCH));
    }
}
