package dev.multitrace.session;

import dev.multitrace.core.CloneKind;
import dev.multitrace.core.Engine;
import dev.multitrace.core.EngineOps;
import dev.multitrace.core.Event;
import dev.multitrace.core.ExitStatus;
import dev.multitrace.core.ResumeAction;
import dev.multitrace.core.SignalReport;
import dev.multitrace.core.SyscallReport;
import dev.multitrace.core.Task;

/**
 * The launch engine must exist before the session that handles its callbacks: this forwards
 * to the session's ops once it is set. Until then (no callback can come: the launched or
 * attached task is held) it keeps the hold.
 */
final class OpsHandoff implements EngineOps {
    volatile EngineOps target;

    private EngineOps t() {
        EngineOps x = target;
        return x != null ? x : new EngineOps() {
            @Override
            public ResumeAction quiesce(Engine engine, Task task, Event event) {
                return ResumeAction.STOP;
            }
        };
    }

    @Override
    public ResumeAction quiesce(Engine engine, Task task, Event event) {
        return t().quiesce(engine, task, event);
    }

    @Override
    public ResumeAction clone(Engine engine, Task parent, Task child, CloneKind kind) {
        return t().clone(engine, parent, child, kind);
    }

    @Override
    public ResumeAction forkLetGo(Engine engine, Task parent, int childPid, CloneKind kind) {
        return t().forkLetGo(engine, parent, childPid, kind);
    }

    @Override
    public ResumeAction exec(Engine engine, Task task, int formerTid) {
        return t().exec(engine, task, formerTid);
    }

    @Override
    public ResumeAction exit(Engine engine, Task task, int status) {
        return t().exit(engine, task, status);
    }

    @Override
    public ResumeAction death(Engine engine, Task task, ExitStatus status) {
        return t().death(engine, task, status);
    }

    @Override
    public void reap(Engine engine, Task task) {
        t().reap(engine, task);
    }

    @Override
    public ResumeAction syscallEntry(Engine engine, Task task, SyscallReport report) {
        return t().syscallEntry(engine, task, report);
    }

    @Override
    public ResumeAction syscallExit(Engine engine, Task task, SyscallReport report) {
        return t().syscallExit(engine, task, report);
    }

    @Override
    public ResumeAction signal(Engine engine, Task task, SignalReport report) {
        return t().signal(engine, task, report);
    }

    @Override
    public ResumeAction jctl(Engine engine, Task task, boolean stopped, int signal) {
        return t().jctl(engine, task, stopped, signal);
    }

    @Override
    public ResumeAction step(Engine engine, Task task) {
        return t().step(engine, task);
    }

    @Override
    public ResumeAction breakpoint(Engine engine, Task task, long address) {
        return t().breakpoint(engine, task, address);
    }

    @Override
    public ResumeAction watchpoint(Engine engine, Task task, dev.multitrace.core.Watchpoint wp, long dataAddress) {
        return t().watchpoint(engine, task, wp, dataAddress);
    }
}
