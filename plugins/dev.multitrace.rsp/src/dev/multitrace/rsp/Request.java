package dev.multitrace.rsp;

import java.nio.charset.StandardCharsets;

/**
 * One packet to answer, split into its name and its arguments.
 * <p>
 * The name is what the dispatch looks up: one character for the classic packets ({@code m},
 * {@code Z}, {@code H}...), and for the named ones ({@code q}, {@code Q}, {@code v}) everything up
 * to the first {@code :}, {@code ;} or {@code ,} ({@code qXfer}, {@code vCont}, {@code vCont?},
 * {@code QNonStop}).
 *
 * @param raw the packet's bytes as decoded from the frame (binary data for X and vFile)
 */
record Request(String name, String text, byte[] raw) {

    static Request of(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        return new Request(nameOf(text), text, raw);
    }

    static String nameOf(String text) {
        if (text.isEmpty()) {
            return "";
        }
        char c = text.charAt(0);
        if (c != 'q' && c != 'Q' && c != 'v') {
            return text.substring(0, 1);
        }
        int end = 1;
        while (end < text.length() && ":;,".indexOf(text.charAt(end)) < 0) {
            end++;
        }
        return text.substring(0, end);
    }

    /** The arguments: what follows the name. */
    PacketArgs args() {
        return new PacketArgs(text, name.length());
    }
}
