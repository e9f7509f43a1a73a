package io.netconform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netconform.report.SummaryFixtures;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The {@code netconform} command as a user meets it: help, version, argument errors, the "no cluster" and
 * "unreachable cluster" paths, and the offline commands end to end. No cluster, no Docker.
 */
class NetconformCliTest {

    static final Path POLICIES = Path.of(System.getProperty("netconform.policies", "../policies")).toAbsolutePath();
    static final List<String> COMMANDS = List.of("run", "sweep", "predict", "compare", "bench", "bench-compare", "gc");
    static final String TOKEN = "secret-token-abcdef0123456789";

    @TempDir
    Path dir;

    record Result(int exitCode, String out, String err, Duration elapsed) {
        String describe() {
            return "exit " + exitCode + " after " + elapsed.toMillis() + " ms\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    static Result netconform(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Netconform.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        long start = System.nanoTime();
        int code = cli.execute(args);
        return new Result(code, out.toString(), err.toString(), Duration.ofNanos(System.nanoTime() - start));
    }

    @Test
    void helpListsEveryCommand() {
        Result help = netconform("--help");
        assertThat(help.exitCode()).as(help.describe()).isZero();
        // the fixed list catches a command dropped from Netconform; the model catches one added without help
        assertThat(Netconform.commandLine().getSubcommands().keySet()).containsAll(COMMANDS);
        for (CommandLine sub : Netconform.commandLine().getSubcommands().values()) {
            String name = sub.getCommandName();
            assertThat(help.out()).as("netconform --help lists %s", name).containsPattern("(?m)^\\s+" + name + "\\s+\\S");
        }
        assertThat(help.out()).contains("Exit codes: 0");
    }

    static Stream<String> commands() {
        return COMMANDS.stream();
    }

    @ParameterizedTest(name = "{0} --help")
    @MethodSource("commands")
    void everyOptionOfEveryCommandIsDocumented(String command) {
        Result help = netconform(command, "--help");
        assertThat(help.exitCode()).as(help.describe()).isZero();
        CommandSpec spec = Netconform.commandLine().getSubcommands().get(command).getCommandSpec();
        assertThat(spec.usageMessage().description()).as("%s has a description", command).isNotEmpty();
        for (OptionSpec option : spec.options()) {
            assertThat(String.join(" ", option.description()).trim())
                    .as("%s %s has a description", command, option.longestName()).isNotEmpty();
            assertThat(help.out()).as("%s --help shows %s", command, option.longestName()).contains(option.longestName());
        }
        for (PositionalParamSpec parameter : spec.positionalParameters()) {
            assertThat(String.join(" ", parameter.description()).trim())
                    .as("%s %s has a description", command, parameter.paramLabel()).isNotEmpty();
            assertThat(help.out()).contains(parameter.paramLabel());
        }
    }

    @Test
    void runHelpShowsTheRunOptions() {
        Result help = netconform("run", "--help");
        assertThat(help.out()).contains("--kubeconfig=FILE", "--context=NAME", "--embedded=k3s|kind",
                "--probe-timeout=DURATION", "--include-tags=TAG", "--expect-mtu=BYTES", "--reports=DIR",
                "(default 2s)");
    }

    @Test
    void versionPrintsTheHarnessVersion() {
        Result version = netconform("--version");
        assertThat(version.exitCode()).as(version.describe()).isZero();
        assertThat(version.out().strip()).isEqualTo("netconform " + io.netconform.junit.Run.harnessVersion());
        assertThat(netconform("run", "--version").out().strip()).isEqualTo("netconform " + io.netconform.junit.Run.harnessVersion());
    }

    @Test
    void noCommandIsAUsageError() {
        Result none = netconform();
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("a command is required: run, predict");
    }

