package dev.multitrace.engines;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * strace-format text made comparable across runs: each task's lines in order, an
 * {@code <unfinished ...>} line joined with its {@code <... resumed>} line, addresses, pids and
 * the environment size replaced by placeholders, the alignment padding before {@code =} removed.
 */
final class TraceText {

    /** {@code [pid  123] } on a terminal, {@code 123   } in a file written with {@code -f -o}. */
    private static final Pattern PREFIX = Pattern.compile("^(?:\\[pid +(\\d+)\\]|(\\d+) ) *");
    private static final Pattern RESUMED = Pattern.compile("^<\\.\\.\\. ([a-z0-9_]+) resumed>");
    private static final Pattern PID_RESULT = Pattern.compile(
            "^(?:set_tid_address|getpid|gettid|clone|clone3|fork|vfork)\\(.*\\) += (\\d+)$");

    private TraceText() {
    }

    /**
     * The lines of each task in order, keyed by pid. Lines without a prefix (printed while one
     * task was traced) belong to the first process, whose pid set_tid_address returns.
     */
    static Map<String, List<String>> byTask(String trace) {
        Map<String, List<String>> tasks = new LinkedHashMap<>();
        Map<String, String> unfinished = new HashMap<>();
        String main = "";
        Matcher first = Pattern.compile("(?m)^set_tid_address\\(.*\\) += (\\d+)$").matcher(trace);
        if (first.find()) {
            main = first.group(1);
        }
        for (String raw : trace.split("\n")) {
            if (raw.isEmpty()) {
                continue;
            }
            Matcher m = PREFIX.matcher(raw);
            boolean prefixed = m.find();
            String tid = prefixed ? (m.group(1) != null ? m.group(1) : m.group(2)) : main;
            String line = prefixed ? raw.substring(m.end()) : raw;
            if (line.endsWith(" <unfinished ...>")) {
                unfinished.put(tid, line.substring(0, line.length() - " <unfinished ...>".length()));
                continue;
            }
            Matcher r = RESUMED.matcher(line);
            if (r.find() && unfinished.containsKey(tid)) {
                line = unfinished.remove(tid) + line.substring(r.end());
            }
            tasks.computeIfAbsent(tid, k -> new ArrayList<>()).add(line);
        }
        return tasks;
    }

    /** The pids a trace shows: prefixes and the results of calls that return one. */
    static Set<String> pids(String trace) {
        Set<String> pids = new LinkedHashSet<>();
        for (String raw : trace.split("\n")) {
            Matcher m = PREFIX.matcher(raw);
            if (m.find()) {
                pids.add(m.group(1) != null ? m.group(1) : m.group(2));
            }
        }
        for (List<String> lines : byTask(trace).values()) {
            for (String l : lines) {
                Matcher m = PID_RESULT.matcher(l.replaceAll("\\) +=", ") =").strip());
                if (m.find()) {
                    pids.add(m.group(1));
                }
            }
        }
        return pids;
    }

    /** One line with run-dependent values replaced. */
    static String normalize(String line, Set<String> pids) {
        String s = line.replaceAll("0x[0-9a-f]+", "0xADDR")
                .replaceAll("/\\* \\d+ vars \\*/", "/* N vars */")
                .replaceAll("\\) +=", ") =")
                // Pids by position, for traces whose filter hides the calls that return them.
                .replaceAll("si_pid=\\d+", "si_pid=PID")
                .replaceAll("^kill\\(\\d+,", "kill(PID,")
                .replaceAll("^getppid\\(\\) = \\d+$", "getppid() = PPID")
                .replaceAll("^getrandom\\(\"[^\"]*\"", "getrandom(\"RANDOM\"");
        for (String pid : pids) {
            s = s.replaceAll("\\b" + pid + "\\b", "PID");
        }
        return s;
    }

    /** Each task's normalized lines, the tasks sorted by their text (tids differ from run to run). */
    static List<String> normalizedTasks(String trace) {
        return normalizedTasks(trace, pids(trace));
    }

    /**
     * {@link #normalizedTasks(String)} for a trace compared with {@code other}: the pids of both runs are
     * replaced in it. A number that is a pid in one run is a plain value in the other's text (mprotect's
     * length 4096 when one run's pid was 4096): replaced on one side only, the two would differ.
     */
    static List<String> normalizedTasks(String trace, String other) {
        Set<String> pids = pids(trace);
        pids.addAll(pids(other));
        return normalizedTasks(trace, pids);
    }

    private static List<String> normalizedTasks(String trace, Set<String> pids) {
        List<String> tasks = new ArrayList<>();
        for (List<String> lines : byTask(trace).values()) {
            tasks.add(String.join("\n", lines.stream().map(l -> normalize(l, pids)).toList()));
        }
        tasks.sort(null);
        return tasks;
    }

    /** The syscall names of a trace's lines, in order, per task (sorted like {@link #normalizedTasks}). */
    static List<String> names(String trace) {
        List<String> out = new ArrayList<>();
        for (String task : normalizedTasks(trace)) {
            StringBuilder s = new StringBuilder();
            for (String l : task.split("\n")) {
                int paren = l.indexOf('(');
                s.append(paren > 0 && !l.startsWith("---") && !l.startsWith("+++") ? l.substring(0, paren) : l).append(' ');
            }
            out.add(s.toString().strip());
        }
        out.sort(null);
        return out;
    }
}
