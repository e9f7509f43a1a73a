package io.netconform.lab;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The services and hostnetwork suites with {@code --node-evidence} on the lab (Kubernetes 1.20, kube-proxy in
 * iptables mode, bridge CNI with portmap, nodes n1 and n2): one run, asserted from summary.json and the console.
 * What the lab cannot show (VXLAN devices, an eBPF kube-proxy replacement) is covered by recorded outputs in
 * harness tests.
 */
@Tag("lab")
class ServicesLabTest {

    @BeforeAll
    static void lab() throws Exception {
        LabEndToEndTest.lab();
    }

    @Test
    void servicesHostNetworkAndNodeEvidenceOnTheLab() throws Exception {
        NetconformProcess p = NetconformProcess.start(LabEndToEndTest.work.resolve("services"),
                LabEndToEndTest.args("services", "--include-tags", "services,hostnetwork", "--node-evidence"));
        int exit = p.await(Duration.ofMinutes(8));
        String out = p.output();
        assertThat(exit).as("exit code; output:\n%s", out).isZero();
        JsonNode s = LabEndToEndTest.summary("services");

        // NodePort answered by the one backend on n1 from pods and nodes, also via n2, which has no endpoint
        List<JsonNode> services = LabEndToEndTest.checks(s, "services");
        for (String proto : List.of("TCP", "UDP")) {
            assertThat(services).as("NodePort %s via a node without an endpoint", proto).anySatisfy(c -> {
                assertThat(c.path("name").asText()).startsWith("NodePort " + proto).contains("no endpoint on that node");
                assertThat(c.path("status").asText()).isEqualTo("PASSED");
            });
        }
        assertPassed(services, "client IP preserved: TCP", "no answer from a node without a local endpoint: TCP",
                "healthCheckNodePort", "answered by one backend", "hostPort");
        // Kubernetes 1.20 drops spec.internalTrafficPolicy: said, not guessed
        assertThat(services).anySatisfy(c -> {
            assertThat(c.path("status").asText()).isEqualTo("SKIPPED");
            assertThat(c.path("message").asText()).contains("internalTrafficPolicy").contains("dropped the field");
        });

        // dynamics: figures for every node, no failed request during the rolling restart
        List<String> figures = new ArrayList<>();
        s.path("latency").forEach(l -> figures.add(l.path("path").asText() + " = " + l.path("value").asDouble()));
        for (String node : List.of("n1", "n2")) {
            assertThat(figures).anySatisfy(f -> assertThat(f).startsWith("Service created → NodePort forwards on " + node));
            assertThat(figures).anySatisfy(f -> assertThat(f).startsWith("endpoint ready → forwards on " + node));
            assertThat(figures).anySatisfy(f -> assertThat(f).startsWith("stale UDP conntrack: old backend deleted → recovered on " + node));
            assertThat(figures).contains("rolling restart: failed requests from " + node + " = 0.0");
        }

        // hostnetwork: node → pod, pod → node, node ↔ node and the node paths' MTU (1500 node to node, 1450 to pods)
        List<JsonNode> host = LabEndToEndTest.checks(s, "hostnetwork");
        assertThat(host).isNotEmpty().allSatisfy(c -> assertThat(c.path("status").asText()).as(c.toString()).isEqualTo("PASSED"));
        assertThat(s.path("mtu").toString()).contains("\"from\":\"node n1\"").contains("\"expected\":1500")
                .contains("\"expected\":1450");

        // node evidence: collected on both nodes, written, in summary.json
        assertThat(out).contains("node evidence: collecting on n1, n2").containsPattern("node evidence: (nothing flagged|\\d+ flagged)");
        Path md = LabEndToEndTest.work.resolve("services").resolve("node-evidence.md");
        assertThat(Files.readString(md)).contains("conntrack.count").contains("rp_filter.").contains("mtu.eth0");
        assertThat(s.path("nodeEvidence").isArray()).isTrue();
    }

    private static void assertPassed(List<JsonNode> checks, String... names) {
        for (String name : names) {
            assertThat(checks).as("a passed check named '%s'", name).anySatisfy(c -> {
                assertThat(c.path("name").asText()).contains(name);
                assertThat(c.path("status").asText()).isEqualTo("PASSED");
            });
        }
    }
}
