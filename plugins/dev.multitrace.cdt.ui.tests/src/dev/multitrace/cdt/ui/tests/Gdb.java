package dev.multitrace.cdt.ui.tests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** gdb as the independent witness of what the program's debug information says (gdb -batch on the file). */
final class Gdb {

    private static final Pattern STARTS_AT = Pattern.compile("starts at address (0x[0-9a-f]+)");

    private Gdb() {
    }

    /** Whether a gdb runs here (else the tests that need it are skipped). */
    static boolean available() {
        try {
            return run("--version").contains("GNU gdb");
        } catch (IOException e) {
            return false;
        }
    }

    /** The first address of {@code file:line} in {@code executable} as gdb reads it (unrelocated for a PIE). */
    static long lineAddress(Path executable, String file, int line) throws IOException {
        String out = run("-batch", "-nx", "-ex", "info line " + file + ":" + line, executable.toString());
        Matcher m = STARTS_AT.matcher(out);
        if (!m.find()) {
            throw new IOException("gdb: no address for " + file + ":" + line + ": " + out);
        }
        return Long.parseUnsignedLong(m.group(1).substring(2), 16);
    }

    /** The instruction at {@code address} of {@code executable} as gdb decodes it (AT&T syntax), e.g. {@code mov -0x8(%rbp),%eax}. */
    static String instruction(Path executable, long address) throws IOException {
        String out = run("-batch", "-nx", "-ex", "x/i 0x" + Long.toHexString(address), executable.toString());
        for (String line : out.split("\n")) {
            int colon = line.indexOf(">:");
            if (line.contains("0x" + Long.toHexString(address)) && colon >= 0) {
                return line.substring(colon + 2).strip();
            }
        }
        throw new IOException("gdb: no instruction at 0x" + Long.toHexString(address) + ": " + out);
    }

    /**
     * Whether a disassembler's line shows gdb's {@code instruction}: the same operands (spaces ignored) after a
     * mnemonic that starts the same (one tool's {@code mov} is another's {@code movl}).
     */
    static boolean sameInstruction(String line, String instruction) {
        String[] want = instruction.strip().split("\\s+", 2);
        String mnemonic = want[0];
        String operands = want.length > 1 ? want[1].replaceAll("\\s+", "") : "";
        String squeezed = line.replaceAll("\\s+", "");
        int at = line.indexOf(mnemonic.substring(0, Math.min(3, mnemonic.length())));
        return at >= 0 && (operands.isEmpty() || squeezed.endsWith(operands) || squeezed.contains(operands + "<")
                || squeezed.contains(operands + "#"));
    }

    /** {@code gdb -nx -batch} with {@code args} (commands, the program, a core), debuginfod off: its output. */
    static String batch(String... args) throws IOException {
        String[] all = new String[args.length + 4];
        System.arraycopy(new String[] { "-nx", "-batch", "-ex", "set debuginfod enabled off" }, 0, all, 0, 4);
        System.arraycopy(args, 0, all, 4, args.length);
        return run(all);
    }

    /** {@code gdb -batch -nx} on {@code executable} with these commands (a client of a stub, say); its output. */
    static String batch(Path executable, String... commands) throws IOException {
        java.util.List<String> args = new java.util.ArrayList<>();
        for (String c : commands) {
            args.add("-ex");
            args.add(c);
        }
        args.add(executable.toString());
        return batch(args.toArray(String[]::new));
    }

    // gdb reads a file here, runs its own inferior (to write a core), or is a stub's client; it traces nothing of
    // ours, so ProcessBuilder (and its reaper) is harmless.
    private static String run(String... args) throws IOException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "gdb";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("gdb did not answer within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
