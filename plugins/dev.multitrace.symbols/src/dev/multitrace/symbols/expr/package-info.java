/**
 * C expressions in a frame: {@link dev.multitrace.symbols.expr.Evaluator} parses and evaluates them over a
 * {@link dev.multitrace.symbols.values.FrameScope} as gdb's {@code print} does ({@code p->next->count * 2},
 * casts, pointer arithmetic, {@code arr@n}, {@code $rax}), gives {@code whatis}'s type
 * ({@link dev.multitrace.symbols.expr.Evaluator#typeOf}), and performs assignments through a
 * {@link dev.multitrace.symbols.values.MemoryWriter}. Errors are
 * {@link dev.multitrace.symbols.expr.ExpressionException}s with gdb's message and the column.
 */
package dev.multitrace.symbols.expr;
