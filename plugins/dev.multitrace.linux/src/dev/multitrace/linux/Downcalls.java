package dev.multitrace.linux;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.lang.reflect.Array;
import java.lang.reflect.Method;

/**
 * The hot system calls of the tracer ({@code ptrace}, {@code waitpid}, {@code pwrite}) through
 * the JDK's foreign function interface when the running JDK has it final (22 and later), and
 * {@code null} handles otherwise, in which case {@link LibC} calls them through JNA.
 *
 * <p><b>Why:</b> a JNA direct-mapped call costs ≈0.4-0.7 µs more than the same call from C
 * (JNI transition, then libffi's generic argument marshalling, then saving errno); an FFM
 * downcall is compiled by the JIT into a direct call with only the thread-state transition.
 * Measured in one process on this machine (a million calls each): {@code ptrace} (ESRCH)
 * 0.43-0.64 µs from C, 1.0-1.5 µs through JNA, 0.59-0.93 µs through FFM. A syscall stop makes
 * three such calls and a breakpoint hit nine.
 *
 * <p><b>Why reflection:</b> the bundles compile for Java 21, where {@code java.lang.foreign} is a
 * preview API that cannot be named without {@code --enable-preview}. So the handles are built
 * reflectively once, here, and adapted to types Java 21 can name: every pointer is passed as a
 * {@code long} address (ABI-identical to a pointer on x86-64 and aarch64), and the call-state
 * segment that receives {@code errno} is typed {@code Object}. The hot path is then plain
 * {@link MethodHandle#invokeExact} on {@code static final} handles, which the JIT inlines.
 * Once the build targets 22 or later this class can name the types directly.
 *
 * <p><b>errno:</b> FFM saves errno into a per-thread call-state segment right after the call
 * ({@code Linker.Option.captureCallState}); on failure (-1) the caller copies it into JNA's
 * per-thread last error ({@link Native#setLastError}), so {@link LibC#errno()} keeps working for
 * every caller whichever way the call went. Disabled with {@code -Dmultitrace.ffm=false}.
 */
final class Downcalls {

    /** {@code long ptrace(Object state, int request, int pid, long addr, long data)}, or null. */
    static final MethodHandle PTRACE;
    /** {@code int waitpid(Object state, int pid, long statusAddress, int options)}, or null. */
    static final MethodHandle WAITPID;
    /** {@code long pwrite(Object state, int fd, long bufAddress, long count, long offset)}, or null. */
    static final MethodHandle PWRITE;
    /** Bytes of the call-state segment and where errno is in it. */
    private static final long STATE_SIZE;
    private static final long ERRNO_OFFSET;
    private static final Method OF_ADDRESS;
    private static final Method REINTERPRET;
    /** Why FFM is not used (null when it is). */
    static final String UNAVAILABLE;

