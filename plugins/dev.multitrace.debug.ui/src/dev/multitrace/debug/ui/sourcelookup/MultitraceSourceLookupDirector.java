package dev.multitrace.debug.ui.sourcelookup;

import org.eclipse.debug.core.sourcelookup.AbstractSourceLookupDirector;
import org.eclipse.debug.core.sourcelookup.AbstractSourceLookupParticipant;
import org.eclipse.debug.core.sourcelookup.ISourceLookupParticipant;

import dev.multitrace.debug.ui.DebugContexts;

/**
 * Source lookup for Multitrace launches: a frame's source name is the path its line table gives
 * (absolute when the compile directory is known), found by the containers of the source path.
 */
public final class MultitraceSourceLookupDirector extends AbstractSourceLookupDirector {

    public static final String ID = "dev.multitrace.debug.ui.sourceLocator";

    @Override
    public void initializeParticipants() {
        addParticipants(new ISourceLookupParticipant[] {new FramePathParticipant()});
    }

    /** Names a stack frame's source by its DWARF path; frames without line information have none. */
    static final class FramePathParticipant extends AbstractSourceLookupParticipant {
        @Override
        public String getSourceName(Object object) {
            return DebugContexts.sourcePath(object);
        }
    }
}
