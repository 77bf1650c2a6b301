package dev.multitrace.rsp;

import dev.multitrace.core.Examination;
import dev.multitrace.symbols.Auxv;
import dev.multitrace.symbols.LinkMap;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The reply to {@code qXfer:libraries-svr4:read}: the dynamic linker's list of loaded objects,
 * one reply instead of the hundreds of memory reads gdb would make to walk it. The list is read
 * by the symbol layer's {@link LinkMap} (the reader the debugger session follows {@code dlopen}
 * with), through the stopped thread's {@link Examination}: one reader of auxv and the link map.
 */
final class LibraryList {

    private static final String EMPTY = "<library-list-svr4 version=\"1.0\"/>";

    private LibraryList() {
    }

    static String read(Examination ex, int pid) throws IOException {
        Optional<LinkMap> map = LinkMap.read(ex::read, Auxv.ofProcess(pid));
        if (map.isEmpty() || map.get().objects().isEmpty()) {
            return EMPTY; // a static program, or the dynamic linker has not filled DT_DEBUG in yet
        }
        List<LinkMap.LoadedObject> objects = map.get().objects();
        StringBuilder x = new StringBuilder();
        // The first entry is the program itself: gdb takes it as main-lm, not as a library.
        for (LinkMap.LoadedObject o : objects.subList(1, objects.size())) {
            x.append("<library name=\"").append(XferPackets.xmlEscape(o.name()))
                    .append("\" lm=\"0x").append(Long.toHexString(o.address()))
                    .append("\" l_addr=\"0x").append(Long.toHexString(o.bias()))
                    .append("\" l_ld=\"0x").append(Long.toHexString(o.dynamic())).append("\" lmid=\"0x0\"/>");
        }
        return "<library-list-svr4 version=\"1.0\" main-lm=\"0x" + Long.toHexString(objects.get(0).address()) + "\">" + x
                + "</library-list-svr4>";
    }
}
