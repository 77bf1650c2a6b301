package dev.multitrace.dsf.ui;

import org.eclipse.cdt.dsf.debug.ui.viewmodel.launch.AbstractLaunchVMProvider;
import org.eclipse.cdt.dsf.debug.ui.viewmodel.launch.LaunchRootVMNode;
import org.eclipse.cdt.dsf.debug.ui.viewmodel.launch.StackFramesVMNode;
import org.eclipse.cdt.dsf.service.DsfSession;
import org.eclipse.cdt.dsf.ui.viewmodel.AbstractVMAdapter;
import org.eclipse.cdt.dsf.ui.viewmodel.IRootVMNode;
import org.eclipse.cdt.dsf.ui.viewmodel.IVMNode;
import org.eclipse.debug.internal.ui.viewers.model.provisional.IPresentationContext;

/** The Debug view of a Multitrace session: the launch, its process, the process's threads, each thread's frames. */
@SuppressWarnings("restriction")
final class MultitraceLaunchVMProvider extends AbstractLaunchVMProvider {

    MultitraceLaunchVMProvider(AbstractVMAdapter adapter, IPresentationContext context, DsfSession session) {
        super(adapter, context, session);
        IRootVMNode root = new LaunchRootVMNode(this);
        setRootNode(root);
        IVMNode process = new ProcessVMNode(this, session);
        addChildNodes(root, new IVMNode[] { process });
        IVMNode threads = new ThreadVMNode(this, session);
        addChildNodes(process, new IVMNode[] { threads });
        addChildNodes(threads, new IVMNode[] { new StackFramesVMNode(this, session) });
    }
}
