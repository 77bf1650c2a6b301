package dev.multitrace.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

import picocli.CommandLine;

/** One in-process run of the CLI ({@link Main}'s command line): its exit code and what it wrote to out and err. */
record CliRun(int code, String out, String err) {

    /** Runs {@code multitrace ARGS} in this JVM, capturing both streams. */
    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /** The output line for {@code pid}, for commands whose first column is the pid; null if there is none. */
    String row(int pid) {
        return out.lines().filter(l -> l.strip().startsWith(pid + " ")).findFirst().orElse(null);
    }
}
