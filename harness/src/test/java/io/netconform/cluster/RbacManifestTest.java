package io.netconform.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/rbac.yaml must grant exactly what the preflight checks plus the optional cluster-policy grants (checked when
 * a case needs them): no less (runs would fail or skip), no more.
 */
class RbacManifestTest {

    private static final Subject NETCONFORM = new Subject(null, "ServiceAccount", "netconform", "netconform");
    private final List<HasMetadata> manifest = load("rbac.yaml");

    @Test
    void grantsEveryPermissionThePreflightChecks() {
        List<Permission> notGranted = java.util.stream.Stream.concat(Permissions.REQUIRED.stream(),
                Permissions.CLUSTER_POLICIES.stream()).filter(p -> !granted(p)).toList();

        assertThat(notGranted).as("permissions checked by Permissions.REQUIRED but not granted by deploy/rbac.yaml")
                .isEmpty();
    }

    @Test
    void grantsNothingThePreflightDoesNotCheck() {
        List<String> extra = new ArrayList<>();
        for (HasMetadata object : manifest) {
            String namespace = object instanceof Role ? object.getMetadata().getNamespace() : null;
            List<PolicyRule> rules = object instanceof ClusterRole clusterRole ? clusterRole.getRules()
                    : object instanceof Role role ? role.getRules() : List.of();
            for (PolicyRule rule : rules) {
                List<String> names = rule.getResourceNames() == null || rule.getResourceNames().isEmpty()
                        ? Collections.singletonList(null) : rule.getResourceNames();
                for (String group : rule.getApiGroups()) {
                    for (String resource : rule.getResources()) {
                        for (String verb : rule.getVerbs()) {
                            for (String name : names) {
                                String[] parts = resource.split("/", 2);
                                Permission permission = new Permission(verb, group, parts[0],
                                        parts.length > 1 ? parts[1] : "", namespace, name);
                                if (!Permissions.REQUIRED.contains(permission)
                                        && !Permissions.CLUSTER_POLICIES.contains(permission)) {
                                    extra.add(permission.describe());
                                }
                            }
                        }
                    }
                }
            }
        }

        assertThat(extra).as("granted by deploy/rbac.yaml but not in Permissions.REQUIRED").isEmpty();
    }

    @Test
    void theExampleJobRunsAsTheBoundServiceAccount() {
        Job job = (Job) load("job.yaml").get(0);

        assertThat(job.getMetadata().getNamespace()).isEqualTo(NETCONFORM.getNamespace());
        assertThat(job.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo(NETCONFORM.getName());
        assertThat(manifest).anySatisfy(o -> assertThat(o.getKind() + "/" + o.getMetadata().getName())
                .isEqualTo("ServiceAccount/netconform"));
    }

    private boolean granted(Permission permission) {
        for (HasMetadata object : manifest) {
            if (object instanceof ClusterRoleBinding binding && binds(binding.getSubjects())
                    && allows(clusterRole(binding.getRoleRef()).getRules(), permission)) {
                return true;
            }
            if (object instanceof RoleBinding binding && binds(binding.getSubjects())
                    && Objects.equals(binding.getMetadata().getNamespace(), permission.namespace())
                    && allows(role(binding.getRoleRef(), binding.getMetadata().getNamespace()).getRules(),
                    permission)) {
                return true;
            }
        }
        return false;
    }

    private static boolean binds(List<Subject> subjects) {
        return subjects.stream().anyMatch(s -> s.getKind().equals(NETCONFORM.getKind())
                && s.getName().equals(NETCONFORM.getName()) && s.getNamespace().equals(NETCONFORM.getNamespace()));
    }

    /** RBAC matching as the API server does it: a rule with resourceNames allows only those objects. */
    private static boolean allows(List<PolicyRule> rules, Permission permission) {
        return rules.stream().anyMatch(rule -> (rule.getResourceNames() == null || rule.getResourceNames().isEmpty()
                        || rule.getResourceNames().contains(permission.name()))
                && matches(rule.getApiGroups(), permission.group())
                && matches(rule.getResources(), permission.rbacResource())
                && matches(rule.getVerbs(), permission.verb()));
    }

    private static boolean matches(List<String> allowed, String value) {
        return allowed.contains(value) || allowed.contains("*");
    }

    private ClusterRole clusterRole(RoleRef ref) {
        assertThat(ref.getKind()).isEqualTo("ClusterRole");
        return manifest.stream().filter(ClusterRole.class::isInstance).map(ClusterRole.class::cast)
                .filter(r -> r.getMetadata().getName().equals(ref.getName())).findFirst().orElseThrow();
    }

    private Role role(RoleRef ref, String namespace) {
        assertThat(ref.getKind()).isEqualTo("Role");
        return manifest.stream().filter(Role.class::isInstance).map(Role.class::cast)
                .filter(r -> r.getMetadata().getName().equals(ref.getName())
                        && r.getMetadata().getNamespace().equals(namespace))
                .findFirst().orElseThrow();
    }

    private static List<HasMetadata> load(String file) {
        Path path = deployDir().resolve(file);
        try (InputStream in = Files.newInputStream(path)) {
            Object parsed = Serialization.unmarshal(in);
            if (parsed instanceof KubernetesList list) {
                return list.getItems();
            }
            if (parsed instanceof List<?> list) {
                return list.stream().map(HasMetadata.class::cast).toList();
            }
            return List.of((HasMetadata) parsed);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + path, e);
        }
    }

    /** Surefire runs in harness/; the manifests live at the repository root. */
    private static Path deployDir() {
        Path fromModule = Path.of("..", "deploy");
        return Files.isDirectory(fromModule) ? fromModule : Path.of("deploy");
    }
}
