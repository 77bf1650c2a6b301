package dev.multitrace.cli.bench;

import java.util.ArrayList;
import java.util.List;

/** The measurements of one implementation on one workload, one per round (or per repetition). */
public final class Samples {

    private final List<Double> values = new ArrayList<>();

    public void add(double v) {
        values.add(v);
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    public int size() {
        return values.size();
    }

    public double median() {
        List<Double> s = sorted();
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    public double min() {
        return sorted().get(0);
    }

    public double max() {
        List<Double> s = sorted();
        return s.get(s.size() - 1);
    }

    private List<Double> sorted() {
        if (values.isEmpty()) {
            throw new IllegalStateException("no samples");
        }
        List<Double> s = new ArrayList<>(values);
        s.sort(null);
        return s;
    }
}
