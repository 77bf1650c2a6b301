/**
 * The Eclipse debug model over the tracing service: a launch type and its delegate, attaching,
 * and the ids the UI needs. The model elements (package {@code model}) are thin adapters over a
 * {@link dev.multitrace.session.DebugSession}, the debugger of one process (bundle
 * {@code dev.multitrace.session}, plain Java). This bundle never touches JNA or ptrace: it uses
 * {@code dev.multitrace.core}'s facades ({@code GeneralRegisters}, {@code Signals},
 * {@code HostProcesses}) and re-exports the core, symbol and session bundles to the UI.
 *
 * <h2>Launching</h2>
 * Launch configuration type {@value dev.multitrace.debug.core.MultitraceDebug#LAUNCH_TYPE_ID}
 * ("Multitrace Application", modes {@code run} and {@code debug}), delegate
 * {@link dev.multitrace.debug.core.MultitraceLaunchDelegate}. Attributes, all in
 * {@link dev.multitrace.debug.core.LaunchAttributes}:
 * <ul>
 * <li>{@code PROGRAM} (String, required), {@code ARGUMENTS} (String, shell-like quoting),
 * {@code WORKING_DIRECTORY} (String, default: the program's directory);</li>
 * <li>environment: the platform's {@code ILaunchManager.ATTR_ENVIRONMENT_VARIABLES} (Map) and
 * {@code ATTR_APPEND_ENVIRONMENT_VARIABLES} (boolean), i.e. the platform's EnvironmentTab;</li>
 * <li>{@code STOP_MODE}: {@code "main"} (default), {@code "entry"} (first instruction), {@code "none"};</li>
 * <li>{@code SYSCALL_TRACER} (boolean): also trace syscalls, in a second console of the launch;</li>
 * <li>{@code GDB_STUB_PORT} (int, 0 = none): also attach the GDB stub engine on that loopback port
 * (it holds the threads until a gdb client continues them, as gdbserver does);</li>
 * <li>{@code NON_STOP} (boolean): non-stop instead of all-stop;</li>
 * <li>{@code ATTACH_PID} (int): attach to that process instead of launching.</li>
 * </ul>
 * Source lookup: {@value dev.multitrace.debug.core.MultitraceDebug#SOURCE_LOCATOR_ID} (set on the
 * launch type); frames name their file through {@code MultitraceStackFrame.getSourcePath()} and
 * the participant returns the workspace {@code IFile} for that location when there is one (so the
 * editor can toggle breakpoints), else a {@code LocalFileStorage}.
 *
 * <h2>Attaching</h2>
 * {@link dev.multitrace.debug.core.Attach#processes()} lists processes as
 * {@link dev.multitrace.core.HostProcess} (pid, ppid, name, user, state, command line,
 * {@code tracerPid} and {@code tracerName}). {@link dev.multitrace.debug.core.Attach#attach(int,
 * org.eclipse.core.runtime.IProgressMonitor)} (run it in a Job) launches an unsaved configuration
 * with {@code ATTACH_PID}; all threads appear suspended (reason "attached"). A refusal is a
 * {@code CoreException} whose message names the reason, e.g. "cannot attach to process 42: ...
 * not permitted: already traced by pid 7 (strace)", or ptrace_scope, or credentials.
 *
 * <h2>The model (package {@code model})</h2>
 * <ul>
 * <li>{@code MultitraceDebugTarget}: the process. {@code disconnect()} (also from any of its
 * threads, frames or variables) detaches leaving it running with every breakpoint byte restored:
 * the target is then disconnected, not terminated, and its {@code TraceeProcess} says
 * "[detached, running]" until the program exits (with its exit value if the IDE launched it);
 * {@code terminate()} kills it. Extras for the views:
 * {@code getSignalSettings()} (the Signals view: pass/stop/print per signal,
 * {@link dev.multitrace.session.SignalSettings}), {@code addSignalNoteListener},
 * {@code setInstructionStepping(boolean)} (the instruction-stepping toggle: step into/over then
 * step one instruction), {@code addMemoryExpression(String)} (shown as variables of every frame),
 * {@code attachSyscallTracer()}, {@code attachGdbStub(port)} (0: any free port; the engine's
 * name says which, {@code gdbserver :PORT}), {@code getAttachedEngines()}, {@code detachEngine(AttachedEngine)}.
 * It is an {@code IMemoryBlockRetrievalExtension}: {@code getExtendedMemoryBlock("$rsp", frame)}
 * takes any expression of the condition language.</li>
 * <li>{@code MultitraceThread}: suspended exactly while the debugger holds it. {@code getName()}
 * is {@code "Thread 4242 [REASON]"} where REASON ({@code stateLabel()}) is why it is stopped:
 * {@code breakpoint loop.c:27}, {@code step}, {@code signal SIGUSR1}, {@code at main},
 * {@code attached}, {@code suspended}; with {@code "; also held by syscall tracer"} when another
 * engine holds it too. A thread the debugger resumed but another engine still holds is not
 * suspended, and its label is {@code held by syscall tracer} (several: comma-separated).
 * {@code resumeWithSignal(int)} resumes it with a signal (use {@code dev.multitrace.core.Signals}
 * for names/numbers). {@code getEngines()} returns one
 * {@link dev.multitrace.session.EngineInfo} per engine on the thread (name, event mask,
 * holds stop, last resume action, callback count, debugger or not): the Engines view's rows.
 * {@code stopReason()} gives the {@link dev.multitrace.session.StopReason}.</li>
 * <li>{@code MultitraceStackFrame}: function, file:line ({@code getName()} is
 * {@code "main() at loop.c:12"}), register groups General, Flags, Segment, FP/SSE/AVX (innermost
 * frame; every register editable: an expression, or for x87/XMM/YMM a hex number of full width), variables.</li>
 * </ul>
 * Events: thread CREATE/TERMINATE; thread SUSPEND with detail BREAKPOINT, STEP_END,
 * CLIENT_REQUEST (suspend, attach, all-stop sibling) or UNSPECIFIED (main, entry, signal); thread
 * RESUME with STEP_INTO/OVER/RETURN or CLIENT_REQUEST; thread CHANGE with detail STATE when an
 * engine attaches, detaches, or takes or releases a hold (refresh the Engines view on it; callback
 * counts change without events, so poll {@code getEngines()} while the view is visible); target
 * TERMINATE at exit or detach.
 *
 * <h2>Breakpoints (package {@code breakpoints})</h2>
 * {@code MultitraceLineBreakpoint(IResource, line, register)} on marker type
 * {@value dev.multitrace.debug.core.MultitraceDebug#LINE_BREAKPOINT_MARKER} (any file: a ruler
 * action creates one on the editor's file) or {@code MultitraceLineBreakpoint(IResource, Path,
 * line, register)} for a file outside the workspace (marker on the workspace root, as CDT does);
 * both carry the file's absolute path ({@code SOURCE_PATH}) and resolve through it, {@code MultitraceFunctionBreakpoint(name, register)},
 * {@code MultitraceAddressBreakpoint(address, register)}; all persistent, model id
 * {@value dev.multitrace.debug.core.MultitraceDebug#MODEL_ID}. Conditions, hit counts and thread
 * filters are marker attributes set through {@code MultitraceBreakpoint}'s setters (which
 * validate). Enabling, disabling and changes reach running sessions through the breakpoint manager.
 * A breakpoint whose code is not loaded yet (a function or line of a library the program will
 * {@code dlopen}) is pending in the session, which follows the dynamic linker and plants it the
 * moment the library is mapped (see {@code DebugSession}, "Shared libraries"); after exec every
 * breakpoint is resolved again in the new image.
 */
package dev.multitrace.debug.core;
