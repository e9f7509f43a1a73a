package io.netconform.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * Which cluster to run against, as the user said it (CLI flags or suite configuration).
 *
 * @param kubeconfig     a kubeconfig file; {@code null} means {@code $KUBECONFIG}, then {@code ~/.kube/config}
 * @param context        a context in that kubeconfig; {@code null} means its current-context
 * @param embedded       {@code null}, {@code "k3s"} or {@code "kind"}: start a throw-away cluster in Docker
 * @param connectTimeout how long reaching the API server may take before the run gives up; default 15 s
 */
public record TargetOptions(Path kubeconfig, String context, String embedded, Duration connectTimeout) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(15);
    static final Set<String> EMBEDDED_KINDS = Set.of("k3s", "kind");

    public TargetOptions {
        if (connectTimeout == null) {
            connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new ClusterException("connect timeout must be positive, got " + connectTimeout);
        }
        if (embedded != null && !EMBEDDED_KINDS.contains(embedded)) {
            throw new ClusterException("--embedded must be k3s or kind, got '" + embedded + "'");
        }
        if (embedded != null && (kubeconfig != null || context != null)) {
            throw new ClusterException("--embedded " + embedded
                    + " starts its own cluster and cannot be combined with --kubeconfig or --context");
        }
    }

    /** Whatever the environment provides: $KUBECONFIG, ~/.kube/config, in-cluster, or embedded K3s with Docker. */
    public static TargetOptions defaults() {
        return new TargetOptions(null, null, null, null);
    }

    public static TargetOptions kubeconfig(Path kubeconfig, String context) {
        return new TargetOptions(kubeconfig, context, null, null);
    }

    public static TargetOptions embedded(String kind) {
        return new TargetOptions(null, null, kind, null);
    }
}
