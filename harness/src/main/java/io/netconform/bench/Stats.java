package io.netconform.bench;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Arrays;

/**
 * Summary statistics of one measured figure, with a 95 % confidence interval for its mean.
 *
 * <p>Percentiles use linear interpolation between closest ranks (Hyndman–Fan type 7, the default of
 * numpy, R and spreadsheet {@code PERCENTILE.INC}): for sorted samples x[0..n-1] and p in [0,1],
 * h = (n-1)·p and the value is x[⌊h⌋] + (h-⌊h⌋)·(x[⌊h⌋+1]-x[⌊h⌋]). With a handful of samples this
 * gives a p99 between the two largest values rather than pretending the largest one is the p99.
 *
 * <p>The standard deviation is the sample one (divisor n-1). The interval is mean ± t·s/√n with the
 * two-sided 95 % Student t value for n-1 degrees of freedom (1..30 from the table, 1.96 beyond):
 * benchmark runs have 3 to 20 repeats, where the normal 1.96 would give an interval that is too narrow.
 * With one sample the interval is unknown (NaN) and the figure counts as wide.
 *
 * <p>A figure is {@link #wide()} when the half-width of its interval exceeds {@code wideThreshold}
 * (a fraction of the mean, 0.10 by default): such a figure is flagged, not presented as fact.
 */
public record Stats(int n, double mean, double stddev, double min, double max,
                   double p50, double p90, double p99,
                   double ci95Low, double ci95High, double wideThreshold) {

    public static final double DEFAULT_WIDE_THRESHOLD = 0.10;

    /** Two-sided 95 % critical values of Student's t for 1..30 degrees of freedom. */
    private static final double[] T95 = {
            12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
            2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
            2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
    private static final double Z95 = 1.96;

    public static Stats of(double[] samples) {
        return of(samples, DEFAULT_WIDE_THRESHOLD);
    }

    public static Stats of(double[] samples, double wideThreshold) {
        if (samples == null || samples.length == 0) {
            throw new IllegalArgumentException("statistics need at least one sample, got none");
        }
        if (!(wideThreshold > 0)) {
            throw new IllegalArgumentException("wide threshold must be a positive fraction of the mean, got " + wideThreshold);
        }
        double[] x = samples.clone();
        for (double v : x) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("samples must be finite numbers, got " + v + " in " + Arrays.toString(samples));
            }
        }
        Arrays.sort(x);
        int n = x.length;
        double mean = Arrays.stream(x).sum() / n;
        double stddev = 0;
        double low = Double.NaN;
        double high = Double.NaN;
        if (n > 1) {
            double squares = 0;
            for (double v : x) {
                squares += (v - mean) * (v - mean);
            }
            stddev = Math.sqrt(squares / (n - 1));
            double half = tCritical95(n - 1) * stddev / Math.sqrt(n);
            low = mean - half;
            high = mean + half;
        }
        return new Stats(n, mean, stddev, x[0], x[n - 1],
                percentile(x, 0.50), percentile(x, 0.90), percentile(x, 0.99), low, high, wideThreshold);
    }

    /** Two-sided 95 % critical value: Student t up to 30 degrees of freedom, the normal 1.96 beyond. */
    public static double tCritical95(int degreesOfFreedom) {
        if (degreesOfFreedom < 1) {
            throw new IllegalArgumentException("degrees of freedom must be at least 1, got " + degreesOfFreedom);
        }
        return degreesOfFreedom <= T95.length ? T95[degreesOfFreedom - 1] : Z95;
    }

    /** Linear interpolation between closest ranks (type 7) on already sorted samples. */
    static double percentile(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        if (lo >= sorted.length - 1) {
            return sorted[sorted.length - 1];
        }
        return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
    }

    /**
     * Drops the first {@code warmup} samples: the first transfers of a run pay for ARP/neighbour
     * discovery, conntrack entries, TCP slow start and, on eBPF CNIs, map warm-up.
     */
    public static double[] discardWarmup(double[] samples, int warmup) {
        if (warmup < 0) {
            throw new IllegalArgumentException("warm-up count must be >= 0, got " + warmup);
        }
        if (warmup >= samples.length) {
            throw new IllegalArgumentException("discarding " + warmup + " warm-up samples leaves none of "
                    + samples.length + ": measure more repeats than warm-up rounds");
        }
        return Arrays.copyOfRange(samples, warmup, samples.length);
    }

    /** Half the width of the 95 % interval; NaN with a single sample. */
    @JsonIgnore
    public double halfWidth() {
        return (ci95High - ci95Low) / 2;
    }

    /** Half-width relative to the mean (0.05 = ±5 %); infinite for a zero mean with spread. */
    @JsonProperty("relativeHalfWidth")
    public double relativeHalfWidth() {
        if (n < 2) {
            return Double.NaN;
        }
        double half = halfWidth();
        if (half == 0) {
            return 0;
        }
        return mean == 0 ? Double.POSITIVE_INFINITY : half / Math.abs(mean);
    }

    /** True when the interval is too wide to present the mean as a fact (or unknown: one sample). */
    @JsonProperty("wide")
    public boolean wide() {
        double relative = relativeHalfWidth();
        return Double.isNaN(relative) || relative > wideThreshold;
    }

    /** True when the two 95 % intervals do not overlap: the difference is beyond measurement noise. */
    public boolean differsFrom(Stats other) {
        if (n < 2 || other.n < 2) {
            return false;
        }
        return ci95High < other.ci95Low || other.ci95High < ci95Low;
    }
}
