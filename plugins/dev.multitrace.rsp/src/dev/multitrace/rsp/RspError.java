package dev.multitrace.rsp;

/**
 * Every error the stub answers, by name, and the {@code Exx} reply each one is.
 * <p>
 * The protocol leaves the numbers to the stub and gdb mostly just prints them ("Remote failure
 * reply: E01"), so what matters to a client is only that the reply is an error. The codes are the
 * ones the stub has always sent, so a client (or a test) that learnt them sees no change:
 * <ul>
 * <li>{@code E01} — the request cannot be done as asked: the packet's arguments do not parse, or
 * they name something that is not there (a thread, a process, memory, a breakpoint slot). It is
 * gdbserver's usual "no" and what gdb expects from a refused {@code m}/{@code Z}.</li>
 * <li>{@code E02} — the thread the packet is for cannot be examined now: it runs (non-stop), it is
 * gone, or no engine of ours holds it. Kept apart from E01 so that a client's log tells "you
 * asked for a running thread" from "you asked for nonsense".</li>
 * <li>{@code E03} — the tracing service refused a well-formed request about a stopped thread
 * (the task died meanwhile, the memory is not writable): the session goes on.</li>
 * <li>{@code E00} — {@code qXfer:features:read} of an annex we do not describe (only
 * {@code target.xml} exists).</li>
 * </ul>
 * {@link #of} is the one place that turns what a handler threw into one of these.
 */
enum RspError {

    /** The packet's arguments do not parse (bad hex, a missing separator, a wrong length). */
    MALFORMED("E01"),
    /** A thread id that names no thread of ours (H, T, qThreadExtraInfo). */
    NO_SUCH_THREAD("E01"),
    /** A pid that names no process of ours, or no process at all (D, vKill, qAttached, qXfer). */
    NO_SUCH_PROCESS("E01"),
    /** Not a byte of the range could be read (m, x). */
    MEMORY_UNREADABLE("E01"),
    /** vRun without a program, and none was run before to run again. */
    NO_PROGRAM("E01"),
    /** A breakpoint or watchpoint the service would not insert (no debug register left, a bad length), or a z for one not inserted. */
    BREAKPOINT_REFUSED("E01"),
    /** The selected thread runs, is gone or is not held by us: its registers and memory cannot be read. */
    NOT_EXAMINABLE("E02"),
    /** The service refused the request (the task is gone, the memory not writable). */
    TARGET_REFUSED("E03"),
    /** A qXfer:features annex other than target.xml. */
    NO_SUCH_ANNEX("E00");

    private final String reply;

    RspError(String reply) {
        this.reply = reply;
    }

    /** The reply packet: {@code Exx}. */
    String reply() {
        return reply;
    }

    /**
     * The reply for a client that takes errors as text: {@code E.message}, the message the client
     * shows the user (gdb prints it in place of "Remote failure reply: E01"). The protocol's text is
     * ASCII, and its framing characters ({@code $ # * }}) cannot stand in a reply unescaped: those
     * become a space. Without a message, the code.
     */
    String reply(String message) {
        if (message == null || message.isBlank()) {
            return reply;
        }
        StringBuilder b = new StringBuilder("E.");
        for (char c : message.strip().toCharArray()) {
            b.append(c >= 0x20 && c < 0x7f && c != '$' && c != '#' && c != '*' && c != '}' ? c : ' ');
        }
        return b.toString();
    }

    /** An exception carrying this error, for a handler to throw. */
    PacketError error(String message) {
        return new PacketError(this, message);
    }

    /**
     * The error a handler's exception stands for. Besides our own {@link PacketError}: the JDK's
     * parsers (hex decoding) throw IllegalArgumentException, an examination of a thread we do not
     * hold throws IllegalStateException, and anything else the service throws is its refusal.
     */
    static RspError of(RuntimeException e) {
        if (e instanceof PacketError p) {
            return p.error();
        }
        if (e instanceof IllegalArgumentException || e instanceof IndexOutOfBoundsException) {
            return MALFORMED;
        }
        if (e instanceof IllegalStateException) {
            return NOT_EXAMINABLE;
        }
        return TARGET_REFUSED;
    }
}
