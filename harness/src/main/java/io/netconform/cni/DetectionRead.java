package io.netconform.cni;

/**
 * One read CNI detection makes, in RBAC terms; {@code cluster.Permissions} turns these into the preflight and
 * {@code deploy/rbac.yaml} grants exactly them.
 *
 * @param group     API group, {@code ""} for the core group
 * @param namespace {@code null}: in every namespace (or cluster-scoped)
 * @param name      the one object read ({@code resourceNames} in RBAC), or {@code null} for any
 */
public record DetectionRead(String verb, String group, String resource, String namespace, String name) {

    static DetectionRead configMap(String name) {
        // by name in every namespace: CNIs live in namespaces that may not exist yet (calico-system,
        // kube-flannel), and RBAC cannot grant in a namespace before it exists
        return new DetectionRead("get", "", "configmaps", null, name);
    }

    static DetectionRead anywhere(String verb, String group, String resource) {
        return new DetectionRead(verb, group, resource, null, null);
    }
}
