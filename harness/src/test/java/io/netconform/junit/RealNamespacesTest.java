package io.netconform.junit;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Logical namespaces of a fixture → the real ones of a deployment. */
class RealNamespacesTest {

    static final KubernetesSerialization YAML = new KubernetesSerialization();

    static final RealNamespaces NAMES = names();

    static RealNamespaces names() {
        Map<String, String> names = new LinkedHashMap<>();
        names.put("backend", "nc-abc123-backend");
        names.put("frontend", "nc-abc123-frontend");
        names.put("kube-system", "nc-abc123-kube-system");
        return new RealNamespaces(names);
    }

    static final String POLICY = """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: api, namespace: backend, resourceVersion: "42"}
            spec:
              podSelector: {matchLabels: {tier: backend}}
              ingress:
              - from:
                - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: frontend, team: web}}
                  podSelector: {matchLabels: {tier: frontend}}
                - podSelector: {}
              egress:
              - to:
                - namespaceSelector:
                    matchExpressions:
                    - {key: kubernetes.io/metadata.name, operator: In, values: [kube-system, elsewhere]}
                    - {key: ns, operator: In, values: [backend]}
                - ipBlock: {cidr: 10.0.0.0/8}
            """;

    @Test
    void aPolicyMovesToTheRealNamespaceAndItsNameSelectorsFollow() {
        NetworkPolicy logical = YAML.unmarshal(POLICY, NetworkPolicy.class);

        NetworkPolicy real = NAMES.onCluster(logical);

        assertThat(real.getMetadata().getNamespace()).isEqualTo("nc-abc123-backend");
        assertThat(real.getMetadata().getResourceVersion()).isNull();
        assertThat(real.getSpec().getIngress().get(0).getFrom().get(0).getNamespaceSelector().getMatchLabels())
                .containsExactlyInAnyOrderEntriesOf(Map.of("kubernetes.io/metadata.name", "nc-abc123-frontend", "team", "web"));
        var expressions = real.getSpec().getEgress().get(0).getTo().get(0).getNamespaceSelector().getMatchExpressions();
        // a name the deployment does not know stays as written: it selects nothing, on the cluster as in the oracle
        assertThat(expressions.get(0).getValues()).containsExactly("nc-abc123-kube-system", "elsewhere");
        // other labels are the topology's own, set on the real namespaces: no rewriting
        assertThat(expressions.get(1).getValues()).containsExactly("backend");
        assertThat(real.getSpec().getEgress().get(0).getTo().get(1).getIpBlock().getCidr()).isEqualTo("10.0.0.0/8");
        // the oracle keeps reading the logical policy
        assertThat(logical).isEqualTo(YAML.unmarshal(POLICY, NetworkPolicy.class));
    }

    @Test
    void aNamespaceOutsideTheDeploymentIsNamedWithTheOnesItHas() {
        NetworkPolicy logical = YAML.unmarshal(POLICY.replace("namespace: backend", "namespace: shop"), NetworkPolicy.class);

        assertThatThrownBy(() -> NAMES.onCluster(logical))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("namespace 'shop' is not a namespace of the deployed topology [backend, frontend, kube-system]");
        assertThat(NAMES.logical("nc-abc123-frontend")).isEqualTo("frontend");
    }

    @Test
    void offlineEveryNamespaceIsItself() {
        RealNamespaces same = RealNamespaces.identity(List.of("x", "y"));

        assertThat(same.onCluster(YAML.unmarshal(POLICY.replace("backend", "x"), NetworkPolicy.class))
                .getMetadata().getNamespace()).isEqualTo("x");
        assertThat(same.real("y")).isEqualTo("y");
    }
}
