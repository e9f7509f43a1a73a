package io.netconform.bench;

import java.util.List;
import java.util.Optional;

/** Every figure measured on one path. */
public record PathResult(BenchPath path, List<Figure> figures) {

    public PathResult {
        figures = List.copyOf(figures);
    }

    public Optional<Figure> figure(Metric metric) {
        return figures.stream().filter(f -> f.metric() == metric).findFirst();
    }
}
