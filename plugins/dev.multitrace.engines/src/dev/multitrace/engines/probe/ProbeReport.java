package dev.multitrace.engines.probe;

import java.util.ArrayList;
import java.util.List;

import dev.multitrace.symbols.expr.Evaluator;
import dev.multitrace.symbols.expr.ExpressionException;
import dev.multitrace.symbols.values.DataSymbols;
import dev.multitrace.symbols.values.FrameScope;
import dev.multitrace.symbols.values.Value;
import dev.multitrace.symbols.values.ValueFormat;

/**
 * What one probe prints at one hit, from the scope of the stopped frame: the same text gdb's
 * {@code printf}, {@code print} and {@code info args}/{@code info locals} print there. A value that cannot
 * be had (a name not in scope, unreadable memory) prints gdb's message for it, and the program runs on.
 */
final class ProbeReport {

    private ProbeReport() {
    }

    /** The lines of {@code probe} in {@code scope}, each ending with a newline (a dprintf's are its format's). */
    static String text(Probe probe, FrameScope scope) {
        return switch (probe.kind()) {
            case LOCALS -> locals(scope);
            case PRINT -> print(probe.expressions().get(0), scope);
            case DPRINTF -> dprintf(probe, scope);
        };
    }

    private static String locals(FrameScope scope) {
        ValueFormat format = new ValueFormat(scope.memory(), new DataSymbols(scope.symbols())::describe, false);
        return lines(scope.arguments(), format, "No arguments.") + lines(scope.locals(), format, "No locals.");
    }

    private static String lines(List<FrameScope.Variable> variables, ValueFormat format, String none) {
        if (variables.isEmpty()) {
            return none + "\n";
        }
        StringBuilder b = new StringBuilder();
        for (FrameScope.Variable v : variables) {
            b.append(v.name()).append(" = ").append(format.format(v.value())).append('\n');
        }
        return b.toString();
    }

    private static String print(String expression, FrameScope scope) {
        try {
            return expression + " = " + new Evaluator(scope).print(expression, false) + "\n";
        } catch (ExpressionException e) {
            return e.problem() + "\n";
        }
    }

    private static String dprintf(Probe probe, FrameScope scope) {
        Evaluator evaluator = new Evaluator(scope);
        List<Value> values = new ArrayList<>();
        try {
            for (String e : probe.expressions()) {
                values.add(evaluator.evaluate(e));
            }
            return probe.format().format(values, scope.memory());
        } catch (ExpressionException e) {
            return e.problem() + "\n";
        } catch (IllegalArgumentException e) {
            return e.getMessage() + "\n";
        }
    }
}
