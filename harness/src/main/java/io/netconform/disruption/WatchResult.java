package io.netconform.disruption;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The outcome of one watch.
 *
 * @param notices       harness and API problems seen while watching (a lost log stream, a prober pod that
 *                      stopped): never counted as network downtime
 * @param streamResumes how often a log stream had to be resumed
 * @param unparsed      prober output lines that were not the prober's format
 */
public record WatchResult(Instant started, Instant finished, Duration interval, List<PathDisruption> paths,
                          List<String> notices, int streamResumes, int unparsed) {

    public boolean passed(Duration maxOutage) {
        return paths.stream().allMatch(p -> p.passed(maxOutage));
    }
}
