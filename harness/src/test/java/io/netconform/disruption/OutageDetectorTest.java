package io.netconform.disruption;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Outage intervals from scripted prober output: the network is scripted here, the judging is the code's. */
class OutageDetectorTest {

    static final long T0 = 1_800_000_000_000_000L;
    static final long I = 200_000;

    final List<Outage> opened = new ArrayList<>();
    final List<Outage> closed = new ArrayList<>();

    ProberFeed feed(Target... targets) {
        ProberFeed feed = new ProberFeed(List.of(targets), opened::add, closed::add);
        feed.accept("ncw start " + T0 + " " + I + " 1");
        return feed;
    }

    static Target tcp() {
        return new Target("t1", "pod n1 → pod n2 (cross node)", Check.TCP, "10.244.1.5", 8080, "watch-n1");
    }

    static Target reused() {
        return new Target("t2", "pod n1 → pod n2 (cross node)", Check.TCP_REUSED, "10.244.1.5", 8080, "watch-n1");
    }

    static String ok(String id, long seq) {
        return "ncw s " + id + " " + seq + " " + (T0 + seq * I + 300) + " 0 1200 ";
    }

    static String timeout(String id, long seq) {
        return "ncw s " + id + " " + seq + " " + (T0 + seq * I + 300) + " 1 1001000 2026/12/02 socat[1] E connecting to "
                + "AF=2 10.244.1.5:8080: Connection timed out";
    }

    static String echo(String id, long seq, long latencyUs) {
        return "ncw s " + id + " " + seq + " " + (T0 + seq * I + 100) + " 0 " + latencyUs + " echo";
    }

    @Test
    void anOutageRunsFromTheFirstFailedSampleToTheNextSuccessfulOne() {
        ProberFeed feed = feed(tcp());
        for (long s = 0; s < 10; s++) {
            feed.accept(ok("t1", s));
        }
        for (long s = 10; s < 35; s++) {   // 25 samples = 5 s down
            feed.accept(timeout("t1", s));
        }
        for (long s = 35; s < 50; s++) {
            feed.accept(ok("t1", s));
        }
        PathDisruption p = feed.finish().get(0);
        assertThat(p.outages()).singleElement().satisfies(o -> {
            assertThat(o.seconds()).isCloseTo(5.0, within(1e-6));
            assertThat(o.failure()).isEqualTo(Failure.TIMEOUT);
            assertThat(o.failedSamples()).isEqualTo(25);
            assertThat(o.ongoing()).isFalse();
        });
        assertThat(p.samples()).isEqualTo(50);
        assertThat(p.lossPercent()).isCloseTo(50.0, within(1e-9));
        assertThat(opened).hasSize(1);
        assertThat(closed).hasSize(1);
    }

    @Test
    void samplesArrivingOutOfOrderAndTwiceAreJudgedOnceInSequence() {
        ProberFeed feed = feed(tcp());
        feed.accept(ok("t1", 0));
        feed.accept(ok("t1", 2));   // 1 times out and reports after 2..6
        feed.accept(ok("t1", 3));
        feed.accept(timeout("t1", 1));
        feed.accept(ok("t1", 3));   // replayed by a resumed log stream
        feed.accept(timeout("t1", 1));
        feed.accept(ok("t1", 4));
        PathDisruption p = feed.finish().get(0);
        assertThat(p.samples()).isEqualTo(5);
        assertThat(p.failed()).isEqualTo(1);
        assertThat(p.outages()).singleElement().satisfies(o -> assertThat(o.seconds()).isCloseTo(0.2, within(1e-6)));
    }

    @Test
    void failuresBeforeTheFirstSuccessAreWarmUpAndANeverWorkingPathSaysSo() {
        ProberFeed feed = feed(tcp());
        feed.accept(timeout("t1", 0));
        feed.accept(timeout("t1", 1));
        feed.accept(ok("t1", 2));
        assertThat(feed.finish().get(0)).satisfies(p -> {
            assertThat(p.outages()).isEmpty();
            assertThat(p.warmup()).isEqualTo(2);
            assertThat(p.neverUp()).isNull();
        });

        ProberFeed never = feed(tcp());
        never.accept(timeout("t1", 0));
        assertThat(never.finish().get(0).neverUp()).contains("never succeeded in 1 samples").contains("TIMEOUT");
    }

    @Test
    void dueTimesTheProberSkippedAreNotSampledNotDown() {
        ProberFeed feed = feed(tcp());
        feed.accept(ok("t1", 0));
        feed.accept(ok("t1", 5));   // 1..4 skipped: the pod was starved
        feed.accept("ncw h " + (T0 + 5 * I + OutageDetector.LATE_US + 1_000_001));
        PathDisruption p = feed.finish().get(0);
        assertThat(p.outages()).isEmpty();
        assertThat(p.notSampled()).isEqualTo(4);
        assertThat(p.samples()).isEqualTo(2);
        assertThat(p.blindSeconds()).as("due times 1..4 were not observed").isCloseTo(0.8, within(0.01));
    }

