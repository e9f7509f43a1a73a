package io.netconform.disruption;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** One prober pod's output, line by line, handed to the detectors of that pod's targets. */
final class ProberFeed {

    private final Map<String, OutageDetector> detectors = new LinkedHashMap<>();
    private int unparsed;
    private String firstUnparsed;

    ProberFeed(List<Target> targets, Consumer<Outage> opened, Consumer<Outage> closed) {
        targets.forEach(t -> detectors.put(t.id(), new OutageDetector(t, opened, closed)));
    }

    /** @return the pod's clock at this line, or empty for a line that is not the prober's */
    Optional<Instant> accept(String line) {
        ProberLine parsed = ProberLine.parse(line).orElse(null);
        if (parsed == null) {
            unparsed++;
            if (firstUnparsed == null) {
                firstUnparsed = line.length() > 200 ? line.substring(0, 200) + "…" : line;
            }
            return Optional.empty();
        }
        long now;
        if (parsed instanceof ProberLine.Start s) {
            detectors.values().forEach(d -> d.start(s.t0Us(), s.intervalUs(), s.timeoutSeconds()));
            now = s.t0Us();
        } else if (parsed instanceof ProberLine.Sample s) {
            Optional.ofNullable(detectors.get(s.id())).ifPresent(d -> d.sample(s));
            now = s.startUs();
        } else if (parsed instanceof ProberLine.Event e) {
            Optional.ofNullable(detectors.get(e.id())).ifPresent(d -> d.event(e));
            now = e.nowUs();
        } else {
            now = ((ProberLine.Heartbeat) parsed).nowUs();
        }
        detectors.values().forEach(d -> d.clock(now));
        return Optional.of(OutageDetector.instant(now));
    }

    int unparsed() {
        return unparsed;
    }

    /** The first line that was not the prober's (a shell's or the API server's words), or null. */
    String firstUnparsed() {
        return firstUnparsed;
    }

    /** How many of this pod's targets have not worked yet (no sample at all, or only failures so far). */
    long notUpYet() {
        return detectors.values().stream().filter(d -> !d.everUp()).count();
    }

    List<PathDisruption> finish() {
        return detectors.values().stream().map(OutageDetector::finish).toList();
    }

    /** Ends at the watch's end: what the prober did not report by then counts as not observed. */
    List<PathDisruption> finish(Instant end) {
        long endUs = end.getEpochSecond() * 1_000_000L + end.getNano() / 1000;
        return detectors.values().stream().map(d -> d.finish(endUs)).toList();
    }
}
