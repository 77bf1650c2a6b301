package dev.multitrace.rsp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gdbserver's host I/O (vFile packets): the real gdb reads the program, its libraries and its
 * /proc files through the server, and copies files both ways; a raw client gets File-I/O errors
 * for bad descriptors, paths and lengths, and the session goes on.
 */
class HostFileIoTest extends ServedProgramTest {

    @TempDir
    Path dir;

    @Test
    void gdbReadsProgramLibrariesAndProcFilesThroughTheServerAndCopiesFiles() throws Exception {
        String demo = Gdb.program("demo");
        int port = serve(true, demo);
        byte[] content = new byte[100_000]; // several preads and pwrites, every byte value (escapes)
        new Random(13).nextBytes(content);
        Path local = dir.resolve("local.bin");
        Files.write(local, content);
        Path remote = dir.resolve("remote.bin");
        Path back = dir.resolve("back.bin");
        // No program on gdb's command line: it learns the executable from the server and reads it,
        // like the libraries, from the target (sysroot target:, the default for remote targets).
        Gdb.Run run = Gdb.run(null, List.of(
                "set sysroot target:",
                "target remote 127.0.0.1:" + port,
                "break square",
                "continue",
                "bt 1",
                "info proc mappings",
                "remote put " + local + " " + remote,
                "remote get " + remote + " " + back,
                "remote delete " + remote,
                "delete",
                "continue"));
        assertFalse(run.has("does not support file transfer"), show(run));
        assertFalse(run.has("unable to open /proc file"), show(run));
        assertTrue(run.has("Reading " + demo + " from remote target"), show(run));
        assertTrue(run.has("libc.so.6 from remote target"), show(run));
        assertTrue(run.has("Breakpoint 1, square (x=0)"), show(run));
        // info proc mappings: gdb read /proc/PID/maps through vFile
        assertTrue(run.has("process " + traced.pid()), show(run));
        assertTrue(run.has("Start Addr"), show(run));
        assertTrue(run.output().lines().anyMatch(l -> l.trim().startsWith("0x") && l.endsWith(demo)), show(run));
        assertTrue(run.has("[stack]"), show(run));
        assertTrue(run.has("exited with code 052"), show(run));
        assertArrayEquals(content, Files.readAllBytes(back), "remote put then remote get round-trips");
        assertFalse(Files.exists(remote), "remote delete unlinked it");
        assertEquals(42, traced.exitStatus().get(30, TimeUnit.SECONDS).code());
    }

