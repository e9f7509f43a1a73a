package io.netconform.report;

/**
 * How far a latency figure may move before the baseline diff calls it a shift: both the relative
 * change must exceed {@code relative} and the absolute change must reach {@code absoluteMs}, so
 * 0.1 ms → 0.2 ms (+100 %) on a fast path is not flagged as a regression.
 */
public record Tolerances(double relative, double absoluteMs) {

    public Tolerances {
        if (relative < 0 || absoluteMs < 0) {
            throw new IllegalArgumentException("tolerances must not be negative: relative " + relative
                    + ", absolute " + absoluteMs + " ms");
        }
    }

    public static Tolerances defaults() {
        return new Tolerances(0.20, 0.5);
    }

    public Tolerances withRelative(double relative) {
        return new Tolerances(relative, absoluteMs);
    }

    /** Parses {@code "20%"} or {@code "0.2"} into 0.2. */
    public static double parseRelative(String text) {
        String t = text.strip();
        try {
            double value = t.endsWith("%") ? Double.parseDouble(t.substring(0, t.length() - 1).strip()) / 100
                    : Double.parseDouble(t);
            if (value < 0 || Double.isNaN(value) || Double.isInfinite(value)) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a tolerance: \"" + text + "\"; expected e.g. 20% or 0.2");
        }
    }
}
