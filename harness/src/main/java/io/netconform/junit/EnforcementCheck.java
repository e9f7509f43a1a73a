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

    private Decision observe() {
        try (Scenario probe = new Scenario(run, "policy-enforcement-check")) {
            probe.deploy(Topology.of("enforce/server", "enforce/client").serving(PORT));
            PodRef client = probe.pod("enforce/client");
            String ip = probe.topology().pod("enforce/server").ips().get(0);
            ProbeRequest request = new ProbeRequest("client->server", client, Probe.port(ip, PORT, run.config().probeTimeout()),
                    "enforce/server");
            ProbeResult before = probe.prober().run(List.of(request)).get(request.key());
            if (before.verdict() != Verdict.ALLOWED) {
                throw new BrokenCheck("cannot tell whether NetworkPolicy is enforced: "
                        + "without any policy, client -> server on " + PORT + " was " + before.verdict() + " ("
                        + before.detail() + ")\n  reproduce: " + before.reproduce());
            }
            probe.apply(new NetworkPolicyBuilder().withNewMetadata().withName("default-deny-ingress")
                    .withNamespace("enforce").endMetadata()
                    .withNewSpec().withNewPodSelector().endPodSelector().withPolicyTypes("Ingress").endSpec().build());
            Verification v = probe.prober().verify(List.of(request), Map.of(request.key(), false),
                    run.config().convergeTimeout());
            if (!v.errors().isEmpty()) {
                throw new BrokenCheck("cannot tell whether NetworkPolicy is enforced:\n"
                        + v.describeFailures());
            }
            if (v.converged()) {
                return new Decision(true, "observed: a default-deny ingress policy blocked " + PORT + " after "
                        + v.convergedAfter().orElseThrow().toMillis() + " ms (" + run.cni().name() + ")");
            }
            return new Decision(false, "this CNI does not enforce NetworkPolicy: a default-deny ingress policy still let "
                    + PORT + " through after " + run.config().convergeTimeout().toSeconds() + " s (CNI "
                    + run.cni().name() + "; reproduce: " + request.reproduce() + ")");
        }
    }
}
