package io.netconform.cluster;

import java.util.Objects;
import java.util.Set;

/**
 * One RBAC permission the harness uses, in the terms of a SelfSubjectAccessReview.
 *
 * @param verb        e.g. {@code create}
 * @param group       API group, {@code ""} for the core group
 * @param resource    e.g. {@code pods}
 * @param subresource e.g. {@code exec}, or {@code ""}
 * @param namespace   the namespace it is needed in, or {@code null} for all namespaces / cluster-scoped resources
 * @param name        the one object it is needed on ({@code resourceNames} in RBAC), or {@code null} for any
 */
public record Permission(String verb, String group, String resource, String subresource, String namespace, String name) {

    private static final Set<String> CLUSTER_SCOPED = Set.of("namespaces", "nodes", "installations",
            "clusternetworkpolicies", "adminnetworkpolicies", "baselineadminnetworkpolicies");

    public Permission {
        Objects.requireNonNull(verb, "verb");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(subresource, "subresource");
    }

    static Permission anywhere(String verb, String group, String resource) {
        int slash = resource.indexOf('/');
        return slash < 0
                ? new Permission(verb, group, resource, "", null, null)
                : new Permission(verb, group, resource.substring(0, slash), resource.substring(slash + 1), null, null);
    }

    /** The resource as RBAC rules spell it: {@code pods/exec}. */
    public String rbacResource() {
        return subresource.isEmpty() ? resource : resource + "/" + subresource;
    }

    /** e.g. {@code create pods/exec in all namespaces}, {@code get configmaps calico-config in all namespaces}. */
    public String describe() {
        String what = verb + " " + rbacResource() + (name == null ? "" : " " + name)
                + (group.isEmpty() ? "" : " (" + group + ")");
        if (namespace != null) {
            return what + " in namespace " + namespace;
        }
        return what + (CLUSTER_SCOPED.contains(resource) ? " (cluster-scoped)" : " in all namespaces");
    }
}
