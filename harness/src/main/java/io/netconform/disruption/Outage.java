package io.netconform.disruption;

import java.time.Duration;
import java.time.Instant;

/**
 * One interval in which a target failed: from the start of its first failed sample to the start of the next
 * successful one (both timestamps taken in the pod). {@code ongoing} when the watch ended before it recovered.
 *
 * @param failure what the first failed sample said; {@code detail} is the tool's words
 */
public record Outage(Target target, Instant start, Instant end, Failure failure, String detail, int failedSamples,
                     boolean ongoing) {

    public double seconds() {
        return Duration.between(start, end).toNanos() / 1e9;
    }
}
