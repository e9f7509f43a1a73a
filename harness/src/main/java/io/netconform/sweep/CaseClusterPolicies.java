package io.netconform.sweep;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.netconform.cluster.RunClusterPolicies;
import io.netconform.cluster.RunNamespaces;
import io.netconform.junit.RealNamespaces;
import io.netconform.policy.ClusterPolicy;
import org.awaitility.Awaitility;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ClusterNetworkPolicies of the sweep's cases on the cluster. They outlive namespaces and an Admin Deny left behind
 * would shape the next case (or, unconfined, the cluster), so each is created through the run's
 * {@link RunClusterPolicies} (named {@code <run id>-case-NNN-<name>}, run-labelled, with an expiry; deleted on
 * {@code Run.close} and by its shutdown hook too), with every namespace selector of its subject and peers ANDed with
 * the run's label; each case's are deleted when the case ends, and the next case starts only when the API lists none
 * of this run.
 */
final class CaseClusterPolicies {

    private final KubernetesClient client;
    private final RunClusterPolicies runPolicies;
    private final String runId;
    private final Map<String, String> realNamespaces;
    /** What this case created, by the policy's name in the case. */
    private final Map<String, GenericKubernetesResource> created = new LinkedHashMap<>();
    private boolean used;

    /** @param realNamespaces the sweep's logical namespace → real one ({@code kubernetes.io/metadata.name} selectors) */
    CaseClusterPolicies(KubernetesClient client, RunClusterPolicies runPolicies, String runId, Map<String, String> realNamespaces) {
        this.client = client;
        this.runPolicies = runPolicies;
        this.runId = runId;
        this.realNamespaces = Map.copyOf(realNamespaces);
    }

    /** Creates the case's cluster policies, confined to the run's namespaces. */
    void apply(SweepCase c) {
        for (ClusterPolicy policy : c.clusterPolicies()) {
            RunClusterPolicies.Kind kind = RunClusterPolicies.kind(policy.apiVersion(), policy.kind());
            GenericKubernetesResource onCluster = policy.resource();
            onCluster.getMetadata().setName(runPolicies.clusterName(kind, c.name() + "-" + policy.name()));
            new RealNamespaces(realNamespaces).confine(onCluster, runId);
            used = true;
            created.put(policy.name(), runPolicies.create(onCluster, "sweep-" + c.name()));
        }
    }

    /** Deletes what {@link #apply} created; each is tried, the first failure is thrown after the rest. */
    void delete() {
        RuntimeException first = null;
        for (String name : List.copyOf(created.keySet())) {
            try {
                delete(name);
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Deletes one of the case's policies, by its name in the case (the action {@code action-cnp-delete}). */
    void delete(String name) {
        GenericKubernetesResource p = created.get(name);
        if (p == null) {
            throw new IllegalArgumentException("ClusterNetworkPolicy '" + name + "' was not created for this case; created: "
                    + created.keySet());
        }
        runPolicies.delete(p.getKind(), p.getMetadata().getName());
        created.remove(name);
    }

    /**
     * Waits until the API lists no ClusterNetworkPolicy of this run: the previous case's are gone, not just asked to
     * go. Before the first case created any, there is nothing to ask (and the kind may not be served).
     */
    void awaitNone(Duration atMost) {
        if (!used) {
            return;
        }
        RunClusterPolicies.Kind kind = RunClusterPolicies.CLUSTER_NETWORK_POLICY;
        Awaitility.await("no " + kind + " labelled " + RunNamespaces.RUN + "=" + runId + " left")
                .atMost(atMost).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200))
                .until(() -> left().isEmpty());
    }

    /** Names of this run's ClusterNetworkPolicies the API still lists. */
    List<String> left() {
        RunClusterPolicies.Kind kind = RunClusterPolicies.CLUSTER_NETWORK_POLICY;
        return client.genericKubernetesResources(kind.apiVersion(), kind.kind()).withLabel(RunNamespaces.RUN, runId)
                .list().getItems().stream().map(p -> p.getMetadata().getName()).toList();
    }
}
