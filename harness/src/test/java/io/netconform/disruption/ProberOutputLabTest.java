package io.netconform.disruption;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real prober output, captured once from a watch on the lab (reports/watch/prober-output/watch-n1.log of a 45 s
 * watch, nothing injected, on a machine at a load of ~90 on 2 cores): every line parses, each tool's success reads
 * as success, and the starvation shows as skipped due times, late echoes, and one UDP reply that socat (started 16 s
 * late) did not see within its 1 s.
 */
class ProberOutputLabTest {

    static final String[] CHECKS = {"icmp", "tcp", "udp", "tcp-reused", "icmp", "tcp", "udp", "tcp-reused", "http", "dns"};

    static List<String> lines() throws IOException {
        try (InputStream in = ProberOutputLabTest.class.getResourceAsStream("/disruption/lab-watch-n1.log")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    static List<Target> targets() {
        return java.util.stream.IntStream.range(0, CHECKS.length).mapToObj(i -> new Target("t" + i, "p" + i,
                java.util.Arrays.stream(Check.values()).filter(c -> c.scriptName().equals(CHECKS[i])).findFirst().orElseThrow(),
                "10.244.0.2", 8080, "watch-n1")).toList();
    }

    @Test
    void everyLineOfTheLabCaptureParses() throws IOException {
        List<String> lines = lines();
        assertThat(lines).hasSizeGreaterThan(300);
        assertThat(lines).allSatisfy(l -> assertThat(ProberLine.parse(l)).as(l).isPresent());
    }

    @Test
    void eachToolsSuccessOnTheLabReadsAsSuccess() throws IOException {
        Map<String, Check> byId = targets().stream().collect(Collectors.toMap(Target::id, Target::check));
        List<ProberLine.Sample> samples = lines().stream().map(ProberLine::parse).flatMap(Optional::stream)
                .filter(l -> l instanceof ProberLine.Sample).map(l -> (ProberLine.Sample) l)
                .filter(s -> byId.get(s.id()).connection() == Check.Connection.NEW).toList();
        assertThat(samples).extracting(ProberLine.Sample::id).contains("t0", "t1", "t2", "t8", "t9");
        List<ProberLine.Sample> failed = samples.stream().filter(s -> ProberLine.classify(byId.get(s.id()), s.rc(),
                s.latencyUs(), 1, s.detail()).isPresent()).toList();
        assertThat(failed).singleElement().satisfies(s -> {
            assertThat(s.id()).isEqualTo("t2");
            assertThat(s.detail()).isEqualTo("no echo: nothing within 1s");
            assertThat(ProberLine.classify(Check.UDP, s.rc(), s.latencyUs(), 1, s.detail())).contains(Failure.TIMEOUT);
        });
    }

    @Test
    void aStarvedPodSkipsDueTimesAndStallsItsLongLivedConnection() throws IOException {
        ProberFeed feed = new ProberFeed(targets(), o -> { }, o -> { });
        lines().forEach(feed::accept);
        List<PathDisruption> result = feed.finish();
        assertThat(feed.unparsed()).isZero();
        for (PathDisruption p : result) {
            if (p.target().check().connection() == Check.Connection.NEW) {
                // t2's one failure reported 16 s after its start: by then its due time had been judged "not sampled"
                assertThat(p.outages()).as(p.target().id()).isEmpty();
                assertThat(p.neverUp()).as(p.target().check().label()).isNull();
                assertThat(p.notSampled()).as("due times skipped by %s", p.target().check().label()).isPositive();
            }
        }
        // the same-node long-lived connection's echoes took 5-9 s on that machine: stalls, as they should read
        assertThat(result.get(3).outages()).isNotEmpty().allSatisfy(o -> assertThat(o.failure()).isEqualTo(Failure.STALL));
    }
}
