package io.netconform.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Cluster-scoped policies read from files: mixed with NetworkPolicies, and rejected as the upstream CRD rejects them
 * (config/crd/standard/policy.networking.k8s.io_clusternetworkpolicies.yaml, apis/v1alpha1), naming file, line, field.
 */
class ClusterPolicyFilesTest {

    @TempDir
    Path dir;

    static final String CNP = """
            apiVersion: policy.networking.k8s.io/v1alpha2
            kind: ClusterNetworkPolicy
            metadata:
              name: sec
            spec:
              tier: Admin
              priority: 10
              subject:
                namespaces:
                  matchLabels: {ns: y}
              ingress:
              - name: first
                action: Accept
                from:
                - namespaces: {}
              - name: second
                action: Deny
                from:
                - pods:
                    podSelector: {}
                protocols:
                - tcp:
                    destinationPort:
                      range: {start: 80, end: 90}
            """;
    static final String NP = """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: deny-all, namespace: y}
            spec: {podSelector: {}}
            """;

    Path write(String text) throws IOException {
        Path file = dir.resolve("p.yaml");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void readsMixedKinds() throws IOException {
        Policies policies = PolicyFiles.loadAll(write(NP + "---\n" + CNP));
        assertThat(policies.networkPolicies()).hasSize(1);
        assertThat(policies.clusterPolicies()).singleElement().satisfies(p -> {
            assertThat(p.name()).isEqualTo("sec");
            assertThat(p.tier()).isEqualTo(ClusterPolicy.Tier.ADMIN);
            assertThat(p.priority()).isEqualTo(10);
        });
        assertThatThrownBy(() -> PolicyFiles.load(dir.resolve("p.yaml"))).isInstanceOf(PolicyInputException.class)
                .hasMessageContaining("expected NetworkPolicies only, got ClusterNetworkPolicy sec");
    }

    /** Each row: text to replace in {@link #CNP}, its replacement, the expected line (file = NP + CNP) and message. */
    @ParameterizedTest(name = "{3}")
    @CsvSource(delimiter = '|', textBlock = """
            action: Deny            | action: Drop               | 22 | spec.ingress[1].action: 'Drop' is not an action of ClusterNetworkPolicy (expected Accept, Deny or Pass)
            priority: 10            | priority: 1001             | 12 | spec.priority: 1001 is outside 0..1000
            matchLabels: {ns: y}    | matchLabels: {ns: y}\\n    pods: {podSelector: {}} | 13 | spec.subject: must set exactly one of namespaces, pods; found namespaces and pods
            tier: Admin             | tier: Platform             | 11 | spec.tier: 'Platform' is not a tier (expected Admin or Baseline)
            'range: {start: 80, end: 90}' | 'range: {start: 90, end: 80}' | 29 | spec.ingress[1].protocols[0].tcp.destinationPort.range: start 90 must be less than end 80
            'name: first'           | 'nmae: first'              | 17 | spec.ingress[0].nmae: unknown field
            '- namespaces: {}'      | '- networks: [10.0.0.0/8]' | 20 | spec.ingress[0].from[0].networks: unknown field
            v1alpha2                | v1alpha1                   | 6  | apiVersion: 'policy.networking.k8s.io/v1alpha1': ClusterNetworkPolicy is read as policy.networking.k8s.io/v1alpha2
            """)
    void invalidClusterNetworkPoliciesNameFileLineAndField(String from, String to, int line, String message)
            throws IOException {
        Path file = write(NP + "---\n" + CNP.replace(from, to.replace("\\n", "\n")));
        assertThatThrownBy(() -> PolicyFiles.loadAll(file)).isInstanceOf(PolicyInputException.class)
                .hasMessageStartingWith(file + ": line " + line + " (document 2, ClusterNetworkPolicy sec): ")
                .hasMessageContaining(message);
    }

    @Test
    void baselineAdminNetworkPolicyIsTheSingletonDefaultWithoutPass() throws IOException {
        String banp = """
                apiVersion: policy.networking.k8s.io/v1alpha1
                kind: BaselineAdminNetworkPolicy
                metadata: {name: default}
                spec:
                  subject: {namespaces: {}}
                  egress:
                  - name: deny-x
                    action: Deny
                    to: [{namespaces: {matchLabels: {ns: x}}}]
                """;
        assertThat(PolicyFiles.loadAll(write(banp)).clusterPolicies()).singleElement()
                .satisfies(p -> assertThat(p.tier()).isEqualTo(ClusterPolicy.Tier.BASELINE));
        Path pass = write(banp.replace("action: Deny", "action: Pass"));
        assertThatThrownBy(() -> PolicyFiles.loadAll(pass)).hasMessage(pass + ": line 8 (document 1,"
                + " BaselineAdminNetworkPolicy default): spec.egress[0].action: 'Pass' is not an action of"
                + " BaselineAdminNetworkPolicy (expected Allow or Deny (Pass exists only in AdminNetworkPolicy))");
        Path named = write(banp.replace("name: default", "name: tenants"));
        assertThatThrownBy(() -> PolicyFiles.loadAll(named)).hasMessageContaining(": line 3 (document 1,")
                .hasMessageContaining("metadata.name: 'tenants': a BaselineAdminNetworkPolicy must be named 'default'");
    }

    @Test
    void adminNetworkPolicyRejectsV1alpha2Words() throws IOException {
        String anp = """
                apiVersion: policy.networking.k8s.io/v1alpha1
                kind: AdminNetworkPolicy
                metadata: {name: a}
                spec:
                  priority: 3
                  subject: {namespaces: {}}
                  ingress:
                  - action: Accept
                    from: [{namespaces: {}}]
                """;
        Path file = write(anp);
        assertThatThrownBy(() -> PolicyFiles.loadAll(file)).hasMessageContaining(": line 8 (document 1, AdminNetworkPolicy a): "
                + "spec.ingress[0].action: 'Accept' is not an action of AdminNetworkPolicy (expected Allow, Deny or Pass)");
    }

    @Test
    void namedPortsCannotGoToNetworks() throws IOException {
        String cnp = """
                apiVersion: policy.networking.k8s.io/v1alpha2
                kind: ClusterNetworkPolicy
                metadata: {name: n}
                spec:
                  tier: Baseline
                  priority: 0
                  subject: {namespaces: {}}
                  egress:
                  - action: Deny
                    to: [{networks: [10.0.0.0/8]}]
                    protocols: [{destinationNamedPort: http}]
                """;
        Path file = write(cnp);
        assertThatThrownBy(() -> PolicyFiles.loadAll(file)).hasMessageContaining("line 9 (document 1, ClusterNetworkPolicy n):"
                + " spec.egress[0]: a named port cannot be combined with networks");
        Path noPeers = write(cnp.replace("    to: [{networks: [10.0.0.0/8]}]\n", ""));
        assertThatThrownBy(() -> PolicyFiles.loadAll(noPeers)).hasMessageContaining("spec.egress[0].to: is required");
    }
}
