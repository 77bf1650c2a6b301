package dev.multitrace.core;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An engine that writes down every callback it gets, as "EVENT" or "EVENT:detail" strings. */
class Recorder implements EngineOps {

    final List<String> log = new CopyOnWriteArrayList<>();

    List<String> events() {
        return log;
    }

    long count(String prefix) {
        return log.stream().filter(s -> s.startsWith(prefix)).count();
    }

    @Override
    public ResumeAction quiesce(Engine engine, Task task, Event event) {
        log.add("QUIESCE:" + event);
        return EngineOps.super.quiesce(engine, task, event);
    }

    @Override
    public ResumeAction clone(Engine engine, Task parent, Task child, CloneKind kind) {
        log.add("CLONE:" + kind);
        return ResumeAction.RESUME;
    }

    @Override
    public ResumeAction exec(Engine engine, Task task, int formerTid) {
        log.add("EXEC:" + formerTid);
        return ResumeAction.RESUME;
    }

    @Override
    public ResumeAction exit(Engine engine, Task task, int status) {
        log.add("EXIT:" + task.tid());
        return ResumeAction.RESUME;
    }

    @Override
    public ResumeAction death(Engine engine, Task task, ExitStatus status) {
        log.add("DEATH:" + status);
        return ResumeAction.RESUME;
    }

    @Override
    public void reap(Engine engine, Task task) {
        log.add("REAP");
    }

    @Override
    public ResumeAction syscallEntry(Engine engine, Task task, SyscallReport report) {
        log.add("SYSCALL_ENTRY:" + report.number());
        return ResumeAction.RESUME;
    }

    @Override
    public ResumeAction syscallExit(Engine engine, Task task, SyscallReport report) {
        log.add("SYSCALL_EXIT:" + report.number());
        return ResumeAction.RESUME;
    }

    @Override
    public ResumeAction signal(Engine engine, Task task, SignalReport report) {
        log.add("SIGNAL:" + (report.signal() == 0 ? "REPORT" : dev.multitrace.linux.Signal.name(report.signal())));
        return ResumeAction.RESUME;
    }

    @Override
    public ResumeAction jctl(Engine engine, Task task, boolean stopped, int signal) {
        log.add("JCTL:" + (stopped ? "stop" : "continue"));
        return ResumeAction.RESUME;
    }

    @Override
    public ResumeAction step(Engine engine, Task task) {
        log.add("STEP");
        return ResumeAction.RESUME;
    }

    static <T> T await(java.util.concurrent.CompletableFuture<T> f) {
        try {
            return f.get(20, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("timed out or failed waiting: " + e, e);
        }
    }
}