    @Test
    void badDescriptorsPathsAndLengthsGetFileIoErrors() throws Exception {
        int port = serve(false, Gdb.program("demo"));
        Path file = dir.resolve("data.txt");
        Files.writeString(file, "hello, host i/o\n");
        Path link = dir.resolve("link");
        Files.createSymbolicLink(link, file);
        try (RawClient c = new RawClient(port)) {
            c.request("qSupported:multiprocess+;swbreak+");
            assertEquals("F0", c.request("vFile:setfs:0"));
            // unknown descriptors: EBADF (9)
            assertEquals("F-1,9", c.request("vFile:pread:63,10,0"));
            assertEquals("F-1,9", c.request("vFile:close:63"));
            assertEquals("F-1,9", c.request("vFile:fstat:63"));
            assertEquals("F-1,9", c.request("vFile:pwrite:63,0,abc"));
            // bad paths: ENOENT (2), EISDIR (21 = 0x15) on unlinking a directory, EINVAL (0x16) on
            // readlink of a non-link
            assertEquals("F-1,2", c.request("vFile:open:" + Hex.encode(dir + "/no-such-file") + ",0,0"));
            assertEquals("F-1,2", c.request("vFile:unlink:" + Hex.encode(dir + "/no-such-file")));
            assertEquals("F-1,15", c.request("vFile:unlink:" + Hex.encode(dir.toString())));
            assertEquals("F-1,16", c.request("vFile:readlink:" + Hex.encode(file.toString())));
            assertEquals("F-1,2", c.request("vFile:open:,0,0"), "an empty name");
            // O_CREAT|O_EXCL on an existing file: EEXIST (17 = 0x11)
            assertEquals("F-1,11", c.request("vFile:open:" + Hex.encode(file.toString()) + ",a01,1a4"));
            // malformed packets: EINVAL, as gdbserver
            for (String bad : new String[] {"vFile:open:zz,0,0", "vFile:open:" + Hex.encode(file.toString()),
                    "vFile:pread:", "vFile:pread:3,zz,0", "vFile:close:", "vFile:setfs:x",
                    "vFile:open:" + Hex.encode(file.toString()) + ",80000,0"}) {
                assertEquals("F-1,16", c.request(bad), bad);
            }
            assertEquals("", c.request("vFile:nosuchop:1"), "an unknown operation is unsupported");
            // a file system of a process that does not exist: the paths fail, as with gdbserver
            assertEquals("F0", c.request("vFile:setfs:7fffffff"));
            assertEquals("F-1,2", c.request("vFile:open:" + Hex.encode(file.toString()) + ",0,0"), "no such process");
            assertEquals("F0", c.request("vFile:setfs:0"));

            // a real file: open, fstat, pread (a huge length is cut to what a reply holds), close
            String open = c.request("vFile:open:" + Hex.encode(file.toString()) + ",0,0");
            assertTrue(open.matches("F[0-9a-f]+"), open);
            String fd = open.substring(1);
            assertTrue(c.request("vFile:fstat:" + fd).startsWith("F40;"));
            assertEquals("F10;hello, host i/o\n", c.request("vFile:pread:" + fd + ",7fffffff,0"));
            assertEquals("F4;host", c.request("vFile:pread:" + fd + ",4,7"));
            assertEquals("F0;", c.request("vFile:pread:" + fd + ",10,1000"), "past the end: no bytes");
            assertEquals("F-1,16", c.request("vFile:pread:" + fd + ",ffffffffffff,0"), "a length no int holds");
            assertEquals("F-1,16", c.request("vFile:pread:" + fd + ",10,ffffffffffffffff"), "a negative offset");
            assertEquals("F-1,9", c.request("vFile:pwrite:" + fd + ",0,x"), "writing a read-only descriptor");
            assertEquals("F0", c.request("vFile:close:" + fd));
            assertEquals("F-1,9", c.request("vFile:close:" + fd), "closed twice");
            assertEquals("F" + Integer.toHexString(file.toString().length()) + ";" + file,
                    c.request("vFile:readlink:" + Hex.encode(link.toString())));

            // setfs to the program: /proc/self resolves in its namespace; here the same as ours
            assertEquals("F0", c.request("vFile:setfs:" + Integer.toHexString(traced.pid())));
            String maps = c.request("vFile:open:" + Hex.encode("/proc/" + traced.pid() + "/maps") + ",0,0");
            assertTrue(maps.matches("F[0-9a-f]+"), maps);
            String head = c.request("vFile:pread:" + maps.substring(1) + ",200,0");
            assertTrue(head.startsWith("F") && head.contains(Gdb.program("demo")), head);
            assertEquals("F0", c.request("vFile:close:" + maps.substring(1)));

            // the session still works after all that, and the program is not disturbed
            assertTrue(c.request("?").startsWith("T05thread:"));
            assertEquals("OK", c.request("D"));
        }
        assertEquals(42, traced.exitStatus().get(30, TimeUnit.SECONDS).code(), log());
        assertEquals("hello, host i/o\n", Files.readString(file), "nothing written to the read-only file");
    }

    /**
     * setfs to a process in another mount namespace: its paths are its own. The process is an
     * untraced helper (unshare with a user namespace, so it needs no privilege where
     * unprivileged user namespaces are allowed) that mounts a tmpfs over a directory and writes a file only it can see.
     */
    @Test
    void setfsResolvesPathsInTheProcessMountNamespace() throws Exception {
        int port = serve(false, Gdb.program("demo"));
        Path over = Files.createDirectory(dir.resolve("over"));
        Path secret = over.resolve("secret");
        Process inner = new ProcessBuilder("unshare", "-rm", "sh", "-c",
                "mount -t tmpfs none '" + over + "' && echo inside > '" + secret + "' && echo ready && exec sleep 60")
                .redirectErrorStream(true).start();
        try {
            String ready = new java.io.BufferedReader(new java.io.InputStreamReader(inner.getInputStream())).readLine();
            assertEquals("ready", ready, "the helper could not make its namespaces (unshare -rm)");
            assertFalse(Files.exists(secret), "the file is only in the helper's namespace");
            try (RawClient c = new RawClient(port)) {
                c.request("qSupported:multiprocess+;swbreak+");
                String name = Hex.encode(secret.toString());
                assertEquals("F-1,2", c.request("vFile:open:" + name + ",0,0"), "not in ours");
                assertEquals("F0", c.request("vFile:setfs:" + Long.toHexString(inner.pid())));
                String open = c.request("vFile:open:" + name + ",0,0");
                assertTrue(open.matches("F[0-9a-f]+"), open);
                assertEquals("F7;inside\n", c.request("vFile:pread:" + open.substring(1) + ",100,0"));
                assertEquals("F0", c.request("vFile:close:" + open.substring(1)));
                assertEquals("F0", c.request("vFile:setfs:0"));
                assertEquals("F-1,2", c.request("vFile:open:" + name + ",0,0"), "back in ours");
                assertEquals("OK", c.request("D"));
            }
        } finally {
            inner.destroyForcibly();
            inner.waitFor(10, TimeUnit.SECONDS);
        }
        assertEquals(42, traced.exitStatus().get(30, TimeUnit.SECONDS).code());
    }
}
