package dev.multitrace.engines.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.TreeSet;

import dev.multitrace.symbols.LoadedModule;
import dev.multitrace.symbols.ProcessSymbols;
import dev.multitrace.symbols.dwarf.LineRow;

/**
 * Where a probe fires, in gdb's linespec forms: {@code FILE:LINE}, {@code FUNCTION} or {@code *ADDRESS}.
 * Resolved against the modules of a process as gdb resolves {@code break}: a line with no code slides to
 * the next line of the file that has some, a function stops past its frame setup, an address is taken as
 * it is.
 */
public record ProbeLocation(String text, String file, int line, String function, long address) {

    /** Parses a location; the message of a bad one says what is wrong with it. */
    public static ProbeLocation parse(String text) {
        String t = text.strip();
        if (t.isEmpty()) {
            throw new ProbeException("a probe needs a location (FILE:LINE, FUNCTION or *ADDRESS)");
        }
        if (t.startsWith("*")) {
            String a = t.substring(1).strip();
            try {
                long address = a.startsWith("0x") || a.startsWith("0X") ? Long.parseUnsignedLong(a.substring(2), 16) : Long.parseUnsignedLong(a);
                return new ProbeLocation(t, null, 0, null, address);
            } catch (NumberFormatException e) {
                throw new ProbeException("*ADDRESS takes a number (0x... or decimal), not '" + a + "'");
            }
        }
        int colon = t.lastIndexOf(':');
        if (colon >= 0) {
            String file = t.substring(0, colon).strip();
            String line = t.substring(colon + 1).strip();
            if (file.isEmpty() || !line.matches("\\d{1,9}")) {
                throw new ProbeException("malformed location '" + t + "': FILE:LINE needs a file name and a line number");
            }
            return new ProbeLocation(t, file, Integer.parseInt(line), null, 0);
        }
        if (!t.matches("[A-Za-z_][A-Za-z_0-9]*")) {
            throw new ProbeException("malformed location '" + t + "': not FILE:LINE, a function name or *ADDRESS");
        }
        return new ProbeLocation(t, null, 0, t, 0);
    }

    /**
     * The run-time addresses of this location in the process whose modules are {@code symbols} (several for a
     * line with code in several blocks or inlined copies).
     *
     * @throws ProbeException in gdb's words when it names nothing there
     */
    public long[] resolve(ProcessSymbols symbols) {
        if (function == null && file == null) {
            return new long[] {address};
        }
        if (function != null) {
            for (LoadedModule m : symbols.modules()) {
                OptionalLong a = m.functionBreakpointAddress(function);
                if (a.isPresent()) {
                    return new long[] {a.getAsLong()};
                }
            }
            throw new ProbeException("Function \"" + function + "\" not defined.", true);
        }
        boolean fileKnown = false;
        for (LoadedModule m : symbols.modules()) {
            TreeSet<Integer> lines = linesOf(m, file);
            if (lines.isEmpty()) {
                continue;
            }
            fileKnown = true;
            // gdb slides a line without code to the next one of the file that has code
            for (Integer n = lines.ceiling(line); n != null; n = lines.higher(n)) {
                long[] a = m.breakpointAddresses(file, n);
                if (a.length > 0) {
                    return a;
                }
            }
        }
        if (!fileKnown) {
            throw new ProbeException("No source file named " + file + ".", true);
        }
        throw new ProbeException("Line " + line + " is out of range for \"" + file + "\".");
    }

    /** The lines of {@code file} (a full path or its trailing part) that have statement rows in module {@code m}. */
    private static TreeSet<Integer> linesOf(LoadedModule m, String file) {
        TreeSet<Integer> out = new TreeSet<>();
        String suffix = file.startsWith("/") ? file : "/" + file;
        List<LineRow> rows = new ArrayList<>(m.lineTable().rows());
        for (LineRow r : rows) {
            String f = r.file();
            if (r.isStmt() && !r.endSequence() && r.line() > 0 && f != null && (f.equals(file) || f.endsWith(suffix))) {
                out.add(r.line());
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return text;
    }
}
