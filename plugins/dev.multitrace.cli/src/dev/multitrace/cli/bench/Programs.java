package dev.multitrace.cli.bench;

import dev.multitrace.symbols.elf.ElfFile;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The benchmark's C programs: workloads and the ptrace baseline, compiled by the build
 * (releng/build-native.sh) from plugins/dev.multitrace.cli/native into
 * plugins/dev.multitrace.cli/target/native.
 */
public final class Programs {

    /** System property naming the directory of the compiled programs. */
    public static final String DIR_PROPERTY = "multitrace.bench.native";
    /** System property set by ./multitrace: the repository (or installation) top directory. */
    public static final String HOME_PROPERTY = "multitrace.home";

    static final String[] NAMES = {"ptrace_baseline", "wl_syscall", "wl_breakpoint", "wl_step", "wl_threads",
        "wl_memory", "wl_locals"};

    private final Path dir;

    private Programs(Path dir) {
        this.dir = dir;
    }

    /**
     * Finds the programs: {@code explicit} if given, else the directory named by
     * {@value #DIR_PROPERTY}, else {@code $multitrace.home/plugins/dev.multitrace.cli/target/native}.
     *
     * @throws IllegalStateException with what to do when they are not there
     */
    public static Programs locate(Path explicit) {
        Path dir = explicit;
        if (dir == null && System.getProperty(DIR_PROPERTY) != null) {
            dir = Path.of(System.getProperty(DIR_PROPERTY));
        }
        if (dir == null && System.getProperty(HOME_PROPERTY) != null) {
            dir = Path.of(System.getProperty(HOME_PROPERTY), "plugins", "dev.multitrace.cli", "target", "native");
        }
        if (dir == null) {
            throw new IllegalStateException("where are the benchmark programs? pass --native DIR (they are compiled by"
                    + " the build into plugins/dev.multitrace.cli/target/native)");
        }
        for (String n : NAMES) {
            if (!Files.isExecutable(dir.resolve(n))) {
                throw new IllegalStateException("benchmark program " + dir.resolve(n) + " is missing: build the"
                        + " project (./multitrace build compiles plugins/dev.multitrace.cli/native/*.c into"
                        + " plugins/dev.multitrace.cli/target/native) or pass --native DIR");
            }
        }
        return new Programs(dir.toAbsolutePath());
    }

    public Path dir() {
        return dir;
    }

    public String path(String name) {
        return dir.resolve(name).toString();
    }

    /** The address of a function or variable in a (non-PIE) workload: its symbol value is its run-time address. */
    public long address(String program, String symbol) {
        var symbols = ElfFile.open(dir.resolve(program)).symbols();
        return symbols.addressOf(symbol).orElseGet(() -> symbols.byName(symbol).stream().findFirst()
                .orElseThrow(() -> new IllegalStateException("no symbol " + symbol + " in " + dir.resolve(program))).value());
    }
}
