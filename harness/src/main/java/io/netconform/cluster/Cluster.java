package io.netconform.cluster;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The cluster a run talks to: a fabric8 client that has been checked to reach the API server with the permissions
 * the harness needs, plus what the cluster is (version, distribution). Closing it stops an embedded cluster.
 */
public final class Cluster implements AutoCloseable {

    private final KubernetesClient client;
    private final String description;
    private final Target target;
    private volatile String kubernetesVersion;
    private volatile String distribution;

    private Cluster(KubernetesClient client, String description, Target target, String version, String distribution) {
        this.client = client;
        this.description = description;
        this.target = target;
        this.kubernetesVersion = version;
        this.distribution = distribution;
    }

    /**
     * Resolves the target (see {@link TargetOptions}), builds the client, and checks before any test runs that the
     * API server answers within the connect timeout and that every permission in {@link Permissions#REQUIRED} is
     * granted.
     *
     * @throws ClusterException naming the file, context, server URL, HTTP status or missing permissions at fault
     */
    public static Cluster connect(TargetOptions options) {
        return connect(options, Environment.system());
    }

    static Cluster connect(TargetOptions options, Environment env) {
        Target target = Targets.resolve(options, env);
        KubernetesClient client = null;
        try {
            client = new KubernetesClientBuilder().withConfig(target.config()).build();
            String version = bounded(target, options.connectTimeout(), "answer GET /version",
                    client::getKubernetesVersion).getGitVersion();
            KubernetesClient checked = client;
            List<Permission> missing = bounded(target, options.connectTimeout(), "answer the permission checks",
                    () -> Permissions.missing(checked));
            if (!missing.isEmpty()) {
                throw new ClusterException(Permissions.explain(missing, target.description()));
            }
            String distribution = target.distribution() != null ? target.distribution()
                    : bounded(target, options.connectTimeout(), "list nodes", () -> detect(checked, version));
            // The preflight fails fast on a server that is not there; from here on the server is known to exist, and
            // a busy one (an upgrade, a loaded control plane) must not turn one dropped GET into a broken check.
            client.close();
            client = new KubernetesClientBuilder().withConfig(Targets.rideOutBusyServer(target.config())).build();
            return new Cluster(client, target.description(), target, version, distribution);
        } catch (RuntimeException e) {
            if (client != null) {
                client.close();
            }
            target.closeResources();
            throw e;
        }
    }

    /** Wraps an existing client, e.g. the mock server's, without any preflight. */
    public static Cluster of(KubernetesClient client, String description) {
        Objects.requireNonNull(client, "client");
        return new Cluster(client, Objects.requireNonNull(description, "description"), null, null, null);
    }

    public KubernetesClient client() {
        return client;
    }

