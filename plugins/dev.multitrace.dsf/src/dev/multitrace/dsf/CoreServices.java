package dev.multitrace.dsf;

import java.nio.file.Path;
import java.util.List;

import org.eclipse.cdt.dsf.service.DsfSession;

/**
 * The services of a postmortem DSF session over a core file: the core first, then the read-only services that
 * read it (the expressions, source lookup and disassembly services are the live session's, over the core). Call on the session's executor.
 */
public final class CoreServices extends ServiceSequence {

    /** An unreadable core fails {@link #initialize} at its first service. */
    public CoreServices(DsfSession session, Path core) {
        super(List.of(new CoreDumpService(session, core), new CoreRunControl(session), new CoreStack(session),
                new MultitraceExpressions(session), new CoreRegisters(session), new CoreMemory(session), new CoreProcesses(session),
                new MultitraceSourceLookup(session), new MultitraceDisassembly(session)));
    }
}
