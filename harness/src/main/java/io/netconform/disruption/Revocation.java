package io.netconform.disruption;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * What a policy change did to a flow that was already open, told apart from what it did to new connections.
 * Whether an established connection survives a NetworkPolicy change is "implementation defined" in the Kubernetes
 * docs: conntrack-first datapaths (iptables with an ESTABLISHED accept, the lab's enforcer) keep it, others cut it.
 *
 * @param enforcedAt when new connections on the same path started failing (the pod's clock), null if they never did
 * @param stoppedAt  when the open flow stopped, null while it survived
 */
public record Revocation(Target flow, Instant enforcedAt, Instant stoppedAt, String detail) {

    /**
     * Judges an open flow against new connections on the same path measured by the same prober, so both times come
     * from one clock: new connections failing mark when the policy took effect.
     */
    public static Revocation judge(PathDisruption newConnections, PathDisruption openFlow) {
        Instant enforced = newConnections.outages().stream().filter(Outage::ongoing).map(Outage::start)
                .findFirst().orElse(null);
        if (enforced == null || openFlow.neverUp() != null) {
            return new Revocation(openFlow.target(), enforced, null, openFlow.neverUp());
        }
        // an outage of the open flow that began no earlier than one sample timeout before new connections failed,
        // and lasted to the end: a revoked flow stays cut. One that recovered was a stall (a busy node, a slow echo),
        // not the policy — on the loaded lab such stalls read as "TCP stops 3.2 s after" while the enforcer, which
        // accepts ESTABLISHED first, keeps every open flow.
        Instant from = enforced.minusSeconds(1);
        List<Outage> after = openFlow.outages().stream().filter(o -> !o.start().isBefore(from)).toList();
        String stalls = after.stream().filter(o -> !o.ongoing()).map(o -> String.format(java.util.Locale.ROOT,
                "%.1f s %s at %s", o.seconds(), o.failure(), o.start())).collect(java.util.stream.Collectors.joining(", "));
        return after.stream().filter(Outage::ongoing).min(Comparator.comparing(Outage::start))
                .map(o -> new Revocation(openFlow.target(), enforced, o.start(), o.failure() + " " + o.detail()))
                .orElse(new Revocation(openFlow.target(), enforced, null,
                        stalls.isEmpty() ? null : "recovered from " + stalls + " (not a revocation)"));
    }

    public boolean enforced() {
        return enforcedAt != null;
    }

    public boolean survived() {
        return enforced() && stoppedAt == null;
    }

    /** From "new connections fail" to "the open flow stops"; negative when the flow stopped first. */
    public Duration latency() {
        return stoppedAt == null || enforcedAt == null ? null : Duration.between(enforcedAt, stoppedAt);
    }

    /** e.g. {@code survives} or {@code stops 0.4 s after new connections}. */
    public String describe() {
        if (!enforced()) {
            return "not judged: new connections never failed";
        }
        return survived() ? "survives" + (detail == null ? "" : " (" + detail + ")") : String.format(java.util.Locale.ROOT, "stops %.1f s after new connections",
                latency().toMillis() / 1000.0);
    }
}
