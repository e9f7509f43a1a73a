package io.netconform.bench;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One metric measured on one path: either statistics over the kept samples, or the reason the
 * measurement failed. A failed figure has no value at all, so it can never be read as "zero throughput".
 *
 * @param samples   the samples kept after warm-up, in the metric's unit, in measurement order
 * @param warmup    how many samples were measured and discarded before {@code samples}
 * @param reproduce the command that produced the samples, as a {@code kubectl exec} line
 */
public record Figure(Metric metric, Stats stats, List<Double> samples, int warmup, String error, String reproduce) {

    public Figure {
        Objects.requireNonNull(metric, "metric");
        samples = samples == null ? List.of() : List.copyOf(samples);
        if ((stats == null) == (error == null)) {
            throw new IllegalArgumentException("a figure has either statistics or an error, not both or neither: "
                    + metric + " stats=" + stats + " error=" + error);
        }
    }

    public static Figure measured(Metric metric, double[] samples, int warmup, double wideThreshold, String reproduce) {
        double[] kept = Stats.discardWarmup(samples, warmup);
        return new Figure(metric, Stats.of(kept, wideThreshold),
                Arrays.stream(kept).boxed().toList(), warmup, null, reproduce);
    }

    public static Figure failed(Metric metric, String error, String reproduce) {
        return new Figure(metric, null, List.of(), 0, error, reproduce);
    }

    @JsonIgnore
    public boolean ok() {
        return stats != null;
    }
}
