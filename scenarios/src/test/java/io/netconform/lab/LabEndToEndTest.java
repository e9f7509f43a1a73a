package io.netconform.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The whole tool against the real two-node Kubernetes 1.20 cluster of ../shared/lab (bridge CNI, MTU 1450,
 * no NetworkPolicy enforcement, a dnsmasq stand-in for cluster DNS, local images only).
 *
 * <p>Every assertion reads what a user would read: the exit code, the console, reports/summary.json, the JUnit XML,
 * the Allure results, and the cluster afterwards. Run by {@code make e2e-lab}, which brings the lab up and down.
 */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabEndToEndTest {

    static final String[] LAB_IMAGES = {"--netshoot-image", "k8s.lab/netshoot:lab", "--nginx-image", "k8s.lab/nginx:lab",
            "--busybox-image", "k8s.lab/busybox:lab"};
    static final ObjectMapper JSON = new ObjectMapper();
    static Path kubeconfig;
    static Path work;
    static KubernetesClient client;

    @BeforeAll
    static void lab() throws Exception {
        String k = System.getProperty("netconform.lab.kubeconfig");
        assumeTrue(k != null && Files.isReadable(Path.of(k)),
                "no lab cluster: run `make e2e-lab` (it brings ../shared/lab up and sets -Dnetconform.lab.kubeconfig)");
        kubeconfig = Path.of(k);
        work = Files.createDirectories(Path.of("target", "e2e-lab"));
        client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build();
    }

    @AfterAll
    static void close() {
        if (client != null) {
            client.close();
        }
    }

    static String[] args(String reports, String... extra) {
        List<String> a = new ArrayList<>(List.of("run", "--kubeconfig", kubeconfig.toString(), "--reports",
                work.resolve(reports).toAbsolutePath().toString()));
        a.addAll(List.of(LAB_IMAGES));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    static JsonNode summary(String reports) throws Exception {
        return JSON.readTree(work.resolve(reports).resolve("summary.json").toFile());
    }

    static List<JsonNode> checks(JsonNode summary, String suite) {
        List<JsonNode> out = new ArrayList<>();
        summary.path("checks").forEach(c -> {
            if (c.path("suite").asText().toLowerCase().contains(suite)) {
                out.add(c);
            }
        });
        return out;
    }

    @Test
    @Order(1)
    void twoFullRunsAtTheSameTimeBothPassAndLeaveNothing() throws Exception {
        // the services and hostnetwork suites have their own lab run (ServicesLabTest)
        NetconformProcess strict = NetconformProcess.start(work.resolve("strict"), args("strict", "--expect-mtu", "1450",
                "--exclude-tags", "bench,services,hostnetwork"));
        NetconformProcess generic = NetconformProcess.start(work.resolve("generic"), args("generic",
                "--exclude-tags", "bench,services,hostnetwork"));
        int strictExit = strict.await(Duration.ofMinutes(10));
        int genericExit = generic.await(Duration.ofMinutes(10));
        String strictOut = strict.output();
        assertThat(strictExit).as("exit code of %s; output:\n%s", strict, strictOut).isZero();
        assertThat(genericExit).as("exit code of %s; output:\n%s", generic, generic.output()).isZero();

        JsonNode s = summary("strict");
        String runA = s.path("runId").asText();
        String runB = summary("generic").path("runId").asText();
        assertThat(runA).isNotBlank().isNotEqualTo(runB);

        // connectivity: ICMP, TCP, UDP on the same node and across nodes, and pod -> ClusterIP service
        List<JsonNode> connectivity = checks(s, "connectivity");
        for (String kind : List.of("ICMP", "TCP", "UDP")) {
            for (String where : List.of("same node", "cross node")) {
                assertThat(connectivity).as("a passed %s check %s in %s", kind, where, connectivity)
                        .anySatisfy(c -> {
                            assertThat(c.path("name").asText()).contains(kind).contains(where);
                            assertThat(c.path("status").asText()).isEqualTo("PASSED");
                        });
            }
        }
        assertThat(connectivity).anySatisfy(c -> {
            assertThat(c.path("name").asText()).containsIgnoringCase("service");
            assertThat(c.path("status").asText()).isEqualTo("PASSED");
        });

        // MTU: 1450 on the cross-node path, MTU-28 passes, MTU-27 refused locally
        JsonNode mtu = s.path("mtu");
        assertThat(mtu.isArray() && mtu.size() > 0).as("mtu findings in summary.json: %s", mtu).isTrue();
        assertThat(mtu).anySatisfy(m -> {
            assertThat(m.path("sameNode").asBoolean()).isFalse();
            assertThat(m.path("interfaceMtu").asInt()).isEqualTo(1450);
            assertThat(m.path("passSize").asInt()).isEqualTo(1422);
            assertThat(m.path("passed").asBoolean()).isTrue();
            assertThat(m.path("failSizeOutcome").asText()).isEqualTo("REFUSED_LOCALLY");
        });

        // the CNI is unknown here: generic expectations, reported as such
        assertThat(strictOut).containsIgnoringCase("unknown");

        // DNS: search path and FQDN resolve, NXDOMAIN told apart from a timeout
        List<JsonNode> dns = checks(s, "dns");
        assertThat(dns).isNotEmpty().allSatisfy(c -> assertThat(c.path("status").asText()).as(c.toString())
                .isIn("PASSED", "SKIPPED"));
        assertThat(s.path("dns").toString()).contains("NXDOMAIN");

        // NetworkPolicy: detected as not enforced, said once, policy checks skipped as not supported
        assertThat(strictOut.split("does not enforce NetworkPolicy", -1).length - 1)
                .as("the console says once that policies are not enforced:\n%s", strictOut).isEqualTo(1);
        List<JsonNode> policy = checks(s, "polic");
        assertThat(policy).isNotEmpty().allSatisfy(c -> {
            assertThat(c.path("status").asText()).isEqualTo("SKIPPED");
            assertThat(c.path("message").asText()).contains("not supported by this CNI");
        });

        // reports
        Path reports = work.resolve("strict");
        try (Stream<Path> xml = Files.list(reports.resolve("junit"))) {
            assertThat(xml.filter(p -> p.toString().endsWith(".xml"))).isNotEmpty();
        }
        try (Stream<Path> allure = Files.list(reports.resolve("allure-results"))) {
            assertThat(allure.filter(p -> p.toString().endsWith("-result.json"))).isNotEmpty();
        }

        // nothing left: the runs' namespaces are gone (deletion takes up to ~90 s here) or terminating with an expiry
        for (String run : List.of(runA, runB)) {
            await("namespaces of run " + run + " deleted").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(3))
                    .until(() -> client.namespaces().withLabel("netconform.io/run", run).list().getItems().stream()
                            .allMatch(LabEndToEndTest::terminatingWithExpiry));
        }
    }

    static boolean terminatingWithExpiry(Namespace ns) {
        return "Terminating".equals(ns.getStatus().getPhase())
                && ns.getMetadata().getAnnotations().containsKey("netconform.io/expires");
    }

    @Test
    @Order(2)
    void wrongExpectedMtuFailsNamingBothValues() throws Exception {
        NetconformProcess p = NetconformProcess.start(work.resolve("mtu1500"),
                args("mtu1500", "--include-tags", "mtu", "--expect-mtu", "1500"));
        int exit = p.await(Duration.ofMinutes(6));
        String out = p.output();
        assertThat(exit).as(out).isEqualTo(1);
        assertThat(out).contains("1500").contains("1450");
    }

    @Test
    @Order(3)
    void requirePolicyFailsAndSaysWhy() throws Exception {
        NetconformProcess p = NetconformProcess.start(work.resolve("require-policy"),
                args("require-policy", "--include-tags", "policy", "--require-policy"));
        int exit = p.await(Duration.ofMinutes(6));
        String out = p.output();
        assertThat(exit).as(out).isEqualTo(1);
        assertThat(out).contains("does not enforce NetworkPolicy");
    }

    @Test
    @Order(4)
    void anImageTheClusterCannotPullFailsFastAsAnImageProblem() throws Exception {
        NetconformProcess p = NetconformProcess.start(work.resolve("absent-image"),
                args("absent-image", "--include-tags", "connectivity", "--netshoot-image", "k8s.lab/absent:1"));
        int exit = p.await(Duration.ofMinutes(5));
        String out = p.output();
        assertThat(exit).as(out).isEqualTo(2);
        assertThat(out).contains("k8s.lab/absent:1").containsIgnoringCase("image").containsAnyOf("ErrImagePull", "ImagePullBackOff");
        assertThat(out).doesNotContain("TIMEOUT").doesNotContain("Exception in thread");
        // "within a minute": the run reports how long its pods tried to start before it gave up
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("fleet could not start \\(after ([0-9.]+) s\\)").matcher(out);
        assertThat(m.find()).as("the run says when its pods failed:\n%s", out).isTrue();
        assertThat(Double.parseDouble(m.group(1))).as("seconds until the image problem was reported").isLessThan(60);
    }

    /** Last: restarts the lab without its DNS stand-in (K8SLAB_DNS=0); make e2e-lab brings it down afterwards. */
    @Test
    @Order(5)
    void aClusterWithoutDnsIsReportedClearlyNotAsACrash() throws Exception {
        String lab = System.getProperty("netconform.lab.dir");
        assumeTrue(lab != null, "netconform.lab.dir not set: cannot restart the lab without DNS");
        restartLab(Path.of(lab), "0");
        NetconformProcess p = NetconformProcess.start(work.resolve("no-dns"), args("no-dns", "--include-tags", "dns"));
        int exit = p.await(Duration.ofMinutes(5));
        String out = p.output();
        assertThat(exit).as(out).isEqualTo(1);
        assertThat(out).contains("no cluster DNS service").contains("kube-dns does not exist")
                .doesNotContain("Exception in thread").doesNotContain("\tat io.");
        JsonNode s = summary("no-dns");
        assertThat(checks(s, "dns")).isNotEmpty().anySatisfy(c -> {
            assertThat(c.path("status").asText()).isEqualTo("FAILED");
            assertThat(c.path("kind").asText()).isEqualTo("DNS");
        });
    }

    static void restartLab(Path lab, String dns) throws Exception {
        for (String script : List.of("down.sh", "up.sh")) {
            ProcessBuilder pb = new ProcessBuilder("bash", lab.resolve(script).toString()).redirectErrorStream(true)
                    .redirectOutput(work.resolve("lab-" + script + ".log").toFile());
            pb.environment().put("K8SLAB_DNS", dns);
            Process proc = pb.start();
            assertThat(proc.waitFor(10, java.util.concurrent.TimeUnit.MINUTES)).as(script + " finished").isTrue();
            assertThat(proc.exitValue()).as(script + " exit; see " + work.resolve("lab-" + script + ".log")).isZero();
        }
    }
}
