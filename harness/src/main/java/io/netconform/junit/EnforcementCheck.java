package io.netconform.junit;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.netconform.exec.PodRef;
import io.netconform.policy.Port;
import io.netconform.policy.Topology;
import io.netconform.probe.Probe;
import io.netconform.probe.ProbeRequest;
import io.netconform.probe.ProbeResult;
import io.netconform.probe.Verdict;
import io.netconform.probe.Verification;
import io.netconform.report.BrokenCheck;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Decides once per run whether the cluster enforces NetworkPolicy, so that a CNI without a policy engine (RKE2's
 * Flannel, a plain bridge) is reported once in plain words instead of as dozens of wrong pairs.
 *
 * <p>When the CNI profile already knows (Calico, Cilium, Canal enforce; RKE2 Flannel does not) that is the answer.
 * When it does not, the cluster is asked: a default-deny ingress policy in front of a server that a client could
 * reach a moment earlier; still reachable after the converge timeout means not enforced.
 */
public final class EnforcementCheck {

    /** The outcome, with a reason fit to show a person. */
    public record Decision(boolean enforced, String reason) {
    }

    private static final Port PORT = Port.tcp(8080);
    static final Duration MIN_DECISION_WAIT = Duration.ofSeconds(30);
    private final Run run;
    private Decision decision;

    EnforcementCheck(Run run) {
        this.run = run;
    }

    public synchronized Decision decide() {
        if (decision == null) {
            decision = switch (run.cni().networkPolicy().enforcement()) {
                case ENFORCED -> new Decision(true, run.cni().networkPolicy().reason());
                case NOT_ENFORCED -> new Decision(false, "this CNI does not enforce NetworkPolicy ("
                        + run.cni().name() + ": " + run.cni().networkPolicy().reason() + ")");
                case UNKNOWN -> observe();
            };
            run.say((decision.enforced() ? "NetworkPolicy: enforced — " : "NetworkPolicy: ") + decision.reason()
                    + (decision.enforced() ? "" : "; the policy suites are reported as not supported by this CNI"
                    + (run.config().requirePolicy() ? " and fail (--require-policy)" : "")));
        }
        return decision;
    }

    /**
     * How long the check waits for the drop before it says "not enforced": at least 30 s, whatever --converge-timeout
     * says. A busy enforcer (a polling one on a loaded node, a Calico Felix catching up after many pod changes) can take
     * longer than the per-case timeout; calling it "not enforced" would then skip every policy case of the run as "not
     * supported", when the truth is "enforced, slowly". Only CNIs without enforcement pay the wait, once per run.
     */
    static Duration decisionDeadline(Duration convergeTimeout) {
        return convergeTimeout.compareTo(MIN_DECISION_WAIT) >= 0 ? convergeTimeout : MIN_DECISION_WAIT;
    }

    private Decision observe() {
        try (Scenario probe = new Scenario(run, "policy-enforcement-check")) {
            probe.deploy(Topology.of("enforce/server", "enforce/client").serving(PORT));
            PodRef client = probe.pod("enforce/client");
            String ip = probe.topology().pod("enforce/server").ips().get(0);
            ProbeRequest request = new ProbeRequest("client->server", client, Probe.port(ip, PORT, run.config().probeTimeout()),
                    "enforce/server");
            ProbeResult before = probe.prober().run(List.of(request)).get(request.key());
            if (before.verdict() != Verdict.ALLOWED) {
                throw probe.broken(BrokenCheck.of("cannot tell whether NetworkPolicy is enforced: "
                        + "without any policy, client -> server on " + PORT + " was " + before.verdict() + " ("
                        + before.detail() + ")").reproduce(before.reproduce()), List.of(client));
            }
            probe.apply(new NetworkPolicyBuilder().withNewMetadata().withName("default-deny-ingress")
                    .withNamespace("enforce").endMetadata()
                    .withNewSpec().withNewPodSelector().endPodSelector().withPolicyTypes("Ingress").endSpec().build());
            Duration patience = decisionDeadline(run.config().convergeTimeout());
            Verification v = probe.prober().verify(List.of(request), Map.of(request.key(), false), patience);
            if (!v.errors().isEmpty()) {
                BrokenCheck broken = BrokenCheck.of("cannot tell whether NetworkPolicy is enforced: the probe could not observe");
                v.forEachFailure(broken::item);
                throw probe.broken(broken, List.of(client));
            }
            if (v.converged()) {
                Duration after = v.convergedAfter().orElseThrow();
                return new Decision(true, "observed: a default-deny ingress policy blocked " + PORT + " after "
                        + after.toMillis() + " ms (" + run.cni().name() + ")"
                        + (after.compareTo(run.config().convergeTimeout()) > 0 ? "; that is slower than --converge-timeout "
                        + run.config().convergeTimeout().toSeconds() + " s, so policy cases may fail on convergence" : ""));
            }
            return new Decision(false, "this CNI does not enforce NetworkPolicy: a default-deny ingress policy still let "
                    + PORT + " through after " + patience.toSeconds() + " s (CNI "
                    + run.cni().name() + "; reproduce: " + request.reproduce() + ")");
        }
    }
}
