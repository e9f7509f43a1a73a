package io.netconform.policy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads policy fixtures: one YAML file (several documents allowed, {@code kind: List} too) or a directory of
 * {@code *.yaml}/{@code *.yml} files, read in name order. {@link #load} takes NetworkPolicies only; {@link #loadAll}
 * also ClusterNetworkPolicy (v1alpha2), AdminNetworkPolicy and BaselineAdminNetworkPolicy (v1alpha1). Every policy
 * is validated as the API server would, so a broken fixture fails here, naming file, line and field, not minutes
 * later in a cluster.
 */
public final class PolicyFiles {

    static final String NETWORK_POLICY_API = "networking.k8s.io/v1";

    private PolicyFiles() {
    }

    /** @throws PolicyInputException naming the file, the document and line, and what is wrong */
    public static List<NetworkPolicy> load(Path fileOrDirectory) {
        Policies all = loadAll(fileOrDirectory);
        if (!all.clusterPolicies().isEmpty()) {
            ClusterPolicy first = all.clusterPolicies().get(0);
            throw new PolicyInputException(fileOrDirectory + ": expected NetworkPolicies only, got " + first.kind() + " "
                    + first.name() + " (cluster-scoped policies are read where the caller accepts them)");
        }
        return all.networkPolicies();
    }

    /** NetworkPolicies and cluster-scoped policies. @throws PolicyInputException naming file, line, field and problem */
    public static Policies loadAll(Path fileOrDirectory) {
        if (!Files.exists(fileOrDirectory)) {
            throw new PolicyInputException(fileOrDirectory + ": no such file or directory");
        }
        if (!Files.isDirectory(fileOrDirectory)) {
            return loadFile(fileOrDirectory);
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(fileOrDirectory)) {
            files = listing.filter(Files::isRegularFile)
                    .filter(f -> f.getFileName().toString().endsWith(".yaml") || f.getFileName().toString().endsWith(".yml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new PolicyInputException(fileOrDirectory + ": cannot list the directory: " + e, e);
        }
        Policies policies = new Policies(List.of(), List.of());
        for (Path file : files) {
            policies = policies.plus(loadFile(file));
        }
        return policies;
    }

    private static Policies loadFile(Path file) {
        List<NetworkPolicy> policies = new ArrayList<>();
        List<ClusterPolicy> clusterPolicies = new ArrayList<>();
        for (YamlDocuments.Document document : YamlDocuments.read(file)) {
            // plain YAML first, then only the kinds we take are bound to fabric8 types: fabric8's untyped read
            // resolves every kind through a registry of all its model classes (≈0.5 s of a 300-policy predict)
            Object parsed = document.parse(Object.class);
            List<?> objects = parsed instanceof Map<?, ?> map && "List".equals(map.get("kind")) && map.get("items") instanceof List<?> items
                    ? items : parsed instanceof List<?> l ? l : Collections.singletonList(parsed);
            for (Object object : objects) {
                Map<?, ?> resource = object instanceof Map<?, ?> m ? m : null;
                if (resource != null && ClusterPolicy.isClusterKind(String.valueOf(resource.get("kind")))) {
                    clusterPolicies.add(clusterPolicy(document, document.convert(resource, GenericKubernetesResource.class)));
                } else if (resource != null && "NetworkPolicy".equals(resource.get("kind"))
                        && NETWORK_POLICY_API.equals(resource.get("apiVersion"))) {
                    policies.add(networkPolicy(document, document.convert(resource, NetworkPolicy.class)));
                } else {
                    throw new PolicyInputException(document.where() + ": expected a NetworkPolicy (" + NETWORK_POLICY_API
                            + "), ClusterNetworkPolicy (" + ClusterPolicy.V1ALPHA2 + "), AdminNetworkPolicy or "
                            + "BaselineAdminNetworkPolicy (" + ClusterPolicy.V1ALPHA1 + "), got " + describe(object));
                }
            }
        }
        return new Policies(policies, clusterPolicies);
    }

    private static ClusterPolicy clusterPolicy(YamlDocuments.Document document, GenericKubernetesResource resource) {
        try {
            return ClusterPolicy.compile(resource);
        } catch (ClusterPolicy.Invalid e) {
            throw new PolicyInputException(document.file() + ": line " + document.lineOf(e.field) + " (document "
                    + document.index() + ", " + resource.getKind() + " " + name(resource).replace(" named ", "")
                    + "): " + e.getMessage(), e);
        }
    }

    private static NetworkPolicy networkPolicy(YamlDocuments.Document document, NetworkPolicy policy) {
        try {
            // fixtures may leave the namespace to whoever applies them; everything else must be valid now
            CompiledPolicy.compile(policy, "(namespace not set)");
        } catch (IllegalArgumentException e) {
            throw new PolicyInputException(document.where() + ": " + e.getMessage(), e);
        }
        return policy;
    }

    private static String describe(Object object) {
        if (object instanceof Map<?, ?> resource) {
            if (resource.get("kind") == null && resource.get("apiVersion") == null) {
                return "an object without apiVersion and kind";
            }
            Object name = resource.get("metadata") instanceof Map<?, ?> metadata ? metadata.get("name") : null;
            return "kind " + resource.get("kind") + " (apiVersion " + resource.get("apiVersion") + ")"
                    + (name == null ? "" : " named " + name);
        }
        return object == null ? "an empty document" : "a " + object.getClass().getSimpleName();
    }

    private static String name(HasMetadata resource) {
        return resource.getMetadata() == null || resource.getMetadata().getName() == null ? ""
                : " named " + resource.getMetadata().getName();
    }
}