    /** The API server URL without a trailing slash, e.g. {@code https://127.0.0.1:16443}. */
    public String serverUrl() {
        String url = client.getConfiguration().getMasterUrl();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** e.g. {@code kubeconfig /root/.kube/config, context k8slab, server https://127.0.0.1:16443}. */
    public String description() {
        return description;
    }

    /** The API server's gitVersion, e.g. {@code v1.20.2} or {@code v1.31.4+k3s1}. */
    public String kubernetesVersion() {
        if (kubernetesVersion == null) {
            kubernetesVersion = client.getKubernetesVersion().getGitVersion();
        }
        return kubernetesVersion;
    }

    /** {@code k3s}, {@code rke2}, {@code kind}, {@code eks}, {@code gke}, {@code aks}, ... or {@code kubernetes}. */
    public String distribution() {
        if (distribution == null) {
            distribution = detect(client, kubernetesVersion());
        }
        return distribution;
    }

    @Override
    public void close() {
        client.close();
        if (target != null) {
            target.closeResources();
        }
    }

    @Override
    public String toString() {
        return description;
    }

    private static String detect(KubernetesClient client, String gitVersion) {
        List<Node> nodes = client.nodes().list(new ListOptionsBuilder().withLimit(1L).build()).getItems();
        return distribution(gitVersion, nodes.isEmpty() ? null : nodes.get(0));
    }

    /** Distributions mark their builds in gitVersion; managed and Kind clusters show in the node's providerID. */
    static String distribution(String gitVersion, Node node) {
        String version = Objects.requireNonNullElse(gitVersion, "").toLowerCase(Locale.ROOT);
        for (String marker : List.of("k3s", "rke2", "k0s")) {
            if (version.contains("+" + marker)) {
                return marker;
            }
        }
        if (version.contains("-eks-")) {
            return "eks";
        }
        if (version.contains("-gke.")) {
            return "gke";
        }
        if (node == null) {
            return "kubernetes";
        }
        String provider = Objects.requireNonNullElse(node.getSpec() == null ? null : node.getSpec().getProviderID(), "");
        Map<String, String> providers = Map.of("kind://", "kind", "aws://", "eks", "gce://", "gke",
                "azure://", "aks");
        for (Map.Entry<String, String> entry : providers.entrySet()) {
            if (provider.startsWith(entry.getKey())) {
                return entry.getValue();
            }
        }
        Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
        if (labels.containsKey("minikube.k8s.io/name")) {
            return "minikube";
        }
        return "kubernetes";
    }

    /**
     * Runs one preflight step with a hard deadline: the client's own timeouts apply per attempt, and retries or a
     * black-holed address could otherwise stretch the wait far beyond what the user asked for.
     */
    private static <T> T bounded(Target target, Duration limit, String what, Callable<T> step) {
        FutureTask<T> task = new FutureTask<>(step);
        Thread thread = new Thread(task, "netconform-preflight");
        thread.setDaemon(true);
        thread.start();
        try {
            return task.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            task.cancel(true);
            throw new ClusterException("The Kubernetes API server at " + target.serverUrl() + " did not " + what
                    + " within " + limit.toSeconds() + " s (" + target.description() + "). Check that it is up and "
                    + "reachable from here, e.g. with `kubectl --kubeconfig … version`.");
        } catch (ExecutionException e) {
            throw explain(target, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("Interrupted while waiting for " + target.serverUrl() + " to " + what);
        }
    }

    private static ClusterException explain(Target target, Throwable failure) {
        if (failure instanceof ClusterException clusterException) {
            return clusterException;
        }
        String server = target.serverUrl();
        String cause = Secrets.redact(Secrets.rootMessage(failure), target.config());
        KubernetesClientException api = Secrets.find(failure, KubernetesClientException.class);
        // fabric8 reports "no HTTP answer at all" as code 0 or -1
        int status = api == null ? 0 : Math.max(api.getCode(), 0);
        String message = switch (status) {
            case 0 -> "Cannot reach the Kubernetes API server at " + server + ": " + cause + " ("
                    + target.description() + "). Check the address, that the server is up, and any proxy or VPN.";
            case 401 -> "The Kubernetes API server at " + server + " rejected the credentials (HTTP 401 "
                    + "Unauthorized) (" + target.description() + "). The token or client certificate is invalid or "
                    + "expired; refresh the kubeconfig.";
            case 403 -> "The Kubernetes API server at " + server + " refused the request (HTTP 403 Forbidden) ("
                    + target.description() + "): " + statusMessage(api, target) + ". Grant deploy/rbac.yaml to "
                    + "this user or service account.";
            default -> "The Kubernetes API server at " + server + " answered HTTP " + status + " ("
                    + target.description() + "): " + statusMessage(api, target);
        };
        return new ClusterException(message, failure);
    }

    private static String statusMessage(KubernetesClientException api, Target target) {
        String text = api.getStatus() != null && api.getStatus().getMessage() != null
                ? api.getStatus().getMessage() : api.getMessage();
        return Secrets.redact(text, target.config());
    }
}
