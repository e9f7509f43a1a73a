package io.netconform.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyFilesTest {

    @TempDir
    Path dir;

    static final String DENY_ALL = """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: deny-all, namespace: x}
            spec: {podSelector: {}}
            """;

    Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    @Test
    void readsMultiDocumentFilesAndDirectoriesInNameOrder() throws IOException {
        write("b.yaml", "# leading comment\n---\n" + DENY_ALL + "---\n" + DENY_ALL.replace("deny-all", "second") + "---\n");
        write("a.yml", DENY_ALL.replace("deny-all", "first"));
        write("notes.txt", "not yaml: [");
        assertThat(PolicyFiles.load(dir)).extracting(p -> p.getMetadata().getName())
                .containsExactly("first", "deny-all", "second");
        assertThat(PolicyFiles.load(dir.resolve("b.yaml"))).hasSize(2);
    }

    @Test
    void emptyDirectoryMeansNoPolicies() {
        assertThat(PolicyFiles.load(dir)).isEmpty();
    }

    @Test
    void kindListIsFlattened() throws IOException {
        Path file = write("list.yaml", """
                apiVersion: v1
                kind: List
                items:
                - apiVersion: networking.k8s.io/v1
                  kind: NetworkPolicy
                  metadata: {name: in-a-list, namespace: x}
                  spec: {podSelector: {}}
                """);
        assertThat(PolicyFiles.load(file)).extracting(p -> p.getMetadata().getName()).containsExactly("in-a-list");
    }

    @Test
    void malformedYamlNamesFileAndLine() throws IOException {
        Path file = write("bad.yaml", DENY_ALL + "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: a\n   bad: [\n");
        assertThatThrownBy(() -> PolicyFiles.load(file)).isInstanceOf(PolicyInputException.class)
                .hasMessageStartingWith(file + ": line 10, column 7")
                .hasMessageContaining("malformed YAML");
    }

    @Test
    void otherKindsAreNamed() throws IOException {
        Path file = write("pod.yaml", DENY_ALL + "---\napiVersion: v1\nkind: Pod\nmetadata: {name: web}\n");
        assertThatThrownBy(() -> PolicyFiles.load(file)).isInstanceOf(PolicyInputException.class)
                .hasMessage(file + ": document 2 (line 6): expected a NetworkPolicy (networking.k8s.io/v1), ClusterNetworkPolicy"
                        + " (policy.networking.k8s.io/v1alpha2), AdminNetworkPolicy or BaselineAdminNetworkPolicy"
                        + " (policy.networking.k8s.io/v1alpha1), got kind Pod (apiVersion v1) named web");
        Path crd = write("crd.yaml", "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: c}\n");
        assertThatThrownBy(() -> PolicyFiles.load(crd)).hasMessageContaining("got kind CiliumNetworkPolicy (apiVersion cilium.io/v2)");
    }

    @Test
    void invalidOperatorAndMissingNameAreReported() throws IOException {
        Path operator = write("op.yaml", DENY_ALL.replace("spec: {podSelector: {}}",
                "spec:\n  podSelector: {matchExpressions: [{key: pod, operator: Equal, values: [a]}]}"));
        assertThatThrownBy(() -> PolicyFiles.load(operator)).isInstanceOf(PolicyInputException.class)
                .hasMessageContaining(operator + ": document 1 (line 1)")
                .hasMessageContaining("operator 'Equal' is not a valid selector operator");
        Path unnamed = write("unnamed.yaml", DENY_ALL.replace("name: deny-all, ", ""));
        assertThatThrownBy(() -> PolicyFiles.load(unnamed)).hasMessage(unnamed + ": document 1 (line 1): metadata.name is missing");
    }

    @Test
    void wrongFieldTypeNamesThePath() throws IOException {
        Path file = write("type.yaml", DENY_ALL.replace("spec: {podSelector: {}}", "spec: {podSelector: 5}"));
        assertThatThrownBy(() -> PolicyFiles.load(file)).isInstanceOf(PolicyInputException.class)
                .hasMessageContaining(file + ": document 1 (line 1) at spec.podSelector: cannot read it");
    }

    @Test
    void missingPathIsReported() {
        assertThatThrownBy(() -> PolicyFiles.load(dir.resolve("nope"))).hasMessage(dir.resolve("nope") + ": no such file or directory");
    }

    @Test
    void policiesWithoutNamespaceLoadButTheOracleRefusesThem() throws IOException {
        List<NetworkPolicy> policies = PolicyFiles.load(write("nons.yaml", DENY_ALL.replace(", namespace: x", "")));
        assertThat(policies).hasSize(1);
        assertThatThrownBy(() -> new PolicyOracle(Topology.standard(), policies)).hasMessageContaining("metadata.namespace");
    }

    @Test
    void modelYamlBuildsATopology() throws IOException {
        Path model = write("MODEL.yaml", """
                namespaces:
                  x: {ns: x}
                  y: {}
                pods:
                  - namespace: x
                    name: a
                    labels: {pod: a, tier: web}
                    ip: 10.244.1.10
                    ports: [{port: 80, protocol: TCP, name: serve-80-tcp}, {port: 53, protocol: UDP}]
                  - {namespace: y, name: b}
                """);
        Topology t = Topology.fromModelYaml(model);
        assertThat(t.namespaces()).containsExactly("x", "y");
        assertThat(t.namespaceLabels("y")).isEqualTo(Map.of("kubernetes.io/metadata.name", "y"));
        assertThat(t.pod("x/a").labels()).containsEntry("tier", "web");
        assertThat(t.pod("x/a").ports()).containsExactly(Port.tcp(80).named("serve-80-tcp"), Port.udp(53));
        assertThat(t.pod("x/a").ips()).containsExactly("10.244.1.10");
        assertThat(t.pod("y/b").labels()).isEqualTo(Map.of("pod", "b"));
    }

    @Test
    void modelYamlErrors() throws IOException {
        Path undeclared = write("m1.yaml", "namespaces: {x: {}}\npods:\n  - {namespace: q, name: a}\n");
        assertThatThrownBy(() -> Topology.fromModelYaml(undeclared)).isInstanceOf(PolicyInputException.class)
                .hasMessage(undeclared + ": pods[0] (q/a): namespace 'q' is not declared under namespaces [x]");
        Path duplicate = write("m2.yaml", "namespaces: {x: {}}\npods:\n  - {namespace: x, name: a}\n  - {namespace: x, name: a}\n");
        assertThatThrownBy(() -> Topology.fromModelYaml(duplicate)).hasMessage(duplicate + ": pods[1] (x/a): pod x/a is declared twice");
        Path badPort = write("m3.yaml", "namespaces: {x: {}}\npods:\n  - {namespace: x, name: a, ports: [{port: 70000}]}\n");
        assertThatThrownBy(() -> Topology.fromModelYaml(badPort)).hasMessageContaining("pods[0] (x/a).ports[0]: port 70000 is outside 1..65535");
        Path badProtocol = write("m4.yaml", "namespaces: {x: {}}\npods:\n  - {namespace: x, name: a, ports: [{port: 80, protocol: ICMP}]}\n");
        assertThatThrownBy(() -> Topology.fromModelYaml(badProtocol)).hasMessageContaining("unknown protocol 'ICMP'");
        Path typo = write("m5.yaml", "namespaces: {x: {}}\npod: []\n");
        assertThatThrownBy(() -> Topology.fromModelYaml(typo)).hasMessageContaining("unknown key 'pod'");
        Path malformed = write("m6.yaml", "namespaces:\n  x: {\npods: []\n");
        assertThatThrownBy(() -> Topology.fromModelYaml(malformed)).hasMessageStartingWith(malformed + ": line ");
    }

    @Test
    void standardTopologyIsTheUpstreamModel() {
        Topology t = Topology.standard();
        assertThat(t.podIds()).hasSize(9).first().isEqualTo(PodId.of("x/a"));
        assertThat(t.namespaceLabels("z")).isEqualTo(Map.of("ns", "z", "kubernetes.io/metadata.name", "z"));
        assertThat(t.pod("y/c").labels()).isEqualTo(Map.of("pod", "c"));
        assertThat(t.pod("y/c").ports()).hasSize(6).contains(Port.udp(81).named("serve-81-udp"), Port.sctp(80).named("serve-80-sctp"));
        Topology withIp = t.withIp("x/a", "10.0.0.1");
        assertThat(withIp.pod("x/a").ips()).containsExactly("10.0.0.1");
        assertThat(t.pod("x/a").ips()).isEmpty();
        assertThatThrownBy(() -> t.withIp("x/a", "example.com")).hasMessageContaining("not an IPv4 or IPv6 address");
    }
}
