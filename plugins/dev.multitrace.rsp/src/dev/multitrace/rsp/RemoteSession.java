package dev.multitrace.rsp;

import dev.multitrace.core.DebugRegisterSupport;
import dev.multitrace.core.Examination;
import dev.multitrace.core.ExitStatus;
import dev.multitrace.core.ResumeAction;
import dev.multitrace.core.Tracing;
import dev.multitrace.core.WatchMethod;
import dev.multitrace.linux.x86_64.Regs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One connected client: the remote protocol over one socket.
 *
 * <h2>Threads</h2>
 * <ul>
 * <li>The <em>reader thread</em> owns the socket's input: it frames packets
 * ({@link PacketReader}) and queues them under the {@link StubTarget}'s monitor; a Ctrl-C byte
 * only sets {@link #interruptRequested}. It never writes to the socket.</li>
 * <li>The <em>protocol thread</em> (the one that calls {@link #serve}) is the only one that
 * writes to the socket and the only one that resumes, stops, detaches and kills. It waits on
 * the monitor for the next packet, or, while the target runs, for a stop that an engine callback
 * recorded ({@link StubThread#pending}), an exit, a Ctrl-C or the client's disconnection.</li>
 * <li>Engine callbacks run on the service's tracer thread and never touch the socket (see
 * {@link StubProcess}).</li>
 * </ul>
 */
final class RemoteSession {

    /** Logs every packet and reply (like gdbserver --remote-debug): -Dmultitrace.rsp.debug=true. */
    static final boolean REMOTE_DEBUG = Boolean.getBoolean("multitrace.rsp.debug");

    /** Largest packet we accept, announced as PacketSize (hex 4000). */
    static final int PACKET_SIZE = 0x4000;

    /** How the session ended. */
    enum End {
        /** The client went away (EOF, protocol error) or detached/killed without extended mode. */
        CLIENT_LEFT,
        /** monitor exit: the server stops. */
        EXIT_SERVER
    }

    private final StubTarget target;
    private final GdbServer server;
    private final InputStream socketIn;
    private final PacketWriter out;
    private final PrintWriter log;

    // --- Guarded by the target's monitor (written by the reader thread). ---
    private final ArrayDeque<Input> inputs = new ArrayDeque<>();
    private boolean interruptRequested;
    private boolean clientGone;
    private String goneReason;

    // --- Protocol thread only. ---
    private boolean multiprocess;
    private boolean swbreak;
    private boolean hwbreak;
    private boolean extended;
    private boolean nonStop;
    private ThreadId general = ThreadId.ANY_THREAD;
    private ThreadId cont = ThreadId.ALL_THREADS;
    private StubThread current;
    private End end;
    /** Non-stop: stop replies not yet consumed by vStopped (the first was sent as a %Stop notification). */
    private final ArrayDeque<String> stopQueue = new ArrayDeque<>();
    private final HostFileIo hostFiles = new HostFileIo(PACKET_SIZE);

    RemoteSession(StubTarget target, GdbServer server, InputStream in, OutputStream out, PrintWriter log) {
        this.target = target;
        this.server = server;
        this.socketIn = in;
        this.out = new PacketWriter(out);
        this.log = log;
    }

    /** Serves the client until it leaves; runs on the calling thread (the protocol thread). */
    End serve() throws InterruptedException {
        Thread reader = new Thread(this::readLoop, "gdbserver-reader");
        reader.setDaemon(true);
        reader.start();
        try {
            while (end == null) {
                if (nonStop) {
                    sendNotificationIfAny();
                }
                Input in = nextInput();
                if (in == null) {
                    log.println("Remote side has terminated connection (" + goneReason + ").");
                    end = End.CLIENT_LEFT;
                    break;
                }
                try {
                    switch (in) {
                        case Input.Packet p -> {
                            out.ack();
                            handle(p);
                        }
                        case Input.BadChecksum bad -> out.nack();
                        case Input.Nack n -> out.retransmit();
                        case Input.Ack a -> {
                        }
                        case Input.Interrupt i -> {
                        }
                    }
                } catch (IOException e) {
                    log.println("Remote side has terminated connection (" + e.getMessage() + ").");
                    end = End.CLIENT_LEFT;
                }
            }
        } finally {
            reader.interrupt();
            hostFiles.closeAll();
            leave();
        }
        return end;
    }

    private void readLoop() {
        PacketReader r = new PacketReader(socketIn, PACKET_SIZE);
        try {
            while (true) {
                Input in = r.next();
                synchronized (target) {
                    if (in instanceof Input.Interrupt) {
                        interruptRequested = true;
                    } else {
                        inputs.add(in);
                    }
                    target.notifyAll();
                }
            }
        } catch (IOException e) {
            synchronized (target) {
                clientGone = true;
                goneReason = e.getMessage();
                target.notifyAll();
            }
        }
    }

    /** The next packet, ack or nack; null when the client is gone. Non-stop also wakes for new stops. */
    private Input nextInput() throws InterruptedException {
        synchronized (target) {
            while (inputs.isEmpty()) {
                if (clientGone) {
                    return null;
                }
                if (nonStop && (interruptRequested || (stopQueue.isEmpty() && anyUnreportedStop()))) {
                    // Non-stop: a stop to notify (or a Ctrl-C) wakes the loop, which sends it
                    // (sendNotificationIfAny) before it reads the next packet.
                    return new Input.Interrupt();
                }
                target.wait();
            }
            interruptRequested = interruptRequested && nonStop;
            return inputs.poll();
        }
    }

    // ------------------------------------------------------------------ dispatch

    private void handle(Input.Packet packet) throws IOException, InterruptedException {
        String p = packet.text();
        if (REMOTE_DEBUG) {
            log.println("<- " + p);
        }
        String reply;
        try {
            reply = dispatch(p, packet.data());
        } catch (IllegalArgumentException | IndexOutOfBoundsException malformed) {
            if (REMOTE_DEBUG) {
                malformed.printStackTrace(log);
            }
            reply = "E01";
        } catch (IllegalStateException notStopped) {
            reply = "E02"; // the thread is not stopped (non-stop) or cannot be examined
        } catch (RuntimeException targetError) {
            // The service refused (task gone, memory not writable...): an error, the session goes on.
            reply = "E03";
        }
        if (reply != null) {
            if (REMOTE_DEBUG) {
                log.println("-> " + reply);
            }
            out.send(reply);
        }
    }

    /** Answers one packet; null when the packet has no reply (k) or the reply was sent already. */
    private String dispatch(String p, byte[] raw) throws IOException, InterruptedException {
        if (p.isEmpty()) {
            return "";
        }
        switch (p.charAt(0)) {
            case '?':
                return haltReason();
            case '!':
                extended = true;
                return "OK";
            case 'g':
                return readRegisters(thread(general));
            case 'G':
                writeRegisters(thread(general), p.substring(1));
                return "OK";
            case 'p':
                return readRegister(thread(general), (int) Hex.parse(p.substring(1)));
            case 'P': {
                int eq = p.indexOf('=');
                writeRegister(thread(general), (int) Hex.parse(p.substring(1, eq)), Hex.decode(p.substring(eq + 1)));
                return "OK";
            }
            case 'm':
                return readMemory(p.substring(1), false);
            case 'x':
                return readMemory(p.substring(1), true);
            case 'M': {
                int colon = p.indexOf(':');
                long[] al = addressLength(p.substring(1, colon));
                byte[] data = Hex.decode(p.substring(colon + 1));
                return writeMemory(al[0], (int) al[1], data);
            }
            case 'X': {
                int colon = p.indexOf(':');
                long[] al = addressLength(p.substring(1, colon));
                byte[] data = Arrays.copyOfRange(raw, colon + 1, raw.length);
                return writeMemory(al[0], (int) al[1], data);
            }
            case 'Z':
            case 'z':
                return breakpoint(p);
            case 'H':
                return setThread(p);
            case 'T':
                return threadAlive(ThreadId.parse(p.substring(1))) ? "OK" : "E01";
            case 'c':
            case 'C':
            case 's':
            case 'S':
                return legacyResume(p);
            case 'D':
                return detach(p);
            case 'k':
                killAll();
                if (!extended) {
                    end = End.CLIENT_LEFT;
                }
                return null;
            case 'q':
                return query(p);
            case 'Q':
                return set(p);
            case 'v':
                if (p.startsWith("vFile:")) {
                    out.send(hostFiles.handle(raw));
                    return null;
                }
                return vPacket(p);
            default:
                return "";
        }
    }

    // ------------------------------------------------------------------ queries

    private String query(String p) throws IOException {
        if (p.startsWith("qSupported")) {
            String features = p.length() > 11 ? p.substring(11) : "";
            Set<String> offered = new HashSet<>(Arrays.asList(features.split(";")));
            multiprocess = offered.contains("multiprocess+");
            swbreak = offered.contains("swbreak+");
            hwbreak = offered.contains("hwbreak+");
            // As gdbserver: fork events only with multiprocess (the child is another process).
            boolean forks = multiprocess && offered.contains("fork-events+");
            boolean vforks = multiprocess && offered.contains("vfork-events+");
            boolean execs = offered.contains("exec-events+");
            target.vforkEvents = vforks;
            target.setForkEvents(forks || vforks); // the service follows both kinds of children, or neither
            target.execEvents = execs;
            target.threadEvents = false;
            return "PacketSize=" + Integer.toHexString(PACKET_SIZE)
                    + (forks ? ";fork-events+" : "") + (vforks ? ";vfork-events+" : "") + (execs ? ";exec-events+" : "") + ";QThreadEvents+"
                    + ";QStartNoAckMode+;multiprocess+;swbreak+;hwbreak+;vContSupported+;QNonStop+"
                    + ";qXfer:features:read+;qXfer:threads:read+;qXfer:auxv:read+;qXfer:exec-file:read+"
                    + ";qXfer:libraries-svr4:read+;QPassSignals+;QProgramSignals+;qXfer:siginfo:read+"
                    + ";QDisableRandomization+";
        }
        if (p.equals("qC")) {
            StubThread th = currentThread();
            return th == null ? "" : "QC" + id(th);
        }
        if (p.startsWith("qAttached")) {
            StubProcess proc = p.startsWith("qAttached:") ? process((int) Hex.parse(p.substring(10))) : currentProcess();
            return proc == null ? "E01" : proc.attached ? "1" : "0";
        }
        if (p.equals("qfThreadInfo")) {
            StringBuilder s = new StringBuilder();
            for (StubThread th : target.threads()) {
                s.append(s.isEmpty() ? "m" : ",").append(id(th));
            }
            return s.isEmpty() ? "l" : s.toString();
        }
        if (p.equals("qsThreadInfo")) {
            return "l";
        }
        if (p.startsWith("qXfer:")) {
            return xfer(p);
        }
        if (p.startsWith("qThreadExtraInfo,")) {
            ThreadId t = ThreadId.parse(p.substring(17));
            StubThread th = find(t);
            return th == null ? "E01" : Hex.encode(th.engine.task().state());
        }
        if (p.startsWith("qSymbol")) {
            return "OK";
        }
        if (p.startsWith("qRcmd,")) {
            return monitor(Hex.decodeText(p.substring(6)).strip());
        }
        return ""; // qOffsets, qTStatus, qTfV...: not supported, gdb does without
    }

    private String set(String p) {
        if (p.equals("QStartNoAckMode")) {
            // The OK is still acknowledged; everything after it is not.
            try {
                out.send("OK");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            out.setAckMode(false);
            return null;
        }
        if (p.startsWith("QPassSignals:")) {
            Set<Integer> s = signalList(p.substring(13));
            synchronized (target) {
                target.passSignals.clear();
                target.passSignals.addAll(s);
            }
            return "OK";
        }
        if (p.startsWith("QProgramSignals:")) {
            Set<Integer> s = signalList(p.substring(16));
            synchronized (target) {
                target.programSignals = s;
            }
            return "OK";
        }
        if (p.startsWith("QDisableRandomization:")) {
            // gdb sends it before each vRun (set disable-randomization); the value is hex, as gdbserver parses it.
            try {
                target.disableRandomization = Hex.parse(p.substring(22)) != 0;
            } catch (RuntimeException e) {
                return "E01";
            }
            return "OK";
        }
        if (p.startsWith("QThreadEvents:")) {
            target.threadEvents = p.endsWith("1");
            return "OK";
        }
        if (p.startsWith("QNonStop:")) {
            nonStop = p.endsWith("1");
            if (nonStop) {
                // Threads stopped before are reported by '?' (and vStopped), never by a notification
                // in the middle of the client's connection set-up.
                synchronized (target) {
                    for (StubProcess proc : target.processes.values()) {
                        for (StubThread th : proc.threads.values()) {
                            th.reportedStopped = th.held;
                        }
                    }
                }
            }
            return "OK";
        }
        return "";
    }

    private static Set<Integer> signalList(String s) {
        Set<Integer> set = new HashSet<>();
        for (String x : s.split(";")) {
            if (!x.isEmpty()) {
                int linux = GdbSignals.fromGdb((int) Hex.parse(x));
                if (linux != 0) {
                    set.add(linux);
                }
            }
        }
        return set;
    }

    private String monitor(String command) throws IOException {
        if (command.equals("exit")) {
            end = End.EXIT_SERVER;
            return "OK";
        }
        if (command.equals("hardware")) {
            // What gdb cannot find out over the protocol: whether this machine's debug registers trap.
            out.send("O" + Hex.encode(Tracing.debugRegisters().summary() + "\n"));
            return "OK";
        }
        if (command.equals("engines")) {
            // Who else traces the threads: the multi-engine view gdb itself cannot show.
            StringBuilder s = new StringBuilder();
            for (StubThread th : target.threads()) {
                var task = th.engine.task();
                s.append("thread ").append(th.tid).append(" of ").append(th.process.pid).append(" (")
                        .append(task.state()).append("): engines");
                for (var e : task.engines()) {
                    s.append(' ').append(e.data() != null ? e.data() : e.ops().getClass().getSimpleName());
                    if (e.holdsStop()) {
                        s.append("[holds]");
                    }
                }
                s.append('\n');
            }
            out.send("O" + Hex.encode(s.toString()));
            return "OK";
        }
        out.send("O" + Hex.encode("multitrace gdbserver: unknown monitor command '" + command + "' (try: engines, hardware, exit)\n"));
        return "OK";
    }

    private String xfer(String p) throws IOException {
        // qXfer:OBJECT:read:ANNEX:OFFSET,LENGTH
        String[] parts = p.split(":", 5);
        if (parts.length != 5 || !parts[2].equals("read")) {
            return "";
        }
        String object = parts[1];
        String annex = parts[3];
        long[] ol = addressLength(parts[4]);
        byte[] data;
        switch (object) {
            case "features" -> {
                if (!annex.equals("target.xml")) {
                    return "E00";
                }
                data = X86_64Registers.targetXml().getBytes(StandardCharsets.UTF_8);
            }
            case "threads" -> data = threadsXml().getBytes(StandardCharsets.UTF_8);
            case "auxv" -> {
                StubProcess proc = currentProcess();
                if (proc == null) {
                    return "E01";
                }
                data = Files.readAllBytes(Path.of("/proc/" + proc.pid + "/auxv"));
            }
            case "exec-file" -> {
                StubProcess proc = annex.isEmpty() ? currentProcess() : process((int) Hex.parse(annex));
                if (proc == null) {
                    return "E01";
                }
                data = Files.readSymbolicLink(Path.of("/proc/" + proc.pid + "/exe")).toString().getBytes(StandardCharsets.UTF_8);
            }
            case "siginfo" -> {
                // The siginfo of the stop the thread is at (the signal gdb was told about).
                data = thread(general).examine().sigInfoBytes();
            }
            case "libraries-svr4" -> {
                StubThread th = thread(general);
                data = LinkMap.read(th.examine(), th.process.pid).getBytes(StandardCharsets.UTF_8);
            }
            default -> {
                return "";
            }
        }
        int off = (int) Math.min(ol[0], data.length);
        int len = (int) Math.min(ol[1], Math.min(data.length - off, PACKET_SIZE - 16));
        byte[] reply = new byte[len + 1];
        reply[0] = (byte) (off + len < data.length ? 'm' : 'l');
        System.arraycopy(data, off, reply, 1, len);
        out.send(reply);
        return null;
    }

    private String threadsXml() throws IOException {
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\"?>\n<threads>\n");
        for (StubThread th : target.threads()) {
            String name = "";
            try {
                name = Files.readString(Path.of("/proc/" + th.process.pid + "/task/" + th.tid + "/comm")).strip();
            } catch (IOException gone) {
                // The thread exited meanwhile: listed without a name.
            }
            x.append("<thread id=\"").append(id(th)).append("\" name=\"").append(xmlEscape(name)).append("\"/>\n");
        }
        return x.append("</threads>\n").toString();
    }

    static String xmlEscape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    // ------------------------------------------------------------------ threads

    private String setThread(String p) {
        if (p.length() < 3) {
            return "E01";
        }
        ThreadId t = ThreadId.parse(p.substring(2));
        if (t.tid() != ThreadId.ALL && t.tid() != ThreadId.ANY && find(t) == null) {
            return "E01";
        }
        if (p.charAt(1) == 'g') {
            general = t;
            StubThread th = find(t);
            if (th != null) {
                current = th;
            }
        } else {
            cont = t;
        }
        return "OK";
    }

    private boolean threadAlive(ThreadId t) {
        StubThread th = find(t);
        return th != null && t.tid() != ThreadId.ANY && t.tid() != ThreadId.ALL;
    }

    /** The thread a packet is for: a specific one, or for "any"/"all" the current (or first) one. */
    private StubThread thread(ThreadId t) {
        StubThread th = find(t);
        if (th == null) {
            throw new IllegalStateException("no such thread: " + t);
        }
        return th;
    }

    private StubThread find(ThreadId t) {
        List<StubThread> all = target.threads();
        if (t.tid() == ThreadId.ANY || t.tid() == ThreadId.ALL) {
            if (current != null && all.contains(current) && t.matches(current.process.pid, current.tid)) {
                return current;
            }
        }
        for (StubThread th : all) {
            if (t.matches(th.process.pid, th.tid)) {
                return th;
            }
        }
        return null;
    }

    private StubThread currentThread() {
        return find(general);
    }

    private StubProcess currentProcess() {
        StubThread th = currentThread();
        if (th != null) {
            return th.process;
        }
        List<StubProcess> ps = target.processList();
        return ps.isEmpty() ? null : ps.get(0);
    }

    /** A live thread of the current process, whose engine plants the process's breakpoints; null: none. */
    private StubThread anyThreadOfCurrentProcess() {
        StubProcess proc = currentProcess();
        synchronized (target) {
            return proc == null ? null : proc.anyThread();
        }
    }

    private StubProcess process(int pid) {
        synchronized (target) {
            return target.processes.get(pid);
        }
    }

    private String id(StubThread th) {
        return ThreadId.format(th.process.pid, th.tid, multiprocess);
    }

    // ------------------------------------------------------------------ registers and memory

    private String readRegisters(StubThread th) {
        Examination ex = th.examine();
        long[] words = ((Regs) ex.registers()).words();
        byte[] fx = ex.fpRegisters();
        byte[] xs = X86_64Registers.HAS_AVX ? ex.xstate() : null;
        StringBuilder s = new StringBuilder();
        for (X86_64Registers.Reg reg : X86_64Registers.ALL) {
            s.append(X86_64Registers.encode(reg, words, fx, xs));
        }
        return s.toString();
    }

    private String readRegister(StubThread th, int n) {
        if (n < 0 || n >= X86_64Registers.ALL.size()) {
            return "E01";
        }
        Examination ex = th.examine();
        X86_64Registers.Reg reg = X86_64Registers.ALL.get(n);
        byte[] fx = reg.source() == X86_64Registers.Source.FXSAVE || reg.source() == X86_64Registers.Source.FTAG
                ? ex.fpRegisters() : null;
        byte[] xs = reg.source() == X86_64Registers.Source.XSTATE ? ex.xstate() : null;
        return X86_64Registers.encode(reg, ((Regs) ex.registers()).words(), fx, xs);
    }

    private void writeRegister(StubThread th, int n, byte[] value) {
        if (n < 0 || n >= X86_64Registers.ALL.size()) {
            throw new IllegalArgumentException("no register " + n);
        }
        X86_64Registers.Reg reg = X86_64Registers.ALL.get(n);
        if (value.length != reg.size()) {
            throw new IllegalArgumentException(reg.name() + " takes " + reg.size() + " bytes");
        }
        Examination ex = th.examine();
        if (reg.source() == X86_64Registers.Source.XSTATE) {
            byte[] xs = ex.xstate();
            X86_64Registers.decodeIntoXState(reg, value, 0, xs);
            ex.setXState(xs);
            return;
        }
        if (reg.source() != X86_64Registers.Source.GENERAL) {
            byte[] fx = ex.fpRegisters();
            X86_64Registers.decodeInto(reg, value, 0, fx);
            ex.setFpRegisters(fx);
            return;
        }
        Regs regs = (Regs) ex.registers();
        regs.words()[reg.index()] = Hex.fromLittleEndian(value, 0, reg.size());
        ex.setRegisters(regs);
    }

    /**
     * 'G': every register in 'g' order; the general ones and the fxsave area are written only if
     * changed, and XSAVE-area registers only those gdb changed: writing one back marks its
     * component in use, which must not happen to a component the thread never touched.
     */
    private void writeRegisters(StubThread th, String hex) {
        byte[] all = Hex.decode(hex);
        Examination ex = th.examine();
        Regs regs = (Regs) ex.registers();
        long[] before = regs.words().clone();
        byte[] fx = ex.fpRegisters();
        byte[] fxBefore = fx.clone();
        byte[] xs = X86_64Registers.HAS_AVX ? ex.xstate() : null;
        List<int[]> xsChanged = new ArrayList<>(); // {register number, offset in the packet}
        int off = 0;
        int n = 0;
        for (X86_64Registers.Reg reg : X86_64Registers.ALL) {
            if (off + reg.size() > all.length) {
                break;
            }
            switch (reg.source()) {
                case GENERAL -> regs.words()[reg.index()] = Hex.fromLittleEndian(all, off, reg.size());
                case XSTATE -> {
                    String now = X86_64Registers.encode(reg, null, null, xs);
                    if (!now.equals(Hex.encode(Arrays.copyOfRange(all, off, off + reg.size())))) {
                        xsChanged.add(new int[] {n, off});
                    }
                }
                default -> X86_64Registers.decodeInto(reg, all, off, fx);
            }
            off += reg.size();
            n++;
        }
        if (!Arrays.equals(before, regs.words())) {
            ex.setRegisters(regs);
        }
        if (!Arrays.equals(fxBefore, fx)) {
            ex.setFpRegisters(fx);
        }
        if (!xsChanged.isEmpty()) {
            // Read again: the XSAVE area's legacy region and FP/SSE bits are the fxsave state just
            // written, which the area read before would undo.
            byte[] now = ex.xstate();
            for (int[] changed : xsChanged) {
                X86_64Registers.decodeIntoXState(X86_64Registers.ALL.get(changed[0]), all, changed[1], now);
            }
            ex.setXState(now);
        }
    }

    private static long[] addressLength(String s) {
        int comma = s.indexOf(',');
        long address = Hex.parse(s.substring(0, comma));
        long length = Hex.parse(s.substring(comma + 1));
        if (length < 0 || length > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("bad length");
        }
        return new long[] {address, length};
    }

    private String readMemory(String args, boolean binary) throws IOException {
        long[] al = addressLength(args);
        int max = binary ? PACKET_SIZE - 16 : (PACKET_SIZE - 16) / 2;
        int len = (int) Math.min(al[1], max);
        StubThread th = thread(general);
        byte[] b = th.examine().read(al[0], len);
        if (b.length == 0 && len > 0) {
            return "E01";
        }
        if (!binary) {
            return Hex.encode(b);
        }
        byte[] reply = new byte[b.length + 1];
        reply[0] = 'b';
        System.arraycopy(b, 0, reply, 1, b.length);
        out.send(reply);
        return null;
    }

    private String writeMemory(long address, int length, byte[] data) {
        if (data.length != length) {
            return "E01";
        }
        if (length == 0) {
            return "OK"; // gdb's probe for binary X support
        }
        StubThread th = thread(general);
        synchronized (target) {
            for (int i = 0; i < data.length; i++) {
                if (data[i] == (byte) 0xcc) {
                    th.process.clientInt3.add(address + i);
                } else {
                    th.process.clientInt3.remove(address + i);
                }
            }
        }
        // Through the examination: if gdb writes an int3 where the service has a breakpoint (or
        // overwrites one), the service's table keeps the original byte consistent.
        th.examine().write(address, data);
        return "OK";
    }

    private String breakpoint(String p) {
        String[] f = p.substring(1).split("[,;]");
        if (f.length < 3) {
            return "E01";
        }
        int type = Integer.parseInt(f[0]);
        long address = Hex.parse(f[1]);
        if (type == 3) {
            return ""; // read-only watchpoints: x86 debug registers cannot watch reads alone
        }
        if (type < 0 || type > 4) {
            return "";
        }
        if (type != 0) {
            return hardwareBreakpoint(p.charAt(0) == 'Z', type, address, (int) Hex.parse(f[2]));
        }
        StubThread th = anyThreadOfCurrentProcess();
        if (th == null) {
            return "E01";
        }
        StubProcess proc = th.process;
        if (p.charAt(0) == 'Z') {
            if (proc.breakpoints.add(address)) {
                try {
                    th.engine.insertBreakpoint(address);
                } catch (RuntimeException e) {
                    proc.breakpoints.remove(address);
                    return "E01";
                }
            }
        } else if (proc.breakpoints.remove(address)) {
            th.engine.removeBreakpoint(address);
        }
        return "OK";
    }

    /**
     * Z1 (hardware breakpoint), Z2 (write watchpoint), Z4 (access watchpoint) through the
     * service's debug registers. A range that is not one aligned 1/2/4/8-byte piece is covered by
     * several pieces (gdb asks for whole variables); all or none are inserted.
     * <p>
     * On a machine whose debug registers do not trap ({@link Tracing#debugRegisters()}), what
     * really works is answered: Z2 is one software watch of the whole range, served by the
     * service (gdb's {@code watch} works, which gdbserver cannot offer there), Z1 an int3 that
     * reports as a hardware breakpoint, and Z4 is unsupported (an empty reply: gdb says the
     * target does not support that watchpoint rather than print one that never fires).
     */
    /** The longest range one software watch covers (gdb watches whole variables, arrays, structs). */
    private static final int SOFTWARE_WATCH_MAX = 4096;

    private String hardwareBreakpoint(boolean insert, int type, long address, int length) {
        StubThread th = anyThreadOfCurrentProcess();
        if (th == null) {
            return "E01";
        }
        StubProcess proc = th.process;
        DebugRegisterSupport hardware = Tracing.debugRegisters();
        if (type == 4 && !hardware.readWatchpoints()) {
            return "";
        }
        boolean software = type == 2 && !hardware.dataWatchpoints();
        String key = type + "," + Long.toHexString(address) + "," + length;
        if (!insert) {
            List<dev.multitrace.core.Watchpoint> pieces = proc.watchpoints.remove(key);
            if (pieces == null) {
                return "E01";
            }
            for (dev.multitrace.core.Watchpoint wp : pieces) {
                th.engine.removeWatchpoint(wp.address(), wp.length(), wp.kind());
            }
            return "OK";
        }
        if (proc.watchpoints.containsKey(key)) {
            return "OK";
        }
        dev.multitrace.core.WatchKind kind = switch (type) {
            case 1 -> dev.multitrace.core.WatchKind.EXECUTE;
            case 2 -> dev.multitrace.core.WatchKind.WRITE;
            default -> dev.multitrace.core.WatchKind.READ_WRITE;
        };
        if (type == 1) {
            length = 1; // gdb's kind for x86 is the breakpoint length it would have used, 1
        }
        if (length <= 0 || length > (software ? SOFTWARE_WATCH_MAX : 64)) {
            return "E01";
        }
        List<dev.multitrace.core.Watchpoint> pieces = new ArrayList<>();
        try {
            if (software) {
                pieces.add(th.engine.insertWatchpoint(address, length, kind, WatchMethod.SOFTWARE));
            }
            long at = software ? address + length : address;
            long end = address + length;
            while (at < end) {
                int size = 8;
                while (size > 1 && ((at & (size - 1)) != 0 || at + size > end)) {
                    size >>= 1;
                }
                pieces.add(th.engine.insertWatchpoint(at, size, kind));
                at += size;
            }
        } catch (RuntimeException noSlot) {
            for (dev.multitrace.core.Watchpoint wp : pieces) {
                th.engine.removeWatchpoint(wp.address(), wp.length(), wp.kind());
            }
            return "E01"; // four debug registers only: gdb then says it cannot insert it
        }
        proc.watchpoints.put(key, pieces);
        return "OK";
    }

    // ------------------------------------------------------------------ resuming and stopping

    /** One resume request for one thread. */
    private record Plan(StubThread thread, ResumeAction action, int signal, long rangeStart, long rangeEnd) {
    }

    private String legacyResume(String p) throws InterruptedException, IOException {
        char c = p.charAt(0);
        int sig = 0;
        if (c == 'C' || c == 'S') {
            String s = p.substring(1);
            int semi = s.indexOf(';');
            sig = GdbSignals.fromGdb((int) Hex.parse(semi < 0 ? s : s.substring(0, semi)));
        } else if (p.length() > 1) {
            throw new IllegalArgumentException("resuming at another address is not supported");
        }
        StubThread stepper = find(cont.tid() == ThreadId.ALL ? general : cont);
        List<Plan> plans = new ArrayList<>();
        for (StubThread th : target.threads()) {
            boolean me = th == stepper;
            ResumeAction a = me && (c == 's' || c == 'S') ? ResumeAction.SINGLESTEP : ResumeAction.RESUME;
            plans.add(new Plan(th, a, me ? sig : 0, 0, 0));
        }
        return resume(plans);
    }

    private String vPacket(String p) throws InterruptedException, IOException {
        if (p.equals("vCont?")) {
            return "vCont;c;C;s;S;t;r";
        }
        if (p.startsWith("vCont;")) {
            return vCont(p.substring(6));
        }
        if (p.equals("vMustReplyEmpty")) {
            return "";
        }
        if (p.equals("vStopped")) {
            // The head was acknowledged; the next one (queued, or newer than the notification) follows.
            stopQueue.poll();
            if (stopQueue.isEmpty()) {
                String more = nextUnreportedStop();
                if (more != null) {
                    stopQueue.add(more);
                }
            }
            String next = stopQueue.peek();
            if (next == null) {
                return "OK";
            }
            return next;
        }
        if (p.equals("vCtrlC")) {
            synchronized (target) {
                interruptRequested = true;
            }
            return "OK";
        }
        if (p.startsWith("vKill;")) {
            StubProcess proc = process((int) Hex.parse(p.substring(6)));
            if (proc == null) {
                return "E01";
            }
            target.kill(proc);
            log.println("Killing process(es): " + proc.pid);
            return "OK";
        }
        if (p.startsWith("vAttach;")) {
            int pid = (int) Hex.parse(p.substring(8));
            StubProcess proc = target.attach(pid);
            log.println("Attached; pid = " + pid);
            return newProcessStop(proc);
        }
        if (p.startsWith("vRun;")) {
            List<String> command = new ArrayList<>();
            for (String a : p.substring(5).split(";", -1)) {
                command.add(Hex.decodeText(a));
            }
            if (command.get(0).isEmpty()) {
                List<String> last = server.program();
                if (last == null) {
                    return "E01";
                }
                command.set(0, last.get(0));
            }
            StubProcess proc = target.launch(command);
            server.programLaunched(command, proc.pid);
            return newProcessStop(proc);
        }
        return "";
    }

    private String newProcessStop(StubProcess proc) throws InterruptedException {
        StubThread th;
        synchronized (target) {
            th = proc.threads.get(proc.pid);
            if (th == null) {
                th = proc.anyThread();
            }
        }
        current = th;
        general = new ThreadId(proc.pid, th.tid);
        if (nonStop) {
            // The new process's threads are all stopped: their stops come as notifications.
            return "OK";
        }
        return reportStop(th);
    }

    private String vCont(String args) throws InterruptedException, IOException {
        String[] actions = args.split(";");
        List<Plan> plans = new ArrayList<>();
        List<StubThread> stopping = new ArrayList<>();
        for (StubThread th : target.threads()) {
            for (String a : actions) {
                int colon = a.indexOf(':');
                String op = colon < 0 ? a : a.substring(0, colon);
                if (colon >= 0 && !ThreadId.parse(a.substring(colon + 1)).matches(th.process.pid, th.tid)) {
                    continue;
                }
                char c = op.charAt(0);
                switch (c) {
                    case 'c' -> plans.add(new Plan(th, ResumeAction.RESUME, 0, 0, 0));
                    case 's' -> plans.add(new Plan(th, ResumeAction.SINGLESTEP, 0, 0, 0));
                    case 'C' -> plans.add(new Plan(th, ResumeAction.RESUME, GdbSignals.fromGdb((int) Hex.parse(op.substring(1))), 0, 0));
                    case 'S' -> plans.add(new Plan(th, ResumeAction.SINGLESTEP, GdbSignals.fromGdb((int) Hex.parse(op.substring(1))), 0, 0));
                    case 'r' -> {
                        String[] range = op.substring(1).split(",");
                        plans.add(new Plan(th, ResumeAction.SINGLESTEP, 0, Hex.parse(range[0]), Hex.parse(range[1])));
                    }
                    case 't' -> stopping.add(th);
                    default -> throw new IllegalArgumentException("unknown vCont action " + op);
                }
                break; // the leftmost action that matches a thread is the one it gets
            }
        }
        if (nonStop) {
            for (Plan pl : plans) {
                target.resume(pl.thread(), pl.action(), pl.signal(), pl.rangeStart(), pl.rangeEnd());
            }
            for (StubThread th : stopping) {
                requestStopNonStop(th);
            }
            return "OK";
        }
        return resume(plans);
    }

    /** All-stop: report a pending event at once, else let the threads go and wait for the next stop. */
    private String resume(List<Plan> plans) throws InterruptedException, IOException {
        synchronized (target) {
            for (Plan pl : plans) {
                StubThread th = pl.thread();
                StopEvent ev = th.pending;
                if (ev == null) {
                    continue;
                }
                boolean stale = ev.kind() == StopEvent.Kind.REQUESTED || ev.kind() == StopEvent.Kind.STEP
                        || (ev.kind() == StopEvent.Kind.SWBREAK && !th.process.breakpoints.contains(ev.address()))
                        || (isHardware(ev.kind()) && !watched(th.process, ev.address()));
                if (stale) {
                    th.pending = null;
                }
            }
            for (Plan pl : plans) {
                if (pl.thread().pending != null) {
                    // An event that came while the process was being stopped: the client hears of it
                    // now, and nothing runs (gdbserver does the same).
                    return reportStop(pl.thread());
                }
            }
        }
        // The stepping threads first: a continued thread's quick event must not stop them before
        // they were even told to step.
        plans.sort((a, b) -> Boolean.compare(a.action() != ResumeAction.SINGLESTEP, b.action() != ResumeAction.SINGLESTEP));
        long since;
        synchronized (target) {
            since = target.lastSeq();
        }
        for (Plan pl : plans) {
            target.resume(pl.thread(), pl.action(), pl.signal(), pl.rangeStart(), pl.rangeEnd());
        }
        return awaitStop(since);
    }

    /**
     * All-stop: waits for the first event since {@code since} (or Ctrl-C, or an exit), stops
     * everything, reports it. Older unreported events belong to threads the client left stopped
     * (a step over a breakpoint resumes one thread only): they wait for a resume of their thread.
     */
    private String awaitStop(long since) throws InterruptedException, IOException {
        boolean interrupted = false;
        StubProcess exited = null;
        synchronized (target) {
            while (true) {
                exited = unreportedExit();
                if (exited != null || oldestPending(since) != null) {
                    break;
                }
                if (interruptRequested) {
                    interruptRequested = false;
                    interrupted = true;
                    break;
                }
                if (clientGone) {
                    return null;
                }
                if (target.processes.isEmpty()) {
                    return "W00"; // nothing left to run (its exit was reported already)
                }
                target.wait();
            }
        }
        target.stopAll(target.processList());
        if (exited != null) {
            return exitReply(exited);
        }
        StubThread th;
        synchronized (target) {
            exited = unreportedExit();
            th = oldestPending(since);
        }
        if (exited != null) {
            return exitReply(exited);
        }
        if (th == null && interrupted) {
            th = currentThread();
            if (th == null) {
                List<StubThread> all = target.threads();
                th = all.isEmpty() ? null : all.get(0);
            }
            if (th != null) {
                synchronized (target) {
                    th.pending = target.event(StopEvent.Kind.REQUESTED, StopEvent.SIGINT, 0);
                }
            }
        }
        if (th == null) {
            return "W00";
        }
        return reportStop(th);
    }

    private static boolean isHardware(StopEvent.Kind kind) {
        return kind == StopEvent.Kind.HWBREAK || kind == StopEvent.Kind.WATCH || kind == StopEvent.Kind.AWATCH;
    }

    /** Whether the client still has a hardware breakpoint or watchpoint covering {@code address}. */
    private static boolean watched(StubProcess proc, long address) {
        for (List<dev.multitrace.core.Watchpoint> pieces : proc.watchpoints.values()) {
            for (dev.multitrace.core.Watchpoint wp : pieces) {
                if (address >= wp.address() && address < wp.address() + wp.length()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Caller holds the monitor. */
    private StubProcess unreportedExit() {
        for (StubProcess p : target.processes.values()) {
            if (p.exit != null && !p.exitReported) {
                return p;
            }
        }
        return null;
    }

    /** Caller holds the monitor. */
    private StubThread oldestPending() {
        return oldestPending(0);
    }

    /** The thread with the oldest unreported event newer than {@code since}. Caller holds the monitor. */
    private StubThread oldestPending(long since) {
        StubThread best = null;
        for (StubProcess p : target.processes.values()) {
            for (StubThread th : p.threads.values()) {
                if (!th.gone && th.pending != null && th.held && !th.reportedStopped && th.pending.seq() > since
                        && (best == null || th.pending.seq() < best.pending.seq())) {
                    best = th;
                }
            }
        }
        return best;
    }

    private String exitReply(StubProcess p) {
        ExitStatus st;
        synchronized (target) {
            p.exitReported = true;
            st = p.exit;
            target.processes.remove(p.pid);
        }
        String proc = multiprocess ? ";process:" + Integer.toHexString(p.pid) : "";
        if (st.exited()) {
            log.println("Child exited with status " + st.code());
            return String.format("W%02x", st.code()) + proc;
        }
        log.println("Child terminated with signal = " + st.signal());
        return String.format("X%02x", GdbSignals.toGdb(st.signal())) + proc;
    }

    /** The stop reply for a held thread's event (consumed); becomes the answer to '?'. */
    private String reportStop(StubThread th) {
        StopEvent ev;
        synchronized (target) {
            ev = th.pending != null ? th.pending : th.lastReported;
            th.pending = null;
            th.lastReported = ev;
            th.reportedStopped = nonStop;
        }
        current = th;
        general = new ThreadId(th.process.pid, th.tid);
        int sig = ev == null ? 0 : GdbSignals.toGdb(ev.signal());
        StringBuilder s = new StringBuilder(String.format("T%02x", sig));
        if (ev != null) {
            // gdbserver's order: the event's own field first, then the thread.
            switch (ev.kind()) {
                case FORK -> {
                    int childPid = (int) ev.address();
                    s.append("fork:").append(ThreadId.format(childPid, childPid, true)).append(';');
                    inheritClientPoints(childPid);
                }
                case VFORK -> {
                    int childPid = (int) ev.address();
                    s.append("vfork:").append(ThreadId.format(childPid, childPid, true)).append(';');
                }
                case VFORK_DONE -> s.append("vforkdone:;");
                case EXEC -> s.append("exec:").append(Hex.encode(executable(th.process.pid).getBytes(StandardCharsets.UTF_8))).append(';');
                case CREATE -> s.append("create:;");
                default -> {
                }
            }
        }
        s.append("thread:").append(id(th)).append(';');
        if (ev != null) {
            switch (ev.kind()) {
                case SWBREAK -> {
                    if (swbreak) {
                        s.append("swbreak:;");
                    }
                }
                case HWBREAK -> {
                    if (hwbreak) {
                        s.append("hwbreak:;");
                    }
                }
                case WATCH -> s.append("watch:").append(Long.toHexString(ev.address())).append(';');
                case AWATCH -> s.append("awatch:").append(Long.toHexString(ev.address())).append(';');
                default -> {
                }
            }
        }
        return s.toString();
    }

    /** A reported fork's child takes copies of the breakpoints and watchpoints its memory inherited. */
    private void inheritClientPoints(int childPid) {
        StubProcess child = process(childPid);
        StubProcess parent;
        synchronized (target) {
            parent = child == null ? null : child.forkedFrom;
            if (child != null) {
                child.forkedFrom = null;
            }
        }
        if (parent != null) {
            child.breakpoints.addAll(parent.breakpoints);
            child.watchpoints.putAll(parent.watchpoints);
        }
    }

    private static String executable(int pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/" + pid + "/exe")).toString();
        } catch (IOException gone) {
            return "";
        }
    }

    private String haltReason() {
        if (nonStop) {
            // Every stopped thread is reported again through the vStopped queue.
            stopQueue.clear();
            for (StubThread th : target.threads()) {
                boolean held;
                synchronized (target) {
                    held = th.held;
                }
                if (held) {
                    stopQueue.add(reportStop(th));
                }
            }
            return stopQueue.isEmpty() ? "OK" : stopQueue.peek();
        }
        synchronized (target) {
            StubProcess exited = unreportedExit();
            if (exited != null) {
                return exitReply(exited);
            }
            StubThread th = oldestPending();
            if (th != null) {
                return reportStop(th);
            }
        }
        StubThread th = currentThread();
        if (th == null) {
            return "W00";
        }
        return reportStop(th);
    }

    // ------------------------------------------------------------------ non-stop

    private void requestStopNonStop(StubThread th) {
        requestStopNonStop(th, 0);
    }

    /** Non-stop: stops one thread, reported with {@code signal} (0 for vCont;t, SIGINT for Ctrl-C). */
    private void requestStopNonStop(StubThread th, int signal) {
        boolean already;
        synchronized (target) {
            already = th.held || th.gone;
            if (already && !th.gone && !th.reportedStopped && th.pending == null) {
                th.pending = target.event(StopEvent.Kind.REQUESTED, signal, 0);
            }
        }
        if (already) {
            return;
        }
        dev.multitrace.core.Result r = th.engine.control(ResumeAction.STOP);
        synchronized (target) {
            if (r == dev.multitrace.core.Result.OK) {
                th.held = true; // held by another engine already: the stop completes at once
            } else {
                th.stopRequested = true;
            }
            if (th.pending == null) {
                th.pending = target.event(StopEvent.Kind.REQUESTED, signal, 0);
            }
            target.notifyAll();
        }
    }

    /** Caller holds the monitor. */
    private boolean anyUnreportedStop() {
        return unreportedExit() != null || oldestPending() != null;
    }

    /**
     * Non-stop: one %Stop notification at a time; the client then drains the rest with vStopped.
     * <p>
     * Ctrl-C in non-stop (vCtrlC, or a 0x03 byte): gdbserver sends SIGINT to the inferior's
     * process group, so the one thread that takes the signal (the leader, for a process-directed
     * signal it does not block) stops with SIGINT, and every other thread runs on. The stub does
     * the same without sending a signal: it stops that thread and reports SIGINT, which reaches
     * the program only if the client passes it (C02), as with gdbserver. To stop other threads
     * gdb sends vCont;t for them.
     */
    private void sendNotificationIfAny() {
        boolean interrupt;
        synchronized (target) {
            interrupt = interruptRequested;
            interruptRequested = false;
        }
        if (interrupt) {
            StubThread th = interruptedThread();
            if (th != null) {
                requestStopNonStop(th, StopEvent.SIGINT);
            }
        }
        if (!stopQueue.isEmpty()) {
            return;
        }
        String reply = nextUnreportedStop();
        if (reply == null) {
            return;
        }
        stopQueue.add(reply);
        try {
            out.notify("Stop:" + reply);
        } catch (IOException e) {
            synchronized (target) {
                clientGone = true;
                goneReason = e.getMessage();
                target.notifyAll();
            }
        }
    }

    /** The thread a Ctrl-C's SIGINT lands on: the current process's leader, else any live thread of it or of the first process. */
    private StubThread interruptedThread() {
        StubThread cur = find(general);
        StubProcess proc = cur != null ? cur.process : currentProcess();
        synchronized (target) {
            if (proc == null || proc.threads.isEmpty()) {
                proc = target.processes.values().stream().findFirst().orElse(null);
            }
            if (proc == null) {
                return null;
            }
            StubThread leader = proc.threads.get(proc.pid);
            if (leader != null && !leader.gone) {
                return leader;
            }
            return proc.anyThread();
        }
    }

    /** Non-stop: the stop reply of the oldest event not told yet (an exit first), or null. */
    private String nextUnreportedStop() {
        synchronized (target) {
            StubProcess exited = unreportedExit();
            if (exited != null) {
                return exitReply(exited);
            }
            StubThread th = oldestPending();
            return th == null ? null : reportStop(th);
        }
    }

    // ------------------------------------------------------------------ detach, kill, leave

    private String detach(String p) throws InterruptedException {
        StubProcess proc = p.startsWith("D;") ? process((int) Hex.parse(p.substring(2))) : currentProcess();
        if (proc == null) {
            return "E01";
        }
        log.println("Detaching from process " + proc.pid);
        target.detach(proc);
        if (!extended && target.processList().isEmpty()) {
            end = End.CLIENT_LEFT;
        }
        return "OK";
    }

    private void killAll() throws InterruptedException {
        for (StubProcess proc : target.processList()) {
            log.println("Killing process(es): " + proc.pid);
            target.kill(proc);
        }
    }

    /**
     * The client is gone (or detached): nothing may be left running half-reported. Every process
     * is stopped and the client's breakpoints are taken out; then the server either keeps the
     * processes for the next client or detaches from them.
     */
    private void leave() throws InterruptedException {
        List<StubProcess> ps = target.processList();
        if (ps.isEmpty()) {
            return;
        }
        target.stopAll(ps);
        for (StubProcess proc : ps) {
            target.removeBreakpoints(proc);
            synchronized (target) {
                for (StubThread th : proc.threads.values()) {
                    th.reportedStopped = false;
                }
            }
        }
        if (end == End.EXIT_SERVER || !server.keepsProcessesForNextClient()) {
            for (StubProcess proc : ps) {
                if (proc.attached || end != End.EXIT_SERVER) {
                    log.println("Detaching from process " + proc.pid);
                    target.detach(proc);
                } else {
                    log.println("Killing process(es): " + proc.pid);
                    target.kill(proc);
                }
            }
        }
    }
}
