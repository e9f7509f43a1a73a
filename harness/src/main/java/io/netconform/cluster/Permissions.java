package io.netconform.cluster;

import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.netconform.cni.Cnis;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The permissions a run needs, and the preflight that asks the API server about each of them before any test
 * starts, so a missing grant fails the run in seconds with its name instead of as a 403 in the middle of a suite.
 * {@code deploy/rbac.yaml} grants exactly this list; a test keeps the two in step.
 *
 * <p>CNI detection's reads come from the CNI classes ({@link Cnis#detectionReads}) and are part of the hard
 * preflight, not a warning: without them detection calls the CNI "unknown", so the MTU check stops being strict
 * and policy suites fall back to probing for enforcement. A run that quietly checks less than the same run with
 * a better account would be a verdict nobody can compare, so a missing read stops the run with its name.
 */
public final class Permissions {

    /**
     * Test namespaces are created per run, so everything namespaced is needed in all namespaces. {@code get} on
     * {@code pods/exec} is there because fabric8 execs over a WebSocket, an HTTP GET, which the API server
     * authorises as {@code get}; from 1.35 the AuthorizePodWebsocketUpgradeCreatePermission gate (KEP-4006) also
     * asks for {@code create}, so both are needed across 1.20 to current.
     */
    public static final List<Permission> REQUIRED = Stream.of(
            Stream.of("create", "delete", "list").map(v -> Permission.anywhere(v, "", "namespaces")),
            Stream.of("create", "get", "list", "delete").map(v -> Permission.anywhere(v, "", "pods")),
            Stream.of("create", "get").map(v -> Permission.anywhere(v, "", "pods/exec")),
            Stream.of(Permission.anywhere("get", "", "pods/log")),
            Stream.of(Permission.anywhere("list", "", "events")),
            // delete: a LoadBalancer Service the services suite must not leave to a cloud controller
            Stream.of("create", "get", "delete").map(v -> Permission.anywhere(v, "", "services")),
            // the services suite waits for a Service's ready endpoints before it probes, and restarts a Deployment
            // (rollout restart is a patch of its pod template) to watch endpoint removal
            Stream.of(Permission.anywhere("get", "", "endpoints")),
            Stream.of("create", "get", "patch").map(v -> Permission.anywhere(v, "apps", "deployments")),
            // get: a case reads back what the API server stored (e.g. whether it kept endPort)
            Stream.of("create", "get", "delete", "list").map(v -> Permission.anywhere(v, "networking.k8s.io", "networkpolicies")),
            Stream.of("list", "get").map(v -> Permission.anywhere(v, "", "nodes")),
            Cnis.detectionReads().stream().map(r -> new Permission(r.verb(), r.group(), r.resource(), "",
                    r.namespace(), r.name()))
    ).flatMap(s -> s).distinct().toList();

    /**
     * For the optional cluster-scoped policy APIs (suite {@code clusterpolicy}). Not part of the preflight: most
     * clusters do not serve these kinds, and a run without them must still run everything else — a case that needs
     * one asks {@link #missing(KubernetesClient, List)} and skips with the missing grant as the reason.
     */
    public static final List<Permission> CLUSTER_POLICIES = Stream.of(
            "clusternetworkpolicies", "adminnetworkpolicies", "baselineadminnetworkpolicies")
            .flatMap(r -> Stream.of("create", "delete", "list").map(v -> Permission.anywhere(v, "policy.networking.k8s.io", r)))
            .toList();

    private Permissions() {
    }

    /** Which of {@code permissions} the API server denies. */
    public static List<Permission> missing(KubernetesClient client, List<Permission> permissions) {
        return permissions.stream().filter(p -> !allowed(client, p)).toList();
    }

    /** Asks the API server (SelfSubjectAccessReview, authorization.k8s.io/v1) about each required permission. */
    public static List<Permission> missing(KubernetesClient client) {
        List<Permission> missing = new ArrayList<>();
        for (Permission permission : REQUIRED) {
            if (!allowed(client, permission)) {
                missing.add(permission);
            }
        }
        return missing;
    }

    static boolean allowed(KubernetesClient client, Permission permission) {
        SelfSubjectAccessReview review = new SelfSubjectAccessReviewBuilder()
                .withNewSpec().withNewResourceAttributes()
                .withVerb(permission.verb())
                .withGroup(permission.group())
                .withResource(permission.resource())
                .withSubresource(permission.subresource())
                .withNamespace(permission.namespace())
                .withName(permission.name())
                .endResourceAttributes().endSpec()
                .build();
        SelfSubjectAccessReview answer = client.authorization().v1().selfSubjectAccessReview().create(review);
        return answer.getStatus() != null && Boolean.TRUE.equals(answer.getStatus().getAllowed());
    }

    /** The message for a run that cannot start; one line per missing permission. */
    static String explain(List<Permission> missing, String target) {
        StringBuilder message = new StringBuilder("The credentials for ").append(target)
                .append(" lack ").append(missing.size()).append(" permission(s) netconform needs:");
        for (Permission permission : missing) {
            message.append("\n  - ").append(permission.describe());
        }
        return message.append("\nGrant them with deploy/rbac.yaml (kubectl apply -f deploy/rbac.yaml) and run as ")
                .append("the 'netconform' service account, or bind its ClusterRole to your user.")
                .toString();
    }
}
