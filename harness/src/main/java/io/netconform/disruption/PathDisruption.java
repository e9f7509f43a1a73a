package io.netconform.disruption;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What one target went through during a watch.
 *
 * @param samples    samples judged after the target first worked
 * @param failed     of those, how many failed
 * @param notSampled due times the prober could not keep (CPU starvation), neither up nor down
 * @param warmup     failed samples before the target first worked (left out of everything else)
 * @param neverUp    why the target never worked, or null
 * @param blind      the longest stretch of the watch in which this target was not observed at all (due times not
 *                   sampled, or nothing heard from its prober: a starved pod, a stalled log stream), or null
 */
public record PathDisruption(Target target, long samples, long failed, long notSampled, int warmup,
                             Instant from, Instant to, List<Outage> outages, String neverUp, Blind blind) {

    /** A stretch of the watch with no observation of the target: an outage could hide in it. */
    public record Blind(Instant from, double seconds) {
    }

    public double blindSeconds() {
        return blind == null ? 0 : blind.seconds();
    }

    public double lossPercent() {
        return samples == 0 ? 0 : 100.0 * failed / samples;
    }

    public double downtimeSeconds() {
        return outages.stream().mapToDouble(Outage::seconds).sum();
    }

    public double longestOutageSeconds() {
        return outages.stream().mapToDouble(Outage::seconds).max().orElse(0);
    }

    /** Measured time, first sample to the end of the last. */
    public Duration measured() {
        return from == null || to == null ? Duration.ZERO : Duration.between(from, to);
    }

    /**
     * Passed when it worked at all, no outage was longer than {@code maxOutage}, and the watch never lost sight of it
     * for longer than that either: a path nobody observed for a minute is not "up" for that minute.
     */
    public boolean passed(Duration maxOutage) {
        return neverUp == null && !tooLong(maxOutage) && !unobserved(maxOutage);
    }

    /** An outage longer than {@code maxOutage}. */
    public boolean tooLong(Duration maxOutage) {
        return longestOutageSeconds() > maxOutage.toNanos() / 1e9;
    }

    /** Not observed at all for longer than {@code maxOutage}. */
    public boolean unobserved(Duration maxOutage) {
        return blindSeconds() > maxOutage.toNanos() / 1e9;
    }
}
