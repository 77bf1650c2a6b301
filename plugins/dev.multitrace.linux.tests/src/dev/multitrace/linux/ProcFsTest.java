package dev.multitrace.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The /proc readers on a multithreaded target (native/threads.c: main plus worker-0..2,
 * all blocked once it prints "ready", so the snapshot is stable).
 */
class ProcFsTest {

    /** Auxiliary vector keys (elf.h). */
    private static final long AT_PAGESZ = 6, AT_ENTRY = 9;

    private Child target;

    @BeforeEach
    void start() {
        target = Child.spawn("threads", "alpha", "beta gamma");
        target.release();
        assertEquals("ready", target.readLine());
    }

    @AfterEach
    void stop() {
        target.close();
    }

    @Test
    void tasksListsEveryThreadAscendingWithTheLeaderFirst() {
        int[] tids = ProcFs.tasks(target.pid());
        assertEquals(4, tids.length, Arrays.toString(tids));
        assertEquals(target.pid(), tids[0], "the leader's tid is the pid, and tids grow");
        int[] sorted = tids.clone();
        Arrays.sort(sorted);
        assertArrayEquals(sorted, tids);
    }

    @Test
    void statusOfTheProcessAndOfEachThread() {
        ProcStatus st = ProcFs.status(target.pid());
        assertEquals("threads", st.name());
        assertEquals(target.pid(), st.tgid());
        assertEquals(LibC.getpid(), st.ppid(), "posix_spawn made the JVM the parent");
        assertEquals(0, st.tracerPid());
        assertEquals(4, st.threads());
        assertFalse(st.kernelThread());
        int[] tids = ProcFs.tasks(target.pid());
        List<String> names = Arrays.stream(tids).skip(1).mapToObj(t -> ProcFs.status(t).name()).sorted().toList();
        assertEquals(List.of("worker-0", "worker-1", "worker-2"), names);
        for (int tid : tids) {
            assertEquals(target.pid(), ProcFs.status(tid).tgid(), "thread " + tid + " is in the group");
        }
    }

    @Test
    void cmdlineKeepsArgumentsWithSpaces() {
        assertEquals(List.of(Child.target("threads"), "alpha", "beta gamma"), ProcFs.cmdline(target.pid()));
    }

    @Test
    void mapsShowTheExecutableAndOneStackPerThread() {
        List<MapEntry> maps = ProcFs.maps(target.pid());
        assertTrue(maps.stream().anyMatch(m -> m.path().equals(Child.target("threads")) && m.executable()),
                "an executable mapping of the program");
        assertTrue(maps.stream().anyMatch(m -> m.path().equals("[stack]")));
        for (int i = 1; i < maps.size(); i++) {
            assertTrue(Long.compareUnsigned(maps.get(i - 1).end(), maps.get(i).start()) <= 0, "sorted, disjoint");
        }
    }

    @Test
    void auxvGivesPageSizeAndAnEntryInsideTheProgram() {
        Map<Long, Long> auxv = ProcFs.auxv(target.pid());
        assertEquals(4096L, auxv.get(AT_PAGESZ));
        long entry = auxv.get(AT_ENTRY);
        String exe = Child.target("threads");
        assertTrue(ProcFs.maps(target.pid()).stream().anyMatch(m -> m.contains(entry) && m.path().equals(exe)),
                "AT_ENTRY 0x" + Long.toHexString(entry) + " lies in " + exe + "; maps: "
                        + ProcFs.maps(target.pid()).stream().map(MapEntry::toString).collect(Collectors.joining("\n")));
    }
}
