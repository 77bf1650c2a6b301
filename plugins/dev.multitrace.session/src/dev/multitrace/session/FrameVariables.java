package dev.multitrace.session;

import dev.multitrace.core.Examination;
import dev.multitrace.core.GeneralRegisters;
import dev.multitrace.core.WatchKind;
import dev.multitrace.symbols.MemoryReader;
import dev.multitrace.symbols.Registers;
import dev.multitrace.symbols.expr.Evaluator;
import dev.multitrace.symbols.expr.ExpressionException;
import dev.multitrace.symbols.unwind.Frame;
import dev.multitrace.symbols.values.DataSymbols;
import dev.multitrace.symbols.values.FrameScope;
import dev.multitrace.symbols.values.MemoryWriter;
import dev.multitrace.symbols.values.Value;
import dev.multitrace.symbols.values.ValueFormat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The source-level data of one frame of a held thread, as gdb shows it: the arguments and the locals in
 * scope at the frame's pc (innermost block first; an inlined frame sees its inlined instance's), any other
 * name visible there (file statics and globals, on request), C expressions evaluated in the frame
 * ({@code p->next->count * 2}, {@code $rax}), and assignments written back into the process through the
 * service. Values are {@link SourceValue}s, expanded lazily.
 * <p>
 * Valid while the thread stays held: it reads through the thread's {@link Examination}; after a resume,
 * reads fail and {@link #isValid()} is false. A core's frame ({@link CoreDump#variables}) reads the core and is
 * always valid; writes into it are refused. The symbol layer ({@link FrameScope}, {@link Evaluator})
 * does the DWARF work; this class binds it to the live process.
 */
public final class FrameVariables {

    /** A register as an assignment's target: {@code $rax}, {@code $pc}. */
    private static final Pattern REGISTER = Pattern.compile("\\$([A-Za-z_][A-Za-z0-9_]*)");

    private final Examination examination;
    private final int level;
    private final FrameScope scope;
    private final MemoryReader memory;
    private final MemoryWriter writer;
    private final DataSymbols dataSymbols;

    /** @param examination the held thread's; null for a core's frame, whose memory and registers are read-only */
    private FrameVariables(Examination examination, int level, FrameScope scope, MemoryReader memory) {
        this.examination = examination;
        this.level = level;
        this.scope = scope;
        this.memory = memory;
        this.writer = (address, data) -> {
            if (examination == null) {
                throw new ExpressionException("A core file cannot be written.", 1);
            }
            try {
                examination.write(address, data);
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        };
        this.dataSymbols = new DataSymbols(scope.symbols());
    }

    /**
     * The data of frame {@code level} (0: innermost, as {@link DebugSession#frames} numbers them) of the thread
     * examined by {@code x}.
     *
     * @throws IllegalArgumentException if the stack has no such frame
     */
    static FrameVariables of(Examination x, SessionSymbols symbols, int level) {
        return new HeldStop(x, symbols).variables(level);
    }

    /** Frame {@code level} of a stack the caller unwound (with the vector registers) through {@code memory}. */
    static FrameVariables of(Examination x, SessionSymbols symbols, MemoryReader memory, List<Frame> frames, int level) {
        if (level < 0 || level >= frames.size()) {
            throw new IllegalArgumentException("no frame " + level + " (the stack has " + frames.size() + ")");
        }
        return new FrameVariables(x, level, FrameScope.of(symbols.current(), memory, frames, level), memory);
    }

    /** Frame {@code level} of a core's thread, whose stack was unwound through the core's {@code memory}: read-only. */
    static FrameVariables ofCore(SessionSymbols symbols, MemoryReader memory, List<Frame> frames, int level) {
        if (level < 0 || level >= frames.size()) {
            throw new IllegalArgumentException("no frame " + level + " (the stack has " + frames.size() + ")");
        }
        return new FrameVariables(null, level, FrameScope.of(symbols.current(), memory, frames, level), memory);
    }

    /** The frame's level, 0 for the innermost. */
    public int level() {
        return level;
    }

    /** Whether the thread is still held as it was when this was made (reads and writes then work). */
    public boolean isValid() {
        return examination == null || examination.valid();
    }

    /** gdb's {@code info args}. */
    public List<SourceValue> arguments() {
        return wrap(scope.arguments());
    }

    /** gdb's {@code info locals}: innermost block first, function-static locals included. */
    public List<SourceValue> locals() {
        return wrap(scope.locals());
    }

    /** The variable {@code name} as C scoping sees it at the pc: a local, an argument, a file static or a global. */
    public Optional<SourceValue> variable(String name) {
        return scope.lookup(name).map(v -> new SourceValue(this, v.name(), v.name(), v.value()));
    }

    private List<SourceValue> wrap(List<FrameScope.Variable> variables) {
        List<SourceValue> out = new ArrayList<>(variables.size());
        for (FrameScope.Variable v : variables) {
            out.add(new SourceValue(this, v.name(), v.name(), v.value()));
        }
        return out;
    }

    /**
     * The value of a C expression in this frame.
     *
     * @throws ExpressionException naming the problem and its column (a syntax error, a name not in scope,
     *                             memory that cannot be read, a value optimized out)
     */
    public SourceValue evaluate(String expression) {
        String text = expression == null ? "" : expression.strip();
        Value v = new Evaluator(scope, writer).evaluate(text);
        if (v.error() != null) {
            throw new ExpressionException(v.error(), 1);
        }
        return new SourceValue(this, text, text, v);
    }

    /** What gdb's {@code print EXPRESSION} shows after {@code $1 = }. */
    public String print(String expression) {
        return new Evaluator(scope, writer).print(expression.strip(), (char) 0);
    }

    /**
     * A condition: whether C expression {@code condition} is true (non-zero, a non-null pointer) here.
     *
     * @throws ExpressionException if it cannot be evaluated
     */
    public boolean test(String condition) {
        Value v = new Evaluator(scope).evaluate("!(" + condition + ")");
        if (v.error() != null) {
            throw new ExpressionException(v.error(), 1);
        }
        return v.asLong() == 0;
    }

    /**
     * Assigns: {@code target = value} as C does (the value converted to the target's type), written into the
     * process. The target is an lvalue expression (a variable, {@code p->count}, {@code numbers[2]}) or, in the
     * innermost frame, a register ({@code $rax}).
     *
     * @return the target's new value
     * @throws ExpressionException if either side cannot be evaluated or the target cannot be written
     */
    public SourceValue assign(String target, String value) {
        String t = target.strip();
        Matcher reg = REGISTER.matcher(t);
        if (reg.matches()) {
            return assignRegister(reg.group(1), value);
        }
        Value v = new Evaluator(scope, writer).evaluate("(" + t + ") = (" + value.strip() + ")");
        return new SourceValue(this, t, t, v);
    }

    private SourceValue assignRegister(String name, String value) {
        if (level != 0) {
            throw new ExpressionException("Registers of an outer frame cannot be written; select the innermost frame.", 1);
        }
        String kernelName = switch (name) {
            case "pc" -> "rip";
            case "sp" -> "rsp";
            case "fp" -> "rbp";
            default -> name;
        };
        Value v = new Evaluator(scope).evaluate(value.strip());
        if (v.error() != null) {
            throw new ExpressionException(v.error(), 1);
        }
        if (!v.available() || !(v.type().isIntegral() || v.type().isPointer())) {
            throw new ExpressionException("Only an integer or a pointer can be written to a register.", 1);
        }
        if (examination == null) {
            throw new ExpressionException("A core file's registers cannot be written.", 1);
        }
        if (!GeneralRegisters.read(examination).has(kernelName)) {
            throw new ExpressionException("No register $" + name + ".", 1);
        }
        GeneralRegisters.write(examination, kernelName, v.asLong());
        // read back through a fresh scope: the frame's registers are those of when it was made
        return new SourceValue(this, "$" + name, "$" + name, Value.ofLong(v.type(), v.asLong()));
    }

    /**
     * A watchpoint on the bytes of lvalue {@code expression} as it is in this frame (a local's watchpoint
     * keeps watching its stack slot after the function returns, as the address is taken now).
     *
     * @throws ExpressionException if it cannot be evaluated or is not in memory
     */
    public DataWatchpoint watchpoint(String expression, WatchKind kind, Object owner) {
        String text = expression.strip();
        Value v = new Evaluator(scope).evaluate(text);
        if (v.address() < 0) {
            throw new ExpressionException("Cannot watch a value that is not in memory: " + text, 1);
        }
        long size = v.type().size();
        if (size <= 0 || size > MAX_WATCHED_BYTES) {
            throw new ExpressionException("Cannot watch " + size + " bytes (at most " + MAX_WATCHED_BYTES + ").", 1);
        }
        return new DataWatchpoint(text, v.address(), (int) size, kind, owner);
    }

    /** The service's software write watches cover at most a page. */
    private static final int MAX_WATCHED_BYTES = 4096;

    /** A value's text as in gdb's {@code info locals} and inside aggregates. */
    String format(Value v) {
        return format(v, (char) 0);
    }

    /** A value's text in gdb's output format {@code letter} (as {@code print/x}), 0 for the natural one. */
    String format(Value v, char letter) {
        return new ValueFormat(memory, dataSymbols::describe, letter).format(v);
    }

    /** Reads {@code length} bytes at {@code address}; fewer if memory ends there. */
    int read(long address, byte[] into) {
        return memory.read(address, into, 0, into.length);
    }
}
