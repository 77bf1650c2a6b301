package dev.multitrace.debug.ui.stepping;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.commands.ExecutionException;
import org.eclipse.ui.handlers.HandlerUtil;

/**
 * "Instruction Stepping Mode": flips the command's toggle state (which the toolbar button shows)
 * and sets the mode of the Multitrace sessions to match.
 */
public final class InstructionSteppingHandler extends AbstractHandler {

    @Override
    public Object execute(ExecutionEvent event) throws ExecutionException {
        boolean was = HandlerUtil.toggleCommandState(event.getCommand());
        InstructionStepping.set(!was);
        return null;
    }
}
