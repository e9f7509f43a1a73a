package io.netconform.junit;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.netconform.cluster.TestPods;
import io.netconform.policy.IpFamily;
import io.netconform.probe.Probe;
import io.netconform.probe.ProbeResult;
import io.netconform.report.CheckFailure;
import io.netconform.report.FailureKind;
import org.opentest4j.TestAbortedException;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which {@link Capability capabilities} this run's cluster has, each found out once, when a test first needs it,
 * and remembered for the rest of the run. Each answer says why, so a skip can too.
 */
public final class Capabilities {

    /** Whether a capability is there, and in a person's words why (or why not). */
    public record Availability(boolean available, String reason) {
        static Availability yes(String reason) {
            return new Availability(true, reason);
        }

        static Availability no(String reason) {
            return new Availability(false, reason);
        }
    }

    private static final String CNP_GROUP = "policy.networking.k8s.io";
    private final Run run;
    private final Map<Capability, Availability> known = new EnumMap<>(Capability.class);

    Capabilities(Run run) {
        this.run = run;
    }

    /** The capability's availability, probed on the first call. */
    public synchronized Availability check(Capability capability) {
        Availability answer = known.get(capability);
        if (answer == null) {
            answer = probe(capability);
            known.put(capability, answer);
        }
        return answer;
    }

    /**
     * Returns when the capability is there; otherwise skips the calling test with the capability and the reason
     * ({@link TestAbortedException}), or fails it when the run demands it ({@code --require-policy}).
     */
    public void require(Capability capability) {
        Availability answer = check(capability);
        if (answer.available()) {
            return;
        }
        if (capability == Capability.NETWORK_POLICY) {
            if (run.config().requirePolicy()) {
                // the enforcement check's pods are gone by now: its reason (with its reproduce line) is the evidence
                throw CheckFailure.of(FailureKind.POLICY_NOT_ENFORCED, "--require-policy was given, but " + answer.reason());
            }
            // the reason itself was said once when it was decided; every skipped case only points at it
            throw new TestAbortedException("not supported by this CNI: NetworkPolicy is not enforced ("
                    + run.cni().name() + " CNI; see the start of the run)");
        }
        throw new TestAbortedException("requires " + capability.label() + ": " + answer.reason());
    }

    private Availability probe(Capability capability) {
        return switch (capability) {
            case SCTP -> sctp();
            case IPV6 -> run.fleet().families().contains(IpFamily.IPV6)
                    ? Availability.yes("pods have IPv6 addresses")
                    : Availability.no("pods have no IPv6 address (families: " + run.fleet().families() + ")");
            case TWO_NODES -> run.placement().multiNode()
                    ? Availability.yes(run.placement().describe())
                    : Availability.no("single-node cluster (" + run.placement().describe() + ")");
            case NETWORK_POLICY -> {
                EnforcementCheck.Decision decision = run.policyEnforcement().decide();
                yield new Availability(decision.enforced(), decision.reason());
            }
            case CLUSTER_NETWORK_POLICY -> clusterNetworkPolicy(run.cluster().client());
            case HOST_NETWORK -> admitted(run.cluster().client(), run.fleet().namespace(), "a hostNetwork pod",
                    hostNetworkPod());
            case NODE_PORT -> admitted(run.cluster().client(), run.fleet().namespace(), "a NodePort Service",
                    NODE_PORT_SERVICE);
            case MULTUS -> run.cni().multus().present()
                    ? Availability.yes(run.cni().multus().toString())
                    : Availability.no("Multus is not installed (" + run.cni().multus().source() + ")");
        };
    }

    /** One SCTP probe along the fleet's first path; only "the kernel/CNI has no SCTP" counts as missing. */
    private Availability sctp() {
        Fleet fleet = run.fleet();
        Fleet.Path path = fleet.paths(fleet.families().get(0)).get(0);
        ProbeResult result = Probe.port(path.toIp(), Fleet.SCTP, run.config().probeTimeout())
                .run(run.executor(), path.from().ref());
        if (Probe.protocolUnsupported(result)) {
            return Availability.no("SCTP is not available on this cluster: " + result.detail()
                    + "\n  reproduce: " + result.reproduce());
        }
        return Availability.yes("SCTP probe " + path.label() + ": " + result);
    }

    static Availability clusterNetworkPolicy(KubernetesClient client) {
        APIGroup group = client.getApiGroup(CNP_GROUP);
        List<String> versions = group == null ? List.of()
                : group.getVersions().stream().map(GroupVersionForDiscovery::getGroupVersion).toList();
        Optional<String> serving = versions.stream().filter(v -> client.getApiResources(v).getResources().stream()
                .anyMatch(r -> "ClusterNetworkPolicy".equals(r.getKind()))).findFirst();
        return serving.map(v -> Availability.yes("served as " + v))
                .orElseGet(() -> Availability.no("the API server serves no ClusterNetworkPolicy in " + CNP_GROUP
                        + (versions.isEmpty() ? "" : " (it serves " + versions + ")")
                        + "; install the network-policy-api CRDs"));
    }

    private Pod hostNetworkPod() {
        return TestPods.netshootClient(run.images(), "nc-capability-hostnetwork")
                .editSpec().withHostNetwork(true).endSpec().build();
    }

    private static final Service NODE_PORT_SERVICE = new ServiceBuilder().withNewMetadata().withName("nc-capability-nodeport").endMetadata()
                .withNewSpec().withType("NodePort").addToSelector("app", "nc-capability-nodeport")
                .addNewPort().withProtocol("TCP").withPort(80).endPort().endSpec().build();

    /**
     * Asks admission without creating anything: a server-side dry run (admission controllers and Pod Security run
     * on it) in the fleet's namespace. A refusal (403, 422) is a missing capability; anything else is a failure of
     * the run, not an answer.
     */
    static Availability admitted(KubernetesClient client, String ns, String what, HasMetadata object) {
        try {
            client.resource(object).inNamespace(ns).dryRun().create();
            return Availability.yes(what + " passes admission in " + ns + " (server-side dry run)");
        } catch (KubernetesClientException e) {
            if (e.getCode() == 403 || e.getCode() == 422 || e.getCode() == 400) {
                String message = e.getStatus() != null && e.getStatus().getMessage() != null
                        ? e.getStatus().getMessage() : e.getMessage();
                return Availability.no(what + " is refused in " + ns + ": " + message);
            }
            throw e;
        }
    }
}
