package dev.multitrace.dsf.ui;

import org.eclipse.cdt.dsf.debug.ui.viewmodel.AbstractDebugVMAdapter;
import org.eclipse.cdt.dsf.debug.ui.viewmodel.SteppingController;
import org.eclipse.cdt.dsf.debug.ui.viewmodel.expression.ExpressionVMProvider;
import org.eclipse.cdt.dsf.debug.ui.viewmodel.register.RegisterVMProvider;
import org.eclipse.cdt.dsf.debug.ui.viewmodel.variable.VariableVMProvider;
import org.eclipse.cdt.dsf.service.DsfSession;
import org.eclipse.cdt.dsf.ui.viewmodel.IVMProvider;
import org.eclipse.debug.internal.ui.viewers.model.provisional.IPresentationContext;
import org.eclipse.debug.ui.IDebugUIConstants;

/**
 * The view models of a Multitrace session, one per view: the Debug view's (process, threads, frames),
 * and DSF's standard ones for the Registers, Expressions and Variables views over the services.
 */
@SuppressWarnings("restriction")
final class MultitraceVMAdapter extends AbstractDebugVMAdapter {

    MultitraceVMAdapter(DsfSession session, SteppingController controller) {
        super(session, controller);
    }

    @Override
    protected IVMProvider createViewModelProvider(IPresentationContext context) {
        return switch (context.getId()) {
            case IDebugUIConstants.ID_DEBUG_VIEW -> new MultitraceLaunchVMProvider(this, context, getSession());
            case IDebugUIConstants.ID_REGISTER_VIEW -> new RegisterVMProvider(this, context, getSession());
            case IDebugUIConstants.ID_EXPRESSION_VIEW -> new ExpressionVMProvider(this, context, getSession());
            case IDebugUIConstants.ID_VARIABLE_VIEW -> new VariableVMProvider(this, context, getSession());
            default -> super.createViewModelProvider(context);
        };
    }
}
