package io.netconform.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import com.fasterxml.jackson.databind.JsonNode;
import io.qameta.allure.Allure;
import io.qameta.allure.AllureLifecycle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

/**
 * Runs a tiny suite through the JUnit Platform Launcher with Allure's listener (registered by
 * allure-junit-platform's service file, as in the real CLI) and checks the files Allure wrote.
 */
class AllureResultsFilesTest {

    static final String SAMPLE_SWITCH = "netconform.report.sample";
    static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2EifQ.c2lnbmF0dXJlLXNlY3JldA";
    static final String CLIENT_KEY = "LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlFb3dJQkFBS0NBUUVBc2VjcmV0";
    static final String KUBECONFIG = """
            apiVersion: v1
            kind: Config
            clusters:
            - cluster:
                certificate-authority-data: LS0tQ0EtREFUQS1TRUNSRVQtLS0=
                server: https://rke2.example:6443
              name: lab
            users:
            - name: admin
              user:
                token: %s
                client-key-data: %s
            """.formatted(TOKEN, CLIENT_KEY);

    private AllureLifecycle previous;

    @BeforeEach
    void keepOuterLifecycle() {
        previous = Allure.getLifecycle();
    }

    @AfterEach
    void restoreOuterLifecycle() {
        Allure.setLifecycle(previous);
        System.clearProperty(SAMPLE_SWITCH);
    }

    /** The suite run by the launcher below; switched off when surefire or an IDE finds it on its own. */
    @EnabledIfSystemProperty(named = SAMPLE_SWITCH, matches = "true")
    static class Sample {
        @Test
        void podsReachEachOther() {
            Report.parameter("port", "TCP/8080");
            Report.step("probe web -> api", () -> Report.attachText("probe output", "HTTP/1.1 200 OK\n"));
            Report.attachHtml("reachability", Report.gridHtml("TCP/8080", List.of("web", "api"), List.of("web", "api"),
                    (r, c) -> r.equals(c) ? "-" : ".", (r, c) -> false));
        }

        @Test
        void apiIsolated() {
            Report.attachYaml("kubeconfig used", KUBECONFIG);
            Report.attachText("exec", "curl -H 'Authorization: Bearer " + TOKEN + "' https://api");
            throw CheckFailure.of(FailureKind.POLICY_NOT_ENFORCED, "web -> db expected BLOCKED, got ALLOWED");
        }

        @Test
        void imagePulls() {
            throw new IllegalStateException("pod nc-1/client: ErrImagePull nicolaka/netshoot:v0.13 (client config:\n"
                    + KUBECONFIG + ")");
        }
    }

    @Test
    void resultsNameStatusParametersAndAttachmentsOnDisk(@TempDir Path reports) throws IOException {
        Path results = AllureResults.prepare(reports.resolve("allure-results"), false);
        AllureResults.writeEnvironment(results, Map.of("kubernetes.version", "v1.31.4+rke2r1"));
        runSample();

        List<JsonNode> tests = resultFiles(results);
        assertThat(tests).extracting(t -> t.get("name").asText())
                .containsExactlyInAnyOrder("podsReachEachOther()", "apiIsolated()", "imagePulls()");
        JsonNode pass = byName(tests, "podsReachEachOther()");
        assertThat(pass.get("status").asText()).isEqualTo("passed");
        assertThat(pass.get("parameters")).anySatisfy(p -> {
            assertThat(p.get("name").asText()).isEqualTo("port");
            assertThat(p.get("value").asText()).isEqualTo("TCP/8080");
        });
        assertThat(pass.get("steps")).singleElement().satisfies(step -> {
            assertThat(step.get("name").asText()).isEqualTo("probe web -> api");
            assertThat(step.get("status").asText()).isEqualTo("passed");
            assertAttachmentsOnDisk(results, step, "probe output");
        });
        assertAttachmentsOnDisk(results, pass, "reachability");

        JsonNode failed = byName(tests, "apiIsolated()");
        assertThat(failed.get("status").asText()).isEqualTo("failed");
        assertThat(failed.at("/statusDetails/message").asText()).startsWith("[policy-not-enforced]");
        assertAttachmentsOnDisk(results, failed, "kubeconfig used", "exec");
        assertThat(byName(tests, "imagePulls()").get("status").asText()).isEqualTo("broken");

        assertThat(results.resolve("categories.json")).exists();
        assertThat(results.resolve("environment.properties")).content()
                .isEqualTo("kubernetes.version=v1.31.4+rke2r1\n");
    }

