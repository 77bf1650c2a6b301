package dev.multitrace.dsf.ui;

import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.cdt.dsf.debug.model.DsfMemoryBlockRetrieval;
import org.eclipse.cdt.dsf.debug.service.IMemory.IMemoryDMContext;
import org.eclipse.cdt.dsf.debug.service.IRunControl.IExitedDMEvent;
import org.eclipse.cdt.dsf.debug.service.IRunControl.IStartedDMEvent;
import org.eclipse.cdt.dsf.service.DsfServiceEventHandler;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.debug.core.DebugEvent;
import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.IMemoryBlockManager;

/**
 * The memory monitors of one Multitrace session, for the platform's Memory view and CDT's renderings (traditional,
 * floating point) and Memory Browser: DSF's block retrieval over the session's {@code IMemory} (reads and writes
 * through a held thread) and {@code IExpressions} (a monitor's expression, {@code &global_counter} or a pointer, is
 * evaluated in the selected frame, as gdb's {@code x} takes it). Registered as the session's model adapter, so every
 * element of the session in the Debug view adapts to it.
 * <p>
 * A monitor lives as long as its process: at the start the monitors the configuration kept from the last launch
 * come back; when the process exits, or the session ends first (a detach, a terminate), they are kept in the
 * configuration and taken out of the view, which would otherwise read a process that is gone.
 * <p>
 * Public for DSF's event dispatch, which calls the handlers by reflection from its own bundle.
 */
public final class MemoryMonitors extends DsfMemoryBlockRetrieval {

    /** x86-64 only: the renderings show 16 hex digits per address. */
    private static final int ADDRESS_BYTES = 8;

    private final AtomicBoolean ended = new AtomicBoolean();

    MemoryMonitors(SessionLaunch launch) throws DebugException {
        super(SessionAdapters.DEBUG_MODEL, launch.getLaunchConfiguration(), launch.getSession());
    }

    @Override
    public int getAddressSize() {
        return ADDRESS_BYTES;
    }

    /** On the session's executor: the process's memory is there, so are the monitors it had last time. */
    @DsfServiceEventHandler
    public void eventDispatched(IStartedDMEvent e) {
        if (e.getDMContext() instanceof IMemoryDMContext memory && !ended.get()) {
            initialize(memory);
        }
    }

    @DsfServiceEventHandler
    public void eventDispatched(IExitedDMEvent e) {
        if (e.getDMContext() instanceof IMemoryDMContext) {
            end();
        }
    }

    /**
     * The monitors are kept in the configuration, the views told this retrieval is gone, and the monitors taken
     * out of the platform's list (in a job: the list's listeners are the views). Once; any thread.
     */
    void end() {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        saveMemoryBlocks();
        DebugPlugin.getDefault().fireDebugEventSet(new DebugEvent[] { new DebugEvent(this, DebugEvent.TERMINATE) });
        Job remove = Job.create("Removing the memory monitors of " + getSession().getId(), monitor -> {
            IMemoryBlockManager blocks = DebugPlugin.getDefault().getMemoryBlockManager();
            blocks.removeMemoryBlocks(blocks.getMemoryBlocks(this));
            return Status.OK_STATUS;
        });
        remove.setSystem(true);
        remove.schedule();
    }
}
