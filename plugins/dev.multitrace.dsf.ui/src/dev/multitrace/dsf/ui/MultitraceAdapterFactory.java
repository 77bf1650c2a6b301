package dev.multitrace.dsf.ui;

import org.eclipse.core.runtime.IAdapterFactory;
import org.eclipse.debug.internal.ui.viewers.model.provisional.IColumnPresentationFactory;
import org.eclipse.debug.internal.ui.viewers.model.provisional.IElementContentProvider;
import org.eclipse.debug.internal.ui.viewers.model.provisional.IModelProxyFactory;
import org.eclipse.debug.ui.contexts.ISuspendTrigger;

/**
 * The platform's way into a Multitrace launch's view model, live ({@link MultitraceLaunch}) or postmortem
 * ({@link PostmortemLaunch}): adapters of the launch object only; every
 * element below it (process, threads, frames) carries its adapters through the DSF session.
 */
@SuppressWarnings("restriction")
public final class MultitraceAdapterFactory implements IAdapterFactory {

    private static final Class<?>[] TYPES = { IElementContentProvider.class, IModelProxyFactory.class,
            IColumnPresentationFactory.class, ISuspendTrigger.class };

    @Override
    public <T> T getAdapter(Object adaptable, Class<T> type) {
        if (!(adaptable instanceof SessionLaunch launch)) {
            return null;
        }
        SessionAdapters a = MultitraceDsfUiPlugin.get().adapters(launch);
        if (a == null) {
            return null;
        }
        if (type == ISuspendTrigger.class) {
            return type.cast(a.suspendTrigger);
        }
        if (type == IElementContentProvider.class || type == IModelProxyFactory.class
                || type == IColumnPresentationFactory.class) {
            return type.cast(a.viewModel);
        }
        return null;
    }

    @Override
    public Class<?>[] getAdapterList() {
        return TYPES.clone();
    }
}
