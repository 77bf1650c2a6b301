package dev.multitrace.symbols;

import dev.multitrace.symbols.elf.SymbolException;

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
    private final Function<Path, ElfFile> opener;

    public ProcessSymbols(LoadMap map) {
        this(map, ProcessSymbols::openCached);
    }

    private ProcessSymbols(Function<Path, ElfFile> opener) {
        this.opener = opener;
    }

    public ProcessSymbols(LoadMap map, Function<Path, ElfFile> opener) {
        this.opener = opener;
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

    /** Symbols of modules placed by the caller (e.g. from a link map, or one file at bias 0 for offline use). */
    public static ProcessSymbols of(List<LoadedModule> modules) {
        ProcessSymbols out = new ProcessSymbols(ProcessSymbols::openCached);
        out.modules.addAll(modules);
        return out;
    }

    /**
     * The symbols after the dynamic linker changed its list (a {@code dlopen} or {@code dlclose}, seen at a
     * {@link LinkMap#breakAddress()} hit with state CONSISTENT): one module per object of {@code map} that is
     * a file, at the object's {@code l_addr}. The executable (the entry with an empty name) and every object
     * already known at the same bias keep their module, and with it the indexes already built; objects
     * no longer listed are dropped. Files that cannot be read go to {@link #problems()}.
     */
    public ProcessSymbols withLinkMap(LinkMap map) {
        ProcessSymbols out = new ProcessSymbols(opener);
        for (LinkMap.LoadedObject o : map.objects()) {
            Optional<LoadedModule> known = o.name().isEmpty() ? executable(o.bias()) : find(o.name(), o.bias());
            if (known.isPresent()) {
                if (!out.modules.contains(known.get())) {
                    out.modules.add(known.get());
                }
                continue;
            }
            if (o.name().isEmpty() || !o.name().startsWith("/") || !java.nio.file.Files.isRegularFile(Path.of(o.name()))) {
                continue; // the vDSO ("linux-vdso.so.1") is no file
            }
            try {
                out.modules.add(new LoadedModule(opener.apply(Path.of(o.name())), o.bias()));
            } catch (SymbolException e) {
                out.problems.add(e);
            }
        }
        return out;
    }

    /** The executable: the module at this bias that is not a shared library (ET_EXEC, or ET_DYN with an interpreter). */
    private Optional<LoadedModule> executable(long bias) {
        return modules.stream().filter(m -> m.bias() == bias && (m.elf().type() == ElfFile.ET_EXEC
                || m.elf().segments().stream().anyMatch(s -> s.type() == dev.multitrace.symbols.elf.ElfSegment.PT_INTERP))).findFirst();
    }

    private Optional<LoadedModule> find(String path, long bias) {
        String real = realPath(path);
        return modules.stream().filter(m -> m.bias() == bias && m.elf().path() != null && realPath(m.elf().path().toString()).equals(real)).findFirst();
    }

    private static String realPath(String path) {
        try {
            return Path.of(path).toRealPath().toString();
        } catch (java.io.IOException | RuntimeException e) {
            return path;
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
