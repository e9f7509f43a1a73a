package io.netconform.bench;

import java.util.Locale;

/** Number formatting shared by the console table and the comparison: enough digits to see a difference, no more. */
final class Numbers {

    private Numbers() {
    }

    static String format(double value) {
        if (Double.isNaN(value)) {
            return "?";
        }
        double abs = Math.abs(value);
        String pattern = abs >= 100 ? "%.0f" : abs >= 10 ? "%.1f" : abs >= 1 ? "%.2f" : abs == 0 ? "%.0f" : "%.3f";
        return String.format(Locale.ROOT, pattern, value);
    }

    /** {@code mean ±half} or {@code mean (n=1)} when there is no interval. */
    static String meanAndInterval(Stats s) {
        return s.n() < 2 ? format(s.mean()) + " (n=1)" : format(s.mean()) + " ±" + format(s.halfWidth());
    }
}