    static Stream<Arguments> badArguments() {
        return Stream.of(
                Arguments.of(List.of("run", "--no-such-flag"), List.of("Unknown option", "'--no-such-flag'")),
                Arguments.of(List.of("run", "--probe-timeout", "banana"), List.of("--probe-timeout", "'banana' is not a duration")),
                Arguments.of(List.of("run", "--pod-ready-timeout", "0s"), List.of("--pod-ready-timeout must be positive")),
                Arguments.of(List.of("run", "--expect-mtu", "100"), List.of("--expect-mtu", "576", "65535", "got 100")),
                Arguments.of(List.of("run", "--include-tags", "nope"), List.of("--include-tags", "'nope'", "connectivity")),
                Arguments.of(List.of("run", "--exclude-tags", "dns,nope"), List.of("--exclude-tags", "'nope'")),
                Arguments.of(List.of("run", "--embedded", "docker"), List.of("--embedded", "k3s or kind", "'docker'")),
                Arguments.of(List.of("run", "--max-node-pairs", "0"), List.of("--max-node-pairs", "at least 1", "got 0")),
                Arguments.of(List.of("run", "--max-node-pairs", "many"), List.of("--max-node-pairs", "'many'")),
                Arguments.of(List.of("run", "--parallel-suites", "0"), List.of("--parallel-suites 0", "1 to 32")),
                Arguments.of(List.of("bench", "--converge-timeout", "soon"), List.of("--converge-timeout", "'soon'")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badArguments")
    void badArgumentsExitTwoNamingTheOption(List<String> args, List<String> expected) {
        List<String> all = new ArrayList<>(args);
        // should validation ever let one through, the run must not litter the working directory
        all.addAll(List.of("--reports", dir.resolve("reports").toString()));
        Result result = netconform(all.toArray(String[]::new));
        assertThat(result.exitCode()).as(result.describe()).isEqualTo(2);
        assertThat(result.err()).as(result.describe()).contains(expected).doesNotContain("\tat ");
        assertThat(result.out()).isEmpty();
        assertThat(result.elapsed()).as(result.describe()).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void noKubeconfigAndNoDockerExitsTwoNamingEveryWayToGiveACluster() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        JavaProcess run = JavaProcess.netconform(dir, env -> {
            env.keySet().removeIf(name -> name.startsWith("KUBE") || name.startsWith("TESTCONTAINERS_"));
            env.put("HOME", home.toString());
            env.put("DOCKER_HOST", "unix:///nonexistent");
        }, Duration.ofSeconds(30), "run");
        System.out.printf("netconform run without a cluster (%s): exit %d after %d ms, JVM start included%n",
                JavaProcess.usesJar() ? JavaProcess.JAR : "test classpath", run.exitCode(), run.elapsed().toMillis());
        assertThat(run.exitCode()).as(run.describe()).isEqualTo(2);
        assertThat(run.err()).as(run.describe())
                .contains("No Kubernetes cluster to run against", "--kubeconfig", "KUBECONFIG", "~/.kube/config",
                        home.resolve(".kube/config").toString(), "--embedded")
                .doesNotContain("\tat ");
        assertThat(run.elapsed()).as(run.describe()).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void unreachableApiServerExitsTwoNamingTheUrlAndNoSecret() throws Exception {
        Kubeconfig dead = Kubeconfig.closedPort(dir);
        Result run = netconform("run", "--kubeconfig", dead.file().toString(), "--reports", dir.resolve("reports").toString());
        assertThat(run.exitCode()).as(run.describe()).isEqualTo(2);
        assertThat(run.err()).as(run.describe()).contains("https://127.0.0.1:" + dead.port(), dead.file().toString());
        dead.assertNoSecretIn(run.out() + run.err());
        assertThat(run.elapsed()).as(run.describe()).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void benchAgainstAnUnreachableApiServerGetsAsFarAsTheApiServer() throws Exception {
        // bench drives RunCommand itself: a run option it does not set (--parallel-suites once) must not fail it first
        Kubeconfig dead = Kubeconfig.closedPort(dir);
        Result bench = netconform("bench", "--kubeconfig", dead.file().toString(), "--reports", dir.resolve("reports").toString());
        assertThat(bench.exitCode()).as(bench.describe()).isEqualTo(2);
        assertThat(bench.err()).as(bench.describe()).contains("https://127.0.0.1:" + dead.port()).doesNotContain("--parallel-suites");
    }

    @Test
    void gcAgainstAnUnreachableApiServerExitsTwo() throws Exception {
        Kubeconfig dead = Kubeconfig.closedPort(dir);
        Result gc = netconform("gc", "--kubeconfig", dead.file().toString());
        assertThat(gc.exitCode()).as(gc.describe()).isEqualTo(2);
        assertThat(gc.err()).as(gc.describe()).startsWith("netconform gc: ").contains("https://127.0.0.1:" + dead.port());
        dead.assertNoSecretIn(gc.out() + gc.err());
        assertThat(gc.elapsed()).as(gc.describe()).isLessThan(Duration.ofSeconds(15));
    }

    /** A kubeconfig for a port nothing listens on, carrying a token and a client key that must never be printed. */
    record Kubeconfig(Path file, int port, String keyData, String keyBody) {

        static Kubeconfig closedPort(Path dir) throws Exception {
            int port;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            }
            String keyBody = Base64.getEncoder().encodeToString(
                    KeyPairGenerator.getInstance("EC").generateKeyPair().getPrivate().getEncoded());
            String pem = "-----BEGIN PRIVATE KEY-----\n" + keyBody + "\n-----END PRIVATE KEY-----\n";
            String keyData = Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
            Path file = Files.writeString(dir.resolve("dead.kubeconfig"), """
                    apiVersion: v1
                    kind: Config
                    clusters:
                    - name: dead
                      cluster:
                        server: https://127.0.0.1:%d
                        insecure-skip-tls-verify: true
                    users:
                    - name: admin
                      user:
                        token: %s
                        client-key-data: %s
                    contexts:
                    - name: dead
                      context: {cluster: dead, user: admin}
                    current-context: dead
                    """.formatted(port, TOKEN, keyData));
            return new Kubeconfig(file, port, keyData, keyBody);
        }

        void assertNoSecretIn(String output) {
            assertThat(output).as("printed a credential:\n%s", output)
                    .doesNotContain(TOKEN, "abcdef0123456789", keyData.substring(0, 24), keyBody.substring(0, 24));
        }
    }

    @Test
    void predictThroughTheJarPrintsEveryFlowAsJson() throws Exception {
        JavaProcess predict = JavaProcess.netconform(dir, env -> { }, Duration.ofSeconds(30), "predict",
                "--model", POLICIES.resolve("models/shop.yaml").toString(),
                "--policies", POLICIES.resolve("multi-tier").toString(), "--format", "json");
        assertThat(predict.exitCode()).as(predict.describe()).isZero();
        JsonNode root = new ObjectMapper().readTree(predict.out());
        JsonNode flows = root.get("flows");
        assertThat(flows).as(predict.describe()).hasSize(12);
        assertThat(root.fieldNames()).toIterable().containsExactly("schema", "flows", "policies", "rules");
        for (JsonNode flow : flows) {
            assertThat(flow.fieldNames()).toIterable()
                    .containsExactly("from", "to", "port", "protocol", "allowed", "ingress", "egress");
            assertThat(flow.get("from").asText()).matches("[a-z]+/[a-z]+");
            assertThat(flow.get("port").isInt()).isTrue();
            assertThat(flow.get("protocol").asText()).isIn("TCP", "UDP", "SCTP");
            assertThat(flow.get("allowed").isBoolean()).isTrue();
            for (String direction : List.of("ingress", "egress")) {
                // compact: indexes into the policies and rules tables, each present only when it applies
                assertThat(flow.get(direction).fieldNames()).toIterable().isSubsetOf("isolatedBy", "allowedBy");
                flow.get(direction).path("isolatedBy").forEach(i -> assertThat(root.get("policies").get(i.asInt())).isNotNull());
                if (flow.get(direction).has("allowedBy")) {
                    assertThat(root.get("rules").get(flow.get(direction).get("allowedBy").asInt())).isNotNull();
                }
            }
        }
        assertThat(flows).filteredOn(f -> f.get("allowed").asBoolean()).hasSize(7);
    }

    @Test
    void predictThroughTheJarReportsMalformedYamlByFileAndLine() throws Exception {
        Path model = Files.writeString(dir.resolve("broken-model.yaml"),
                "namespaces:\n  frontend: {ns: frontend}\npods:\n  - namespace: frontend\n    labels: {pod: web\n");
        JavaProcess predict = JavaProcess.netconform(dir, env -> { }, Duration.ofSeconds(30), "predict",
                "--model", model.toString(), "--policies", POLICIES.resolve("multi-tier").toString());
        assertThat(predict.exitCode()).as(predict.describe()).isEqualTo(2);
        assertThat(predict.err()).as(predict.describe()).startsWith("predict: " + model).containsPattern("line \\d+");
        assertThat(predict.output()).as(predict.describe()).doesNotContain("at io.", "\tat ", "Exception");
        assertThat(predict.out()).isEmpty();
    }

    @Test
    void compareExitCodesThroughTheCommandLine() {
        String before = SummaryFixtures.path("before.json").toString();
        String out = dir.toString();
        Result same = netconform("compare", before, SummaryFixtures.path("after-same.json").toString(), "--out", out);
        assertThat(same.exitCode()).as(same.describe()).isZero();
        Result flipped = netconform("compare", before, SummaryFixtures.path("after-flip.json").toString(), "--out", out);
        assertThat(flipped.exitCode()).as(flipped.describe()).isEqualTo(1);
        assertThat(flipped.out()).contains("**REGRESSED**");
        Result missing = netconform("compare", before, dir.resolve("nope.json").toString(), "--out", out);
        assertThat(missing.exitCode()).as(missing.describe()).isEqualTo(2);
        assertThat(missing.err()).contains("nope.json");
    }

    @Test
    void everyCommandAcceptsTheClusterOptionsItNeeds() {
        Map<String, CommandLine> sub = Netconform.commandLine().getSubcommands();
        for (String command : List.of("run", "bench", "gc")) {
            assertThat(sub.get(command).getCommandSpec().findOption("--kubeconfig")).as(command).isNotNull();
            assertThat(sub.get(command).getCommandSpec().findOption("--context")).as(command).isNotNull();
        }
    }
}
