package io.netconform.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The clusterpolicy suite against the lab: with {@code K8SLAB_CNP=1} (CRD installed, enforcer running) every case
 * passes except SCTP, which the lab's kernel cannot serve; without it every case skips with "ClusterNetworkPolicy API
 * not installed". Either way the run leaves no ClusterNetworkPolicy behind — also when it is interrupted.
 */
@Tag("lab")
class ClusterPolicyLabTest {

    static final String CNP_VERSION = "policy.networking.k8s.io/v1alpha2";
    static KubernetesClient client;
    static Path work;

    @BeforeAll
    static void lab() throws Exception {
        LabEndToEndTest.lab();
        client = LabEndToEndTest.client;
        work = LabEndToEndTest.work;
    }

    @AfterAll
    static void close() {
        LabEndToEndTest.close();
    }

    static NetconformProcess start(String reports) throws Exception {
        return NetconformProcess.start(work.resolve(reports), LabEndToEndTest.args(reports, "--include-tags", "clusterpolicy"));
    }

    static boolean cnpServed() {
        try {
            var resources = client.getApiResources(CNP_VERSION);
            return resources != null && resources.getResources().stream().anyMatch(r -> r.getName().equals("clusternetworkpolicies"));
        } catch (KubernetesClientException e) {
            return false;
        }
    }

    static List<GenericKubernetesResource> policiesOf(String run) {
        return cnpServed() ? client.genericKubernetesResources(CNP_VERSION, "ClusterNetworkPolicy")
                .withLabel("netconform.io/run", run).list().getItems() : List.of();
    }

    @Test
    void suitePassesWhereEnforcedSkipsWithTheReasonElseAndLeavesNothing() throws Exception {
        boolean served = cnpServed();
        NetconformProcess p = start("clusterpolicy");
        int exit = p.await(Duration.ofMinutes(8));
        String out = p.output();
        assertThat(exit).as("exit code of %s; output:\n%s", p, out).isZero();

        JsonNode summary = new ObjectMapper().readTree(work.resolve("clusterpolicy/summary.json").toFile());
        List<JsonNode> cnp = new ArrayList<>();
        List<JsonNode> anp = new ArrayList<>();
        summary.path("checks").forEach(c -> {
            if (c.path("id").asText().contains("ClusterNetworkPolicyTest")) {
                cnp.add(c);
            } else if (c.path("id").asText().contains("AdminNetworkPolicyTest")) {
                anp.add(c);
            }
        });
        assertThat(cnp).hasSizeGreaterThanOrEqualTo(10);
        // the lab serves at most v1alpha2, and the skip says which generation is missing
        assertThat(anp).isNotEmpty().allSatisfy(c -> assertThat(c.path("message").asText()).contains(served
                ? "AdminNetworkPolicy API (policy.networking.k8s.io/v1alpha1) not installed; this cluster serves ClusterNetworkPolicy v1alpha2"
                : "ClusterNetworkPolicy API not installed"));
        if (served) {
            assertThat(cnp).allSatisfy(c -> {
                if (c.path("id").asText().contains("method:sctp")) {
                    assertThat(c.path("status").asText()).isEqualTo("SKIPPED");
                    assertThat(c.path("message").asText()).contains("SCTP is not available");
                } else {
                    assertThat(c.path("status").asText()).as(c.toString()).isEqualTo("PASSED");
                }
            });
            String report = Files.readString(work.resolve("clusterpolicy/conformance-report.yaml"));
            assertThat(report).contains("kind: \"ConformanceReport\"").contains("name: \"ClusterNetworkPolicy\"");
        } else {
            assertThat(cnp).allSatisfy(c -> {
                assertThat(c.path("status").asText()).isEqualTo("SKIPPED");
                assertThat(c.path("message").asText()).contains("ClusterNetworkPolicy API not installed");
            });
        }
        assertThat(policiesOf(summary.path("runId").asText())).as("ClusterNetworkPolicies left by the run").isEmpty();
    }

    @Test
    void anInterruptedRunDeletesItsClusterNetworkPolicies() throws Exception {
        assumeTrue(cnpServed(), "the lab serves no ClusterNetworkPolicy (K8SLAB_CNP=1 installs it)");
        NetconformProcess p = start("clusterpolicy-interrupted");
        List<String> seen = new ArrayList<>();
        await("a ClusterNetworkPolicy of the run to exist").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    seen.clear();
                    client.genericKubernetesResources(CNP_VERSION, "ClusterNetworkPolicy")
                            .withLabel("app.kubernetes.io/managed-by", "netconform").list().getItems()
                            .forEach(c -> seen.add(c.getMetadata().getLabels().get("netconform.io/run")));
                    return !seen.isEmpty();
                });
        String run = seen.get(0);

        p.interrupt(); // SIGTERM, as Ctrl-C's SIGINT: the JVM runs its shutdown hooks
        p.await(Duration.ofMinutes(1));

        assertThat(p.output()).contains("deleted cluster policies of run " + run);
        assertThat(policiesOf(run)).as("ClusterNetworkPolicies of the interrupted run " + run).isEmpty();
    }
}
