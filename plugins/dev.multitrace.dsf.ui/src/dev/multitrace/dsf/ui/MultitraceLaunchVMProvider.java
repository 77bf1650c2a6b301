package dev.multitrace.dsf.ui;

import org.eclipse.cdt.dsf.debug.ui.viewmodel.launch.AbstractLaunchVMProvider;
import org.eclipse.cdt.dsf.debug.ui.viewmodel.launch.LaunchRootVMNode;
import org.eclipse.cdt.dsf.debug.ui.viewmodel.launch.StackFramesVMNode;
import org.eclipse.cdt.dsf.debug.ui.viewmodel.launch.StandardProcessVMNode;
import org.eclipse.cdt.dsf.service.DsfSession;
import org.eclipse.cdt.dsf.ui.viewmodel.AbstractVMAdapter;
import org.eclipse.cdt.dsf.ui.viewmodel.IRootVMNode;
import org.eclipse.cdt.dsf.ui.viewmodel.IVMNode;
import org.eclipse.debug.internal.ui.viewers.model.provisional.IPresentationContext;

/**
 * The Debug view of a Multitrace session: the launch, its process, the process's threads, each thread's frames; beside
 * the process, the launch's {@code IProcess} (the program's console, its exit value), as DSF-GDB shows its inferior
 * next to its container. A postmortem launch has no IProcess: the core's process only.
 */
@SuppressWarnings("restriction")
final class MultitraceLaunchVMProvider extends AbstractLaunchVMProvider {

    MultitraceLaunchVMProvider(AbstractVMAdapter adapter, IPresentationContext context, DsfSession session) {
        super(adapter, context, session);
        IRootVMNode root = new LaunchRootVMNode(this);
        setRootNode(root);
        IVMNode process = new ProcessVMNode(this, session);
        addChildNodes(root, new IVMNode[] { process, new StandardProcessVMNode(this) });
        IVMNode threads = new ThreadVMNode(this, session);
        addChildNodes(process, new IVMNode[] { threads });
        addChildNodes(threads, new IVMNode[] { new StackFramesVMNode(this, session) });
    }
}
