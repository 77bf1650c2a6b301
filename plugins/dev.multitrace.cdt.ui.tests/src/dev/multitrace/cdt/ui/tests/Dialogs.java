package dev.multitrace.cdt.ui.tests;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Predicate;

import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;

/**
 * Dialogs the workbench opens by itself (a launch job's prompt, its error), driven as a user drives them. Such a
 * dialog runs its own event loop on the UI thread, where the test's code waits: the test's part runs from a timer,
 * which fires inside that loop.
 */
final class Dialogs {

    private static final int POLL_MS = 50;

    private Dialogs() {
    }

    /**
     * Runs {@code action} on the first visible shell {@code which} accepts, once it opens (within {@code timeout});
     * the future completes with the action's result, or with the failure (also a timeout).
     */
    static <T> CompletableFuture<T> whenOpen(String what, Predicate<Shell> which, Duration timeout, Function<Shell, T> action) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Workbench.awaitedDialogs.add(which);
        long end = System.nanoTime() + timeout.toNanos();
        Display display = Display.getCurrent();
        Runnable[] poll = new Runnable[1];
        poll[0] = () -> {
            for (Shell s : display.getShells()) {
                if (s.isVisible() && which.test(s)) {
                    try {
                        result.complete(action.apply(s));
                    } catch (Throwable t) {
                        result.completeExceptionally(t);
                        if (!s.isDisposed()) {
                            s.close();
                        }
                    } finally {
                        Workbench.awaitedDialogs.remove(which);
                    }
                    return;
                }
            }
            if (System.nanoTime() > end) {
                Workbench.awaitedDialogs.remove(which);
                result.completeExceptionally(new AssertionError(what + " did not open within " + timeout.toSeconds() + " s"));
            } else {
                display.timerExec(POLL_MS, poll[0]);
            }
        };
        display.timerExec(POLL_MS, poll[0]);
        return result;
    }

    /** A shell's title is {@code title}. */
    static Predicate<Shell> titled(String title) {
        return s -> title.equals(s.getText());
    }

    /** Waits (running the UI) for {@code driven} and answers its result, rethrowing its failure. */
    static <T> T await(String what, Duration timeout, CompletableFuture<T> driven) {
        Workbench.waitUntil(what, timeout, driven::isDone);
        try {
            return driven.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof AssertionError a) {
                throw a;
            }
            throw new AssertionError(what + ": " + e.getCause(), e.getCause());
        }
    }

    /** Presses the button labelled {@code label} (mnemonics ignored) under {@code root}, as a click does. */
    static void press(Composite root, String label) {
        Button b = button(root, label);
        if (!b.isEnabled()) {
            throw new AssertionError("the button " + label + " is disabled");
        }
        b.notifyListeners(SWT.Selection, new Event());
    }

    static Button button(Composite root, String label) {
        for (Button b : all(root, Button.class)) {
            if (b.getText().replace("&", "").equals(label)) {
                return b;
            }
        }
        throw new AssertionError("no button " + label + " in " + root);
    }

    /** Every visible control of {@code type} under {@code root}, depth first. */
    static <T extends Control> List<T> all(Composite root, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (Control c : root.getChildren()) {
            if (type.isInstance(c) && c.isVisible()) {
                out.add(type.cast(c));
            }
            if (c instanceof Composite comp && comp.isVisible()) {
                out.addAll(all(comp, type));
            }
        }
        return out;
    }

    /** The texts a user reads in a dialog: its labels and read-only texts, one a line. */
    static String texts(Composite root) {
        StringBuilder b = new StringBuilder();
        for (Control c : all(root, Control.class)) {
            String t = c instanceof Label l ? l.getText() : c instanceof Text x ? x.getText() : null;
            if (t != null && !t.isBlank()) {
                b.append(t.strip()).append('\n');
            }
        }
        return b.toString();
    }

    /** The control of {@code type} that follows, among its siblings, the button or label whose text starts with {@code label}. */
    static <T extends Control> T after(Composite root, String label, Class<T> type) {
        for (Control c : all(root, Control.class)) {
            String t = c instanceof Button b ? b.getText() : c instanceof Label l ? l.getText() : null;
            if (t != null && t.replace("&", "").startsWith(label)) {
                Control[] siblings = c.getParent().getChildren();
                for (int i = List.of(siblings).indexOf(c) + 1; i < siblings.length; i++) {
                    if (type.isInstance(siblings[i])) {
                        return type.cast(siblings[i]);
                    }
                }
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " after \"" + label + "\"");
    }
}
