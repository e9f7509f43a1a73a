package io.netconform.junit;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A cluster-scoped policy a suite creates can only ever select its own deployment's namespaces of the run. */
class ClusterPolicyScopeTest {

    static final KubernetesSerialization YAML = new KubernetesSerialization();

    @Test
    void everyNamespaceSelectorOfSubjectAndPeersIsAndedWithTheRunAndTheDeployment() {
        GenericKubernetesResource policy = YAML.unmarshal("""
                apiVersion: policy.networking.k8s.io/v1alpha2
                kind: ClusterNetworkPolicy
                metadata: {name: p}
                spec:
                  tier: Admin
                  priority: 1
                  subject: {namespaces: {}}
                  ingress:
                  - action: Deny
                    from:
                    - namespaces: {matchLabels: {kubernetes.io/metadata.name: x}}
                    - pods: {podSelector: {matchLabels: {pod: a}}}
                    - pods:
                        namespaceSelector: {matchExpressions: [{key: kubernetes.io/metadata.name, operator: In, values: [y]}]}
                        podSelector: {}
                  egress:
                  - action: Deny
                    to: [{networks: [0.0.0.0/0]}]
                """, GenericKubernetesResource.class);

        new RealNamespaces(Map.of("x", "nc-abc123-x", "y", "nc-abc123-y")).confine(policy, "nc-abc123");

        assertThat(YAML.asYaml(policy.getAdditionalProperties().get("spec"))).isEqualTo("""
                ---
                tier: "Admin"
                priority: 1
                subject:
                  namespaces:
                    matchLabels:
                      netconform.io/run: "nc-abc123"
                    matchExpressions:
                    - key: "kubernetes.io/metadata.name"
                      operator: "In"
                      values:
                      - "nc-abc123-x"
                      - "nc-abc123-y"
                ingress:
                - action: "Deny"
                  from:
                  - namespaces:
                      matchLabels:
                        kubernetes.io/metadata.name: "nc-abc123-x"
                        netconform.io/run: "nc-abc123"
                      matchExpressions:
                      - key: "kubernetes.io/metadata.name"
                        operator: "In"
                        values:
                        - "nc-abc123-x"
                        - "nc-abc123-y"
                  - pods:
                      podSelector:
                        matchLabels:
                          pod: "a"
                      namespaceSelector:
                        matchLabels:
                          netconform.io/run: "nc-abc123"
                        matchExpressions:
                        - key: "kubernetes.io/metadata.name"
                          operator: "In"
                          values:
                          - "nc-abc123-x"
                          - "nc-abc123-y"
                  - pods:
                      namespaceSelector:
                        matchExpressions:
                        - key: "kubernetes.io/metadata.name"
                          operator: "In"
                          values:
                          - "nc-abc123-y"
                        - key: "kubernetes.io/metadata.name"
                          operator: "In"
                          values:
                          - "nc-abc123-x"
                          - "nc-abc123-y"
                        matchLabels:
                          netconform.io/run: "nc-abc123"
                      podSelector: {}
                egress:
                - action: "Deny"
                  to:
                  - networks:
                    - "0.0.0.0/0"
                """);
    }
}
