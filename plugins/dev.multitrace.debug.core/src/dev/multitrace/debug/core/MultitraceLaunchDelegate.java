package dev.multitrace.debug.core;

import dev.multitrace.core.LaunchSpec;
import dev.multitrace.debug.core.model.LaunchEngines;
import dev.multitrace.debug.core.model.MultitraceDebugTarget;
import dev.multitrace.debug.core.model.TraceeProcess;
import dev.multitrace.session.DebugSession;
import dev.multitrace.session.SessionListener;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.core.variables.VariablesPlugin;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.ILaunchManager;
import org.eclipse.debug.core.model.LaunchConfigurationDelegate;

/**
 * Launches a "Multitrace Application" ({@link MultitraceDebug#LAUNCH_TYPE_ID}): starts the program
 * through the tracing service (never the JDK's process machinery), creates its process (console)
 * and, in debug mode, a debug target; in run mode the program runs traced without stopping, with
 * the engines the configuration asks for. With {@link LaunchAttributes#ATTACH_PID} it attaches to
 * that running process instead. The attributes are listed in {@link LaunchAttributes}.
 */
public class MultitraceLaunchDelegate extends LaunchConfigurationDelegate {

    @Override
    public void launch(ILaunchConfiguration config, String mode, ILaunch launch, IProgressMonitor monitor)
            throws CoreException {
        SubMonitor sub = SubMonitor.convert(monitor, "Multitrace: " + config.getName(), 4);
        boolean debug = ILaunchManager.DEBUG_MODE.equals(mode);
        int attachPid = config.getAttribute(LaunchAttributes.ATTACH_PID, 0);
        int gdbPort = config.getAttribute(LaunchAttributes.GDB_STUB_PORT, 0);
        if (gdbPort < 0 || gdbPort > 65535) {
            throw new CoreException(MultitraceDebug.error("GDB stub port " + gdbPort + " is not a TCP port (1-65535, 0 for none)", null));
        }
        DebugSession session;
        TraceeProcess process;
        String label;
        if (attachPid > 0) {
            sub.subTask("Attaching to process " + attachPid);
            session = Attach.session(attachPid);
            label = Attach.label(attachPid);
            process = new TraceeProcess(launch, label, null, null, null, session::terminate);
        } else {
            LaunchSpec spec = spec(config);
            label = Path.of(spec.command().get(0)).getFileName() + "";
            sub.subTask("Starting " + label);
            try {
                session = DebugSession.launch(spec, debug);
            } catch (RuntimeException e) {
                throw new CoreException(MultitraceDebug.error("cannot start " + spec.command().get(0) + ": " + MultitraceDebug.describe(e), e));
            }
            label = label + " (pid " + session.pid() + ")";
            process = new TraceeProcess(launch, label, session.process().stdout(), session.process().stderr(),
                    session.process().stdin(), session::terminate);
        }
        sub.worked(1);
        try {
            session.setNonStop(config.getAttribute(LaunchAttributes.NON_STOP, false));
            sub.subTask("Loading symbols");
            session.symbols().refresh();
            sub.worked(1);
            MultitraceDebugTarget target = null;
            if (debug || attachPid > 0) {
                target = new MultitraceDebugTarget(launch, session, process, label);
                launch.addDebugTarget(target);
                sub.subTask("Planting breakpoints");
                target.started();
            } else {
                session.addListener(new SessionListener() {
                    @Override
                    public void sessionEnded(dev.multitrace.core.ExitStatus status) {
                        if (status == null) {
                            process.detached(session.pid()); // let go (the IDE shuts down): it runs on
                        } else {
                            process.ended(status);
                        }
                    }
                });
            }
            sub.worked(1);
            // the engines' consoles: the target's, or the launch's own in run mode (no target)
            LaunchEngines engines = target != null ? target.engines() : new LaunchEngines(launch, session, label);
            if (config.getAttribute(LaunchAttributes.SYSCALL_TRACER, false)) {
                engines.attachSyscallTracer();
            }
            if (gdbPort > 0) {
                sub.subTask("Starting the GDB stub on port " + gdbPort);
                engines.attachGdbStub(gdbPort);
            }
            if (attachPid <= 0) {
                session.start(stopMode(config, debug));
            }
            sub.worked(1);
        } catch (CoreException | RuntimeException e) {
            session.terminate();
            if (e instanceof CoreException c) {
                throw c;
            }
            throw new CoreException(MultitraceDebug.error("cannot debug " + label + ": " + MultitraceDebug.describe(e), e));
        }
    }

    static DebugSession.StopMode stopMode(ILaunchConfiguration config, boolean debug) throws CoreException {
        if (!debug) {
            return DebugSession.StopMode.NONE;
        }
        String m = config.getAttribute(LaunchAttributes.STOP_MODE, LaunchAttributes.STOP_AT_MAIN);
        return switch (m) {
            case LaunchAttributes.STOP_AT_MAIN -> DebugSession.StopMode.MAIN;
            case LaunchAttributes.STOP_AT_ENTRY -> DebugSession.StopMode.ENTRY;
            case LaunchAttributes.STOP_NONE -> DebugSession.StopMode.NONE;
            default -> throw new CoreException(MultitraceDebug.error("unknown stop mode '" + m + "' (main, entry or none)", null));
        };
    }

    /** The program, arguments, environment, working directory and randomization of a configuration, checked. */
    static LaunchSpec spec(ILaunchConfiguration config) throws CoreException {
        var vars = VariablesPlugin.getDefault().getStringVariableManager();
        String program = vars.performStringSubstitution(config.getAttribute(LaunchAttributes.PROGRAM, "")).strip();
        if (program.isEmpty()) {
            throw new CoreException(MultitraceDebug.error("no program to launch: set the program of " + config.getName(), null));
        }
        Path exe = Path.of(program);
        if (!exe.isAbsolute()) {
            exe = Path.of(ResourcesPlugin.getWorkspace().getRoot().getLocation().toOSString()).resolve(program);
        }
        if (!Files.isRegularFile(exe)) {
            throw new CoreException(MultitraceDebug.error("no such program: " + exe, null));
        }
        if (!Files.isExecutable(exe)) {
            throw new CoreException(MultitraceDebug.error(exe + " is not executable", null));
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(exe.toString());
        try {
            cmd.addAll(ArgumentSplitter.split(vars.performStringSubstitution(config.getAttribute(LaunchAttributes.ARGUMENTS, ""))));
        } catch (IllegalArgumentException e) {
            throw new CoreException(MultitraceDebug.error(e.getMessage(), e));
        }
        String wd = vars.performStringSubstitution(config.getAttribute(LaunchAttributes.WORKING_DIRECTORY, "")).strip();
        Path dir = wd.isEmpty() ? exe.getParent() : Path.of(wd);
        if (!Files.isDirectory(dir)) {
            throw new CoreException(MultitraceDebug.error("no such working directory: " + dir, null));
        }
        Map<String, String> environment = LaunchEnvironment.of(config);
        return new LaunchSpec(cmd, environment, dir, true,
                config.getAttribute(LaunchAttributes.DISABLE_RANDOMIZATION, true));
    }
}
