package dev.multitrace.debug.core.sourcelookup;

import org.eclipse.debug.core.sourcelookup.AbstractSourceLookupDirector;
import org.eclipse.debug.core.sourcelookup.ISourceLookupParticipant;

/** The source locator of Multitrace launches ({@code dev.multitrace.debug.core.sourceLocator}). */
public class MultitraceSourceLookupDirector extends AbstractSourceLookupDirector {

    @Override
    public void initializeParticipants() {
        addParticipants(new ISourceLookupParticipant[] {new MultitraceSourceLookupParticipant()});
    }
}
