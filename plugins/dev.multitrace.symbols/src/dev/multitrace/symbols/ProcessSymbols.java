package dev.multitrace.symbols;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import dev.multitrace.symbols.elf.ElfFile;
import dev.multitrace.symbols.elf.SymbolMatch;

/**
 * The modules of one process (the executable and its shared libraries) as seen in a {@link LoadMap}:
 * address -> function and function -> address across all of them. ELF files are opened through a cache
 * shared between processes ({@link #openCached(Path)}), keyed by path, size and modification time.
 * Files that cannot be read are skipped (see {@link #problems()}).
 */
public final class ProcessSymbols {

    private static final Map<String, ElfFile> CACHE = new ConcurrentHashMap<>();

    private final List<LoadedModule> modules = new ArrayList<>();
    private final List<SymbolException> problems = new ArrayList<>();

    public ProcessSymbols(LoadMap map) {
        this(map, ProcessSymbols::openCached);
    }

    public ProcessSymbols(LoadMap map, Function<Path, ElfFile> opener) {
        for (String file : map.files()) {
            if (file.endsWith(" (deleted)")) {
                continue;
            }
            try {
                ElfFile elf = opener.apply(Path.of(file));
                map.loadBias(file, elf).ifPresent(bias -> modules.add(new LoadedModule(elf, bias)));
            } catch (SymbolException e) {
                problems.add(e);
            }
        }
    }

    /** Opens an ELF file, or returns the one already opened if the file is unchanged. */
    public static ElfFile openCached(Path file) {
        String key;
        try {
            java.nio.file.attribute.BasicFileAttributes a = java.nio.file.Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
            key = file.toAbsolutePath() + "|" + a.size() + "|" + a.lastModifiedTime().toMillis() + "|" + a.fileKey();
        } catch (java.io.IOException e) {
            throw new SymbolException(file.toString(), null, "cannot read: " + e, e);
        }
        return CACHE.computeIfAbsent(key, k -> ElfFile.open(file));
    }

    public List<LoadedModule> modules() {
        return Collections.unmodifiableList(modules);
    }

    /** Mapped files that could not be read as ELF. */
    public List<SymbolException> problems() {
        return Collections.unmodifiableList(problems);
    }

    /** The module whose PT_LOAD segments cover run-time address {@code address}. */
    public Optional<LoadedModule> moduleAt(long address) {
        for (LoadedModule m : modules) {
            for (var s : m.elf().segments()) {
                if (s.isLoad() && Long.compareUnsigned(address - m.bias() - s.vaddr(), s.memsz()) < 0) {
                    return Optional.of(m);
                }
            }
        }
        return Optional.empty();
    }

    /** The function containing run-time address {@code address}. */
    public Optional<SymbolMatch> functionAt(long address) {
        return moduleAt(address).flatMap(m -> m.functionAt(address));
    }

    /** The run-time address of function {@code name}: the executable first, then the libraries in load order. */
    public OptionalLong addressOf(String name) {
        for (LoadedModule m : modules) {
            OptionalLong a = m.addressOf(name);
            if (a.isPresent()) {
                return a;
            }
        }
        return OptionalLong.empty();
    }
}