    static {
        MethodHandle ptrace = null;
        MethodHandle waitpid = null;
        MethodHandle pwrite = null;
        long stateSize = 0;
        long errnoOffset = 0;
        Method ofAddress = null;
        Method reinterpret = null;
        String why = null;
        if (!Boolean.parseBoolean(System.getProperty("multitrace.ffm", "true"))) {
            why = "disabled by -Dmultitrace.ffm=false";
        } else if (Runtime.version().feature() < 22) {
            why = "Java " + Runtime.version().feature() + " has no final FFM API";
        } else {
            try {
                Class<?> linkerC = Class.forName("java.lang.foreign.Linker");
                Class<?> optionC = Class.forName("java.lang.foreign.Linker$Option");
                Class<?> layoutC = Class.forName("java.lang.foreign.MemoryLayout");
                Class<?> pathC = Class.forName("java.lang.foreign.MemoryLayout$PathElement");
                Class<?> valueLayoutC = Class.forName("java.lang.foreign.ValueLayout");
                Class<?> descC = Class.forName("java.lang.foreign.FunctionDescriptor");
                Class<?> lookupC = Class.forName("java.lang.foreign.SymbolLookup");
                Class<?> segmentC = Class.forName("java.lang.foreign.MemorySegment");

                Object linker = linkerC.getMethod("nativeLinker").invoke(null);
                Object lookup = linkerC.getMethod("defaultLookup").invoke(linker);
                Object jInt = valueLayoutC.getField("JAVA_INT").get(null);
                Object jLong = valueLayoutC.getField("JAVA_LONG").get(null);
                Object stateLayout = optionC.getMethod("captureStateLayout").invoke(null);
                stateSize = (long) layoutC.getMethod("byteSize").invoke(stateLayout);
                Object path = Array.newInstance(pathC, 1);
                Array.set(path, 0, pathC.getMethod("groupElement", String.class).invoke(null, "errno"));
                errnoOffset = (long) layoutC.getMethod("byteOffset", path.getClass()).invoke(stateLayout, path);
                Object captureErrno = optionC.getMethod("captureCallState", String[].class)
                        .invoke(null, (Object) new String[] {"errno"});

                Method find = lookupC.getMethod("find", String.class);
                Method descOf = descC.getMethod("of", layoutC, layoutC.arrayType());
                Method downcall = linkerC.getMethod("downcallHandle", segmentC, descC, optionC.arrayType());
                Method firstVariadic = optionC.getMethod("firstVariadicArg", int.class);

                // ptrace is variadic after the request: long ptrace(enum __ptrace_request, ...)
                Object[] ptraceOptions = (Object[]) Array.newInstance(optionC, 2);
                ptraceOptions[0] = captureErrno;
                ptraceOptions[1] = firstVariadic.invoke(null, 1);
                Object[] plainOptions = (Object[]) Array.newInstance(optionC, 1);
                plainOptions[0] = captureErrno;

                ptrace = handle(downcall, linker, find, lookup, "ptrace",
                        descOf.invoke(null, jLong, layouts(layoutC, jInt, jInt, jLong, jLong)), ptraceOptions,
                        MethodType.methodType(long.class, Object.class, int.class, int.class, long.class, long.class));
                waitpid = handle(downcall, linker, find, lookup, "waitpid",
                        descOf.invoke(null, jInt, layouts(layoutC, jInt, jLong, jInt)), plainOptions,
                        MethodType.methodType(int.class, Object.class, int.class, long.class, int.class));
                pwrite = handle(downcall, linker, find, lookup, "pwrite",
                        descOf.invoke(null, jLong, layouts(layoutC, jInt, jLong, jLong, jLong)), plainOptions,
                        MethodType.methodType(long.class, Object.class, int.class, long.class, long.class, long.class));
                ofAddress = segmentC.getMethod("ofAddress", long.class);
                reinterpret = segmentC.getMethod("reinterpret", long.class);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                ptrace = waitpid = pwrite = null;
                why = "FFM set-up failed: " + e;
            }
        }
        PTRACE = ptrace;
        WAITPID = waitpid;
        PWRITE = pwrite;
        STATE_SIZE = stateSize;
        ERRNO_OFFSET = errnoOffset;
        OF_ADDRESS = ofAddress;
        REINTERPRET = reinterpret;
        UNAVAILABLE = why;
    }

    private Downcalls() {
    }

    static boolean available() {
        return PTRACE != null;
    }

    private static Object layouts(Class<?> layoutC, Object... layouts) {
        Object a = Array.newInstance(layoutC, layouts.length);
        for (int i = 0; i < layouts.length; i++) {
            Array.set(a, i, layouts[i]);
        }
        return a;
    }

    private static MethodHandle handle(Method downcall, Object linker, Method find, Object lookup, String name,
            Object descriptor, Object[] options, MethodType type) throws ReflectiveOperationException {
        Object symbol = ((java.util.Optional<?>) find.invoke(lookup, name)).orElseThrow(
                () -> new NoSuchMethodException("libc has no " + name));
        MethodHandle h = (MethodHandle) downcall.invoke(linker, symbol, descriptor, (Object) options);
        return h.asType(type);
    }

    /**
     * One thread's call-state segment: native memory JNA owns (so errno is read with a plain
     * {@link Memory#getInt}) and an FFM segment over it (what the handles take). Held in
     * {@link Scratch}, so per thread; a thread makes one call at a time.
     */
    static final class CallState {
        final Memory memory;
        final Object segment;
        /** Where {@code waitpid} puts the status: after the state, 8-aligned. */
        final long statusOffset = (STATE_SIZE + 7) & ~7L;

        CallState() {
            memory = new Memory(statusOffset + 8);
            try {
                Object s = OF_ADDRESS.invoke(null, com.sun.jna.Pointer.nativeValue(memory));
                segment = REINTERPRET.invoke(s, memory.size());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("FFM call state", e);
            }
        }

        /** Copies the errno saved by the last failed call into JNA's last error (see class comment). */
        void publishErrno() {
            Native.setLastError(memory.getInt(ERRNO_OFFSET));
        }
    }
}
