package io.netconform.disruption;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Open flows judged against new connections on the same path, from scripted measurements. */
class RevocationTest {

    static final Instant T = Instant.parse("2026-12-02T06:00:00Z");
    static final Target NEW = new Target("tn", "app/client → app/server", Check.TCP, "10.244.1.9", 8080, "client");
    static final Target OPEN = new Target("to", "app/client → app/server", Check.TCP_REUSED, "10.244.1.9", 8080, "client");

    static PathDisruption measured(Target target, Outage... outages) {
        return new PathDisruption(target, 80, 0, 0, 0, T, T.plusSeconds(16), List.of(outages), null, null);
    }

    static Outage down(Target target, double fromS, boolean ongoing) {
        return new Outage(target, T.plusMillis((long) (fromS * 1000)), T.plusSeconds(16), Failure.TIMEOUT, "", 10, ongoing);
    }

    @Test
    void anOpenFlowThatKeepsEchoingSurvives() {
        Revocation r = Revocation.judge(measured(NEW, down(NEW, 5.3, true)), measured(OPEN));
        assertThat(r.enforced()).isTrue();
        assertThat(r.survived()).isTrue();
        assertThat(r.describe()).isEqualTo("survives");
    }

    @Test
    void anOpenFlowThatStopsIsTimedFromWhenNewConnectionsStopped() {
        Revocation r = Revocation.judge(measured(NEW, down(NEW, 5.2, true)), measured(OPEN, down(OPEN, 7.6, true)));
        assertThat(r.survived()).isFalse();
        assertThat(r.latency().toMillis()).isEqualTo(2400);
        assertThat(r.describe()).isEqualTo("stops 2.4 s after new connections");
    }

    @Test
    void aBlipOfTheOpenFlowLongBeforeTheChangeIsNotARevocation() {
        Revocation r = Revocation.judge(measured(NEW, down(NEW, 9.0, true)),
                measured(OPEN, new Outage(OPEN, T.plusSeconds(2), T.plusMillis(2400), Failure.STALL, "", 2, false)));
        assertThat(r.survived()).isTrue();
    }

    @Test
    void aStallOfTheOpenFlowAfterTheChangeThatRecoversIsNotARevocation() {
        // a revoked flow stays cut; one that echoes again after a second was slow, not denied
        Revocation r = Revocation.judge(measured(NEW, down(NEW, 5.2, true)),
                measured(OPEN, new Outage(OPEN, T.plusMillis(8400), T.plusMillis(9600), Failure.STALL, "", 6, false)));
        assertThat(r.survived()).isTrue();
        assertThat(r.detail()).contains("recovered from 1.2 s STALL");
    }

    @Test
    void newConnectionsThatNeverFailMeanTheChangeWasNotEnforced() {
        Revocation r = Revocation.judge(measured(NEW), measured(OPEN));
        assertThat(r.enforced()).isFalse();
        assertThat(r.survived()).isFalse();
        assertThat(r.describe()).startsWith("not judged");
    }
}
