package io.netconform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PredictCommandTest {

    static final Path POLICIES = Path.of(System.getProperty("netconform.policies", "../policies"));
    static final Path SHOP = POLICIES.resolve("models/shop.yaml");
    static final Path MULTI_TIER = POLICIES.resolve("multi-tier");

    @TempDir
    Path dir;

    record Run(int exitCode, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = InProcess.execute(new PrintWriter(out), new PrintWriter(err), "predict", args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void jsonListsEveryFlowToEveryServedPortWithBothExplanations() throws IOException {
        Run run = run("--model", SHOP.toString(), "--policies", MULTI_TIER.toString(), "--format", "json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode flows = new ObjectMapper().readTree(run.out()).get("flows");
        // 4 pods, each serving one port: 4 x 3 ordered pairs
        assertThat(flows).hasSize(12);
        List<String> verdicts = new ArrayList<>();
        flows.forEach(f -> verdicts.add(f.get("from").asText() + " -> " + f.get("to").asText() + " "
                + f.get("protocol").asText() + "/" + f.get("port").asInt() + " " + (f.get("allowed").asBoolean() ? "ALLOWED" : "BLOCKED")));
        assertThat(verdicts).containsExactly(
                "frontend/web -> backend/api TCP/8080 ALLOWED",
                "frontend/web -> backend/db TCP/5432 BLOCKED",
                "frontend/web -> outside/client TCP/80 BLOCKED",
                "backend/api -> frontend/web TCP/80 ALLOWED",
                "backend/api -> backend/db TCP/5432 ALLOWED",
                "backend/api -> outside/client TCP/80 ALLOWED",
                "backend/db -> frontend/web TCP/80 ALLOWED",
                "backend/db -> backend/api TCP/8080 BLOCKED",
                "backend/db -> outside/client TCP/80 ALLOWED",
                "outside/client -> frontend/web TCP/80 ALLOWED",
                "outside/client -> backend/api TCP/8080 BLOCKED",
                "outside/client -> backend/db TCP/5432 BLOCKED");
        JsonNode root = new ObjectMapper().readTree(run.out());
        assertThat(root.get("schema").asText()).isEqualTo("netconform.predict/v2");
        JsonNode apiToDb = flows.get(4);
        // compact explanations: policies and rules by index into the tables after the flows
        List<String> isolating = new ArrayList<>();
        apiToDb.get("ingress").get("isolatedBy").forEach(i -> isolating.add(root.get("policies").get(i.asInt()).asText()));
        assertThat(isolating).containsExactly("backend/default-deny-ingress", "backend/db-allows-api");
        assertThat(root.get("rules").get(apiToDb.get("ingress").get("allowedBy").asInt()).asText())
                .isEqualTo("backend/db-allows-api ingress rule 0, peer 0 (podSelector tier=backend in backend on [TCP/postgres])");
        assertThat(apiToDb.get("egress").has("isolatedBy")).as("not isolated for egress").isFalse();
        assertThat(apiToDb.get("egress").has("allowedBy")).isFalse();
        JsonNode dbToApi = flows.get(7);
        assertThat(dbToApi.get("ingress").has("isolatedBy")).isTrue();
        assertThat(dbToApi.get("ingress").has("allowedBy")).as("blocked: no rule allows it").isFalse();
    }

    @Test
    void matrixGivesOnlyTheVerdictsOneRowPerSourcePod() throws IOException {
        Run run = run("--model", SHOP.toString(), "--policies", MULTI_TIER.toString(), "--format", "matrix",
                "--port", "80");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(run.out());
        assertThat(root.get("pods").toString())
                .isEqualTo("[\"frontend/web\",\"backend/api\",\"backend/db\",\"outside/client\"]");
        JsonNode tcp80 = root.get("matrices").get(0);
        assertThat(tcp80.get("protocol").asText() + "/" + tcp80.get("port").asInt()).isEqualTo("TCP/80");
        // the same verdicts as the table form's grid for TCP/80
        assertThat(tcp80.get("rows").toString()).isEqualTo("[\"-XXX\",\".-X.\",\".X-.\",\".XX-\"]");
    }

    @Test
    void portAndProtocolFilterTheFlows() throws IOException {
        Run run = run("--model", SHOP.toString(), "--policies", MULTI_TIER.toString(), "--format", "json",
                "--port", "8080", "--protocol", "tcp");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode flows = new ObjectMapper().readTree(run.out()).get("flows");
        assertThat(flows).hasSize(3).allMatch(f -> f.get("to").asText().equals("backend/api"));
    }

    @Test
    void tablePrintsAGridPerPortAndWhyEachBlockedPairIsBlocked() {
        Run run = run("--model", SHOP.toString(), "--policies", MULTI_TIER.toString(), "--port", "80");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("""
                TCP/80         frontend/web backend/api backend/db outside/client
                frontend/web   -            X           X          X
                backend/api    .            -           X          .
                backend/db     .            X           -          .
                outside/client .            X           X          -

                  frontend/web -> outside/client blocked: egress isolated for egress by [frontend/web-egress]; \
                no egress rule allows outside/client on TCP/80

                """);
    }

    @Test
    void explainsMixedClusterNetworkPolicyAndNetworkPolicyTierByTier() throws IOException {
        Path tenants = POLICIES.resolve("models/tenants.yaml");
        Path mixed = POLICIES.resolve("clusterpolicy/pass-to-networkpolicy.yaml");
        Run table = run("--model", tenants.toString(), "--policies", mixed.toString());
        assertThat(table.exitCode()).as(table.err()).isZero();
        assertThat(table.out()).startsWith("""
                TCP/80 x/a x/b y/a y/b
                x/a    -   .   .   .
                x/b    .   -   X   X
                y/a    .   .   -   X
                y/b    .   .   X   -
                """).contains("  x/b -> y/a blocked: ingress Admin ClusterNetworkPolicy delegate-x rule \"pass-from-x\" Pass"
                + " (from namespaces ns=x) → NetworkPolicy isolated for ingress by [y/allow-x-a]; no ingress rule allows"
                + " x/b on TCP/80");

        Run json = run("--model", tenants.toString(), "--policies", mixed.toString(), "--format", "json");
        assertThat(json.exitCode()).as(json.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(json.out());
        JsonNode xaToYa = root.get("flows").get(1);
        assertThat(xaToYa.get("to").asText()).isEqualTo("y/a");
        assertThat(xaToYa.get("allowed").asBoolean()).isTrue();
        assertThat(xaToYa.get("ingress").get("allows").asBoolean()).isTrue();
        List<String> steps = new ArrayList<>();
        xaToYa.get("ingress").get("steps").forEach(i -> steps.add(root.get("rules").get(i.asInt()).asText()));
        assertThat(steps).containsExactly(
                "Admin ClusterNetworkPolicy delegate-x rule \"pass-from-x\" Pass (from namespaces ns=x)",
                "NetworkPolicy y/allow-x-a allows (ingress rule 0, peer 0 (namespaceSelector ns=x AND podSelector pod=a))");
    }

    @Test
    void invalidClusterNetworkPolicyExitsTwoNamingFileLineAndField() throws IOException {
        Path bad = Files.writeString(dir.resolve("cnp.yaml"), """
                apiVersion: policy.networking.k8s.io/v1alpha2
                kind: ClusterNetworkPolicy
                metadata: {name: c}
                spec:
                  tier: Admin
                  priority: 10
                  subject: {namespaces: {}}
                  ingress:
                  - action: Allow
                    from: [{namespaces: {}}]
                """);
        Run run = run("--model", POLICIES.resolve("models/tenants.yaml").toString(), "--policies", bad.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("predict: " + bad + ": line 9 (document 1, ClusterNetworkPolicy c):"
                + " spec.ingress[0].action: 'Allow' is not an action of ClusterNetworkPolicy (expected Accept, Deny or Pass)\n");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void badPolicyFileExitsTwoNamingFileAndLine() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.yaml"),
                "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: a\n   oops: [\n");
        Run run = run("--model", SHOP.toString(), "--policies", bad.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("predict: " + bad + ": line 5, column").contains("malformed YAML");
        assertThat(run.err()).doesNotContain("\tat ");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void wrongKindAndBadOperatorExitTwo() throws IOException {
        Path pod = Files.writeString(dir.resolve("pod.yaml"), "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n");
        Run wrongKind = run("--model", SHOP.toString(), "--policies", pod.toString());
        assertThat(wrongKind.exitCode()).isEqualTo(2);
        assertThat(wrongKind.err()).contains(pod + ": document 1 (line 1): expected a NetworkPolicy").contains("kind Pod");

        Path op = Files.writeString(dir.resolve("op.yaml"), """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: op, namespace: backend}
                spec:
                  podSelector: {matchExpressions: [{key: tier, operator: Has}]}
                """);
        Run badOperator = run("--model", SHOP.toString(), "--policies", op.toString());
        assertThat(badOperator.exitCode()).isEqualTo(2);
        assertThat(badOperator.err()).contains("operator 'Has' is not a valid selector operator");
    }

    @Test
    void badModelAndBadOptionsExitTwo() throws IOException {
        Path model = Files.writeString(dir.resolve("MODEL.yaml"), "namespaces: {x: {}}\npods:\n  - {namespace: y, name: a}\n");
        Run badModel = run("--model", model.toString(), "--policies", MULTI_TIER.toString());
        assertThat(badModel.exitCode()).isEqualTo(2);
        assertThat(badModel.err()).contains(model + ": pods[0] (y/a): namespace 'y' is not declared");

        Run missing = run("--model", dir.resolve("none.yaml").toString(), "--policies", MULTI_TIER.toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("none.yaml: no such model file");

        Run protocol = run("--model", SHOP.toString(), "--policies", MULTI_TIER.toString(), "--protocol", "ICMP");
        assertThat(protocol.exitCode()).isEqualTo(2);
        assertThat(protocol.err()).contains("unknown protocol 'ICMP'");

        Run unserved = run("--model", SHOP.toString(), "--policies", MULTI_TIER.toString(), "--port", "9999");
        assertThat(unserved.exitCode()).isEqualTo(2);
        assertThat(unserved.err()).contains("no pod in").contains("serves port 9999");
    }
}