    @Test
    void noSecretFromTheKubeconfigInAnyResultFile(@TempDir Path reports) throws IOException {
        Path results = AllureResults.prepare(reports.resolve("allure-results"), false);
        for (String key : List.of("user.token", "client-key-data", "kubeconfig", "registry.password")) {
            assertThatThrownBy(() -> AllureResults.writeEnvironment(results, Map.of(key, "x")))
                    .hasMessageContaining("\"" + key + "\"");
        }
        AllureResults.writeEnvironment(results, Map.of("cluster.user", "admin",
                "cluster.server", "https://admin:" + TOKEN + "@rke2.example:6443", "note", "token: " + TOKEN));
        runSample();
        new SummaryRecorder("run-1", "0.1.0")
                .cluster(new Summary.Cluster("https://admin:" + TOKEN + "@rke2.example:6443/?token=" + TOKEN,
                        "v1.31", "rke2", 3, List.of("IPv4")))
                .cni(Map.of("name", "canal", "config", KUBECONFIG))
                .check("policy/api", "policy", "api isolated", new AssertionError("kubeconfig was\n" + KUBECONFIG),
                        java.time.Duration.ofMillis(5), Map.of("auth", "Bearer " + TOKEN))
                .write(reports.resolve("summary.json"));

        List<Path> files;
        try (Stream<Path> walk = Files.walk(reports)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertThat(files).hasSizeGreaterThan(6);
        for (Path file : files) {
            String content = Files.readString(file);
            assertThat(content).as(file.toString())
                    .doesNotContain(TOKEN, CLIENT_KEY, "LS0tQ0EtREFUQS1TRUNSRVQtLS0=", "c2lnbmF0dXJlLXNlY3JldA");
        }
        assertThat(reports.resolve("summary.json")).content().contains("\"server\" : \"https://rke2.example:6443\"");
    }

    @Test
    void prepareClearsOldResultsAndCarriesHistory(@TempDir Path reports) throws IOException {
        Path results = reports.resolve("allure-results");
        Files.createDirectories(results.resolve("sub"));
        Files.writeString(results.resolve("old-result.json"), "{}");
        Files.createDirectories(reports.resolve("history"));
        Files.writeString(reports.resolve("history/history-trend.json"), "[{\"buildOrder\":7}]");

        AllureResults.prepare(results, true);

        assertThat(results.resolve("old-result.json")).doesNotExist();
        assertThat(results.resolve("sub")).doesNotExist();
        assertThat(results.resolve("history/history-trend.json")).hasContent("[{\"buildOrder\":7}]");
        assertThat(System.getProperty(AllureResults.RESULTS_DIRECTORY_PROPERTY))
                .isEqualTo(results.toAbsolutePath().toString());

        AllureResults.prepare(results, false);
        assertThat(results.resolve("history")).doesNotExist();
    }

    private static void runSample() {
        System.setProperty(SAMPLE_SWITCH, "true");
        var summary = new SummaryGeneratingListener();
        // created after prepare(): the service-loaded AllureJunitPlatform takes the lifecycle prepare() set
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(Sample.class)).build(), summary);
        assertThat(summary.getSummary().getTestsStartedCount()).as("sample tests started").isEqualTo(3);
    }

    private static List<JsonNode> resultFiles(Path results) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(results)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith("-result.json")).toList()) {
                out.add(Json.MAPPER.readTree(f.toFile()));
            }
        }
        return out;
    }

    private static JsonNode byName(List<JsonNode> tests, String name) {
        return tests.stream().filter(t -> t.get("name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no result named " + name + " among "
                        + tests.stream().map(t -> t.get("name").asText()).toList()));
    }

    private static void assertAttachmentsOnDisk(Path results, JsonNode node, String... names) {
        List<String> seen = new ArrayList<>();
        for (JsonNode a : node.path("attachments")) {
            seen.add(a.get("name").asText());
            assertThat(results.resolve(a.get("source").asText())).as("attachment " + a).isRegularFile();
        }
        assertThat(seen).contains(names);
    }
}