    @Test
    void aProberNotHeardFromUntilTheEndIsUnobservedNotUp() {
        // the lab: a log stream went silent 16 s into the watch, and every path read "ok" for the 390 s after
        ProberFeed feed = feed(tcp());
        for (long seq = 0; seq < 10; seq++) {
            feed.accept(ok("t1", seq));
        }
        long end = T0 + 60_000_000L;
        PathDisruption p = feed.finish(OutageDetector.instant(end)).get(0);
        assertThat(p.outages()).isEmpty();
        // unobserved from the 11th due time until the end, less what may legitimately still be in flight
        assertThat(p.blindSeconds()).isCloseTo(60 - 2.0 - 1 - OutageDetector.LATE_US / 1e6, within(0.01));
        assertThat(p.blind().from()).isEqualTo(OutageDetector.instant(T0 + 10 * I));
        assertThat(p.passed(java.time.Duration.ofSeconds(30))).isFalse();
        assertThat(p.passed(java.time.Duration.ofSeconds(60))).isTrue();
    }

    @Test
    void aPathHeardFromToTheEndHasNoUnobservedStretch() {
        ProberFeed feed = feed(tcp());
        for (long seq = 0; seq < 50; seq++) {
            feed.accept(ok("t1", seq));
        }
        PathDisruption p = feed.finish(OutageDetector.instant(T0 + 50 * I + 500_000)).get(0);
        assertThat(p.blind()).isNull();
        assertThat(p.passed(java.time.Duration.ofSeconds(1))).isTrue();
    }

    @Test
    void anOutageStillOpenAtTheEndIsReportedAsOngoing() {
        ProberFeed feed = feed(tcp());
        feed.accept(ok("t1", 0));
        feed.accept(timeout("t1", 1));
        feed.accept(timeout("t1", 2));
        PathDisruption p = feed.finish().get(0);
        assertThat(p.outages()).singleElement().satisfies(o -> {
            assertThat(o.ongoing()).isTrue();
            assertThat(o.seconds()).isCloseTo(0.4, within(1e-6));
        });
    }

    @Test
    void twoOutagesSeparatedByOneGoodSampleStayTwo() {
        ProberFeed feed = feed(tcp());
        feed.accept(ok("t1", 0));
        feed.accept(timeout("t1", 1));
        feed.accept(ok("t1", 2));
        feed.accept(timeout("t1", 3));
        feed.accept(timeout("t1", 4));
        feed.accept(ok("t1", 5));
        PathDisruption p = feed.finish().get(0);
        assertThat(p.outages()).extracting(Outage::failedSamples).containsExactly(1, 2);
        assertThat(p.longestOutageSeconds()).isCloseTo(0.4, within(1e-6));
        assertThat(p.downtimeSeconds()).isCloseTo(0.6, within(1e-6));
    }

    @Test
    void aLongLivedConnectionThatStallsIsDownUntilAnEchoComesBackInTime() {
        ProberFeed feed = feed(reused());
        feed.accept("ncw e t2 " + (T0 - 50) + " open first-seq=1");
        for (long s = 1; s <= 10; s++) {
            feed.accept(echo("t2", s, 800));
        }
        // 11..25 are held up by retransmissions; they come back together once the path is back
        feed.accept("ncw h " + (T0 + 20 * I));
        for (long s = 11; s <= 25; s++) {
            feed.accept(echo("t2", s, (26 - s) * I + 3_000_000));
        }
        feed.accept(echo("t2", 26, 900));
        PathDisruption p = feed.finish().get(0);
        assertThat(p.outages()).singleElement().satisfies(o -> {
            assertThat(o.failure()).isEqualTo(Failure.STALL);
            // the first held-up echo counts from its due time: 0.1 ms before it was sent
            assertThat(o.seconds()).isCloseTo(15 * 0.2, within(0.001));
        });
    }

    @Test
    void aResetLongLivedConnectionIsDownUntilTheNextConnectionEchoes() {
        ProberFeed feed = feed(reused());
        for (long s = 1; s <= 5; s++) {
            feed.accept(echo("t2", s, 500));
        }
        feed.accept("ncw e t2 " + (T0 + 5 * I + 150_000) + " closed 2026/12/02 socat[9] E read(5, 0x1, 8192): "
                + "Connection reset by peer");
        feed.accept("ncw e t2 " + (T0 + 6 * I + 160_000) + " open first-seq=7");
        // 6 was never sent on either connection; 7 and 8 went out while the server was still gone
        feed.accept("ncw e t2 " + (T0 + 8 * I + 300_000) + " closed 2026/12/02 socat[10] E connect(5, AF=2 "
                + "10.244.1.5:8080, 16): Connection refused");
        feed.accept("ncw e t2 " + (T0 + 9 * I + 310_000) + " open first-seq=10");
        feed.accept(echo("t2", 10, 700));
        PathDisruption p = feed.finish().get(0);
        assertThat(p.outages()).singleElement().satisfies(o -> {
            assertThat(o.failure()).isEqualTo(Failure.RESET);
            assertThat(o.detail()).contains("Connection reset by peer");
            assertThat(o.failedSamples()).isEqualTo(4);
            assertThat(o.seconds()).isCloseTo(4 * 0.2, within(0.001));
        });
    }

    @Test
    void linesThatAreNotTheProbersAreCountedNotGuessedAt() {
        ProberFeed feed = feed(tcp());
        assertThat(feed.accept("bash: warning: something")).isEmpty();
        assertThat(feed.accept("ncw s t1 notanumber 1 0 1 x")).isEmpty();
        assertThat(feed.accept("ncw s t1 3 17")).isEmpty();
        assertThat(feed.unparsed()).isEqualTo(3);
    }
}
