package io.netconform.cluster;

import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The cluster-scoped policies one run creates (ClusterNetworkPolicy, AdminNetworkPolicy,
 * BaselineAdminNetworkPolicy). They outlive namespaces — a leaked Admin Deny could break a cluster — so each carries
 * the run labels and an expiry like {@link RunNamespaces}' namespaces, is deleted when its test ends, on
 * {@link #close()}, and on Ctrl-C by a shutdown hook; {@link #gc} removes what a killed run left: expired ones, and
 * ones whose run has no namespace left (their subjects, restricted to the run's namespaces, select nothing then).
 */
public final class RunClusterPolicies implements AutoCloseable {

    /** The kinds, as the API serves them. */
    public record Kind(String apiVersion, String kind, String plural) {
        public String group() {
            return apiVersion.substring(0, apiVersion.indexOf('/'));
        }

        @Override
        public String toString() {
            return kind + " (" + apiVersion + ")";
        }
    }

    public static final Kind CLUSTER_NETWORK_POLICY = new Kind("policy.networking.k8s.io/v1alpha2",
            "ClusterNetworkPolicy", "clusternetworkpolicies");
    public static final Kind ADMIN_NETWORK_POLICY = new Kind("policy.networking.k8s.io/v1alpha1",
            "AdminNetworkPolicy", "adminnetworkpolicies");
    public static final Kind BASELINE_ADMIN_NETWORK_POLICY = new Kind("policy.networking.k8s.io/v1alpha1",
            "BaselineAdminNetworkPolicy", "baselineadminnetworkpolicies");
    public static final List<Kind> KINDS = List.of(CLUSTER_NETWORK_POLICY, ADMIN_NETWORK_POLICY,
            BASELINE_ADMIN_NETWORK_POLICY);

    private static final Logger LOG = LoggerFactory.getLogger(RunClusterPolicies.class);
    private static final int MAX_NAME = 253;

    private final KubernetesClient client;
    private final RunId run;
    private final Duration ttl;
    // copy-on-write: the shutdown hook reads it without the lock close() may hold
    private final List<GenericKubernetesResource> live = new CopyOnWriteArrayList<>();
    private final ShutdownCleanup shutdownCleanup;

    public RunClusterPolicies(KubernetesClient client, RunId run, Duration ttl) {
        this.client = Objects.requireNonNull(client, "client");
        this.run = Objects.requireNonNull(run, "run");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.shutdownCleanup = new ShutdownCleanup("netconform-cluster-policies-" + run, this::deleteOnShutdown);
    }

    public static Kind kind(String apiVersion, String kind) {
        return KINDS.stream().filter(k -> k.apiVersion().equals(apiVersion) && k.kind().equals(kind)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(kind + " (" + apiVersion + ") is not a cluster policy kind "
                        + KINDS));
    }

    /**
     * Whether the API server serves the kind (discovery; needs no RBAC beyond the default discovery role): without
     * the CRD the group version is absent.
     */
    public static boolean served(KubernetesClient client, Kind kind) {
        try {
            APIResourceList resources = client.getApiResources(kind.apiVersion());
            return resources != null && resources.getResources().stream()
                    .anyMatch(r -> kind.plural().equals(r.getName()) && kind.kind().equals(r.getKind()));
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    /** Why {@code kind} cannot be tested here (discovery), or empty when the API server serves it. */
    public static java.util.Optional<String> notServed(KubernetesClient client, Kind kind) {
        if (served(client, kind)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(notServed(kind, !kind.equals(CLUSTER_NETWORK_POLICY) && served(client, CLUSTER_NETWORK_POLICY)));
    }

    /**
     * Why a kind the API server does not serve cannot be tested. A cluster serving only the v1alpha2
     * ClusterNetworkPolicy (the release that replaced them) is told apart from one without the API at all.
     *
     * @param clusterNetworkPolicyServed whether the API server serves ClusterNetworkPolicy v1alpha2
     */
    public static String notServed(Kind kind, boolean clusterNetworkPolicyServed) {
        if (!kind.equals(CLUSTER_NETWORK_POLICY) && clusterNetworkPolicyServed) {
            return "not supported by this CNI: " + kind.kind() + " API (" + kind.apiVersion() + ") not installed; this"
                    + " cluster serves ClusterNetworkPolicy v1alpha2 (" + CLUSTER_NETWORK_POLICY.apiVersion() + "), which"
                    + " replaces it";
        }
        return "not supported by this CNI: ClusterNetworkPolicy API not installed (the API server does not serve " + kind
                + "; a CNI that implements it installs the CRDs of kubernetes-sigs/network-policy-api)";
    }

    /** The name a policy gets on the cluster: the run id first, so runs never collide (BANP: always "default"). */
    public String clusterName(Kind kind, String name) {
        if (kind.equals(BASELINE_ADMIN_NETWORK_POLICY)) {
            return name;
        }
        String full = run.value() + "-" + name;
        return full.length() <= MAX_NAME ? full : full.substring(0, MAX_NAME).replaceAll("[-.]+$", "");
    }

    /**
     * Creates the policy (already named by {@link #clusterName} and with subjects the caller restricted to this
     * run's namespaces), labelled with the run and {@code testName} and annotated with the expiry.
     */
    public synchronized GenericKubernetesResource create(GenericKubernetesResource policy, String testName) {
        Kind kind = kind(policy.getApiVersion(), policy.getKind());
        Map<String, String> labels = new LinkedHashMap<>(policy.getMetadata().getLabels() == null ? Map.of()
                : policy.getMetadata().getLabels());
        labels.put(RunNamespaces.MANAGED_BY, RunNamespaces.MANAGER);
        labels.put(RunNamespaces.RUN, run.value());
        labels.put(RunNamespaces.TEST, RunNamespaces.labelValue(testName));
        policy.getMetadata().setLabels(labels);
        Map<String, String> annotations = new LinkedHashMap<>(policy.getMetadata().getAnnotations() == null ? Map.of()
                : policy.getMetadata().getAnnotations());
        annotations.put(RunNamespaces.EXPIRES, Instant.now().plus(ttl).toString());
        policy.getMetadata().setAnnotations(annotations);
        policy.getMetadata().setResourceVersion(null);
        shutdownCleanup.register();
        GenericKubernetesResource created;
        try {
            created = client.genericKubernetesResources(kind.apiVersion(), kind.kind()).resource(policy).create();
        } catch (KubernetesClientException e) {
            throw new ClusterException("Could not create " + kind.kind() + " " + policy.getMetadata().getName()
                    + " (test " + testName + "): HTTP " + e.getCode() + " " + Secrets.rootMessage(e), e);
        }
        live.add(created);
        return created;
    }

    /** The policies created and not yet deleted, as {@code Kind/name}. */
    public List<String> names() {
        return live.stream().map(RunClusterPolicies::describe).toList();
    }

    /** Deletes one policy this run created (by its cluster name). */
    public synchronized void delete(String kind, String name) {
        GenericKubernetesResource policy = live.stream()
                .filter(p -> p.getKind().equals(kind) && p.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(kind + " " + name + " was not created by run " + run
                        + " or is already deleted; this run's: " + names()));
        deleteNow(policy);
        live.remove(policy);
    }

    @Override
    public synchronized void close() {
        shutdownCleanup.unregister();
        List<String> failed = new ArrayList<>();
        for (GenericKubernetesResource policy : List.copyOf(live)) {
            try {
                deleteNow(policy);
            } catch (KubernetesClientException e) {
                failed.add(describe(policy) + " (" + Secrets.rootMessage(e) + ")");
            }
            live.remove(policy);
        }
        if (!failed.isEmpty()) {
            LOG.warn("Could not delete cluster policies of run {}: {}. Their subjects select only this run's namespaces;"
                    + " `netconform gc` removes them.", run, failed);
        }
    }

    private void deleteNow(GenericKubernetesResource policy) {
        client.genericKubernetesResources(policy.getApiVersion(), policy.getKind())
                .withName(policy.getMetadata().getName()).delete();
    }

    /**
     * Deletes cluster policies managed by netconform (any run) that expired before {@code now}, or whose run has no
     * namespace left. Kinds the API server does not serve are skipped.
     *
     * @return {@code Kind/name} of what was deleted (or would be, when {@code dryRun})
     */
    public static List<String> gc(KubernetesClient client, Instant now, boolean dryRun) {
        Set<String> liveRuns = new java.util.HashSet<>();
        client.namespaces().withLabel(RunNamespaces.MANAGED_BY, RunNamespaces.MANAGER).list().getItems()
                .forEach(ns -> liveRuns.add(ns.getMetadata().getLabels().get(RunNamespaces.RUN)));
        List<String> collected = new ArrayList<>();
        for (Kind kind : KINDS) {
            List<GenericKubernetesResource> items;
            try {
                items = client.genericKubernetesResources(kind.apiVersion(), kind.kind())
                        .withLabel(RunNamespaces.MANAGED_BY, RunNamespaces.MANAGER).list().getItems();
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    continue; // the API is not installed: nothing of that kind can be left
                }
                throw e;
            }
            for (GenericKubernetesResource policy : items) {
                if (expired(policy, now) || !liveRuns.contains(label(policy, RunNamespaces.RUN))) {
                    if (!dryRun) {
                        client.genericKubernetesResources(kind.apiVersion(), kind.kind())
                                .withName(policy.getMetadata().getName()).delete();
                    }
                    collected.add(describe(policy));
                }
            }
        }
        return collected;
    }

    private static boolean expired(GenericKubernetesResource policy, Instant now) {
        String expires = policy.getMetadata().getAnnotations() == null ? null
                : policy.getMetadata().getAnnotations().get(RunNamespaces.EXPIRES);
        try {
            return expires != null && Instant.parse(expires).isBefore(now);
        } catch (DateTimeParseException e) {
            LOG.warn("gc: {} has {}='{}', not an ISO-8601 instant", describe(policy), RunNamespaces.EXPIRES, expires);
            return false;
        }
    }

    private static String label(GenericKubernetesResource policy, String key) {
        return policy.getMetadata().getLabels() == null ? null : policy.getMetadata().getLabels().get(key);
    }

    private static String describe(GenericKubernetesResource policy) {
        return policy.getKind() + "/" + policy.getMetadata().getName();
    }


    /** Ctrl-C: the cluster-scoped policies go first and are waited for briefly; they outlive namespaces otherwise. */
    void deleteOnShutdown() {
        List<GenericKubernetesResource> policies = List.copyOf(live);
        if (policies.isEmpty()) {
            return;
        }
        CompletableFuture<?>[] deletes = policies.stream()
                .map(p -> CompletableFuture.runAsync(() -> deleteNow(p)))
                .toArray(CompletableFuture[]::new);
        List<String> names = policies.stream().map(RunClusterPolicies::describe).toList();
        try {
            CompletableFuture.allOf(deletes).get(RunNamespaces.SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            live.removeAll(policies);
            System.err.println("netconform: interrupted; deleted cluster policies of run " + run + ": " + names);
        } catch (Exception e) {
            System.err.println("netconform: interrupted; could not confirm deletion of " + names + " (" + e
                    + "). `netconform gc` removes them.");
        }
    }
}
