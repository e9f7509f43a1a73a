package io.netconform.policy;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * The large {@code predict} workload both benchmarks use (the oracle in-process, and the command end to end): 600 pods
 * (30 namespaces x 20 pods) and 300 policies mixing every peer and port kind, one port.
 */
public final class PredictWorkload {

    public static final Port PORT = Port.tcp(8080);
    static final int NAMESPACES = 30;
    static final int PODS_PER_NAMESPACE = 20;
    static final int POLICIES_PER_NAMESPACE = 10;

    private PredictWorkload() {
    }

    public static Topology topology() {
        Topology t = Topology.empty();
        for (int n = 0; n < NAMESPACES; n++) {
            String ns = "ns" + n;
            t = t.withNamespace(ns, Map.of("ns", ns, "team", "team" + n % 5, "env", n % 3 == 0 ? "prod" : "dev"));
            for (int p = 0; p < PODS_PER_NAMESPACE; p++) {
                String name = "pod" + p;
                Map<String, String> labels = Map.of("pod", name, "app", "app" + p % 10, "tier", List.of("web", "api", "db", "cache").get(p % 4));
                List<Port> ports = List.of(Port.tcp(8080).named("http"), Port.tcp(9090).named("metrics"), Port.udp(53).named("dns"));
                t = t.withPod(new Topology.Pod(new PodId(ns, name), labels, ports, List.of("10.42." + n + "." + (p + 1))));
            }
        }
        return t;
    }

    /** Ten policies per namespace, each kind of selector, peer and port the oracle handles (seed 42). */
    public static List<NetworkPolicy> policies() {
        return policies(new Random(42));
    }

    private static List<NetworkPolicy> policies(Random random) {
        List<NetworkPolicy> policies = new ArrayList<>();
        for (int n = 0; n < NAMESPACES; n++) {
            String ns = "ns" + n;
            String team = "team" + random.nextInt(5);
            String app = "app" + random.nextInt(10);
            String tier = List.of("web", "api", "db", "cache").get(random.nextInt(4));
            List<String> specs = List.of(
                    "podSelector: {}\n  policyTypes: [Ingress]",
                    "podSelector: {matchLabels: {tier: " + tier + "}}\n  ingress: [{from: [{namespaceSelector: {matchLabels: {team: " + team + "}}, podSelector: {matchLabels: {app: " + app + "}}}], ports: [{port: 8080}]}]",
                    "podSelector: {matchExpressions: [{key: app, operator: In, values: [app1, app2, " + app + "]}]}\n  ingress: [{from: [{namespaceSelector: {matchExpressions: [{key: env, operator: NotIn, values: [prod]}]}}]}]",
                    "podSelector: {matchLabels: {tier: db}}\n  ingress: [{from: [{podSelector: {matchLabels: {tier: api}}}], ports: [{port: http}]}]",
                    "podSelector: {matchLabels: {app: " + app + "}}\n  ingress: [{from: [{ipBlock: {cidr: 10.42.0.0/16, except: [10.42." + random.nextInt(NAMESPACES) + ".0/24]}}], ports: [{port: 8000, endPort: 8100}]}]",
                    "podSelector: {}\n  policyTypes: [Egress]\n  egress: [{to: [{namespaceSelector: {}, podSelector: {matchLabels: {k8s-app: kube-dns}}}], ports: [{port: 53, protocol: UDP}]}]",
                    "podSelector: {matchExpressions: [{key: tier, operator: Exists}]}\n  policyTypes: [Egress]\n  egress: [{to: [{namespaceSelector: {matchLabels: {team: " + team + "}}}]}]",
                    "podSelector: {matchLabels: {tier: web}}\n  policyTypes: [Egress]\n  egress: [{to: [{podSelector: {matchLabels: {tier: api}}}, {namespaceSelector: {matchLabels: {env: dev}}, podSelector: {matchExpressions: [{key: tier, operator: DoesNotExist}]}}], ports: [{port: http}]}]",
                    "podSelector: {matchLabels: {tier: cache}}\n  ingress: [{}]",
                    "podSelector: {matchLabels: {app: " + app + "}}\n  egress: [{to: [{ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}}]}, {ports: [{port: 8080, protocol: TCP}]}]");
            for (int i = 0; i < POLICIES_PER_NAMESPACE; i++) {
                policies.add(PolicyCases.policy("metadata: {name: p" + i + ", namespace: " + ns + "}\nspec:\n  " + specs.get(i) + "\n"));
            }
        }
        return policies;
    }

    /** The workload as the files a user gives {@code predict}: a model YAML and one multi-document policy file. */
    public static void write(Path model, Path policyFile) throws IOException {
        Topology t = topology();
        try (Writer out = Files.newBufferedWriter(model)) {
            out.write("namespaces:\n");
            for (String ns : t.namespaces()) {
                out.write("  " + ns + ": " + flow(t.namespaceLabels(ns)) + "\n");
            }
            out.write("pods:\n");
            for (Topology.Pod pod : t.pods()) {
                out.write("  - {namespace: " + pod.id().namespace() + ", name: " + pod.id().name() + ", labels: "
                        + flow(pod.labels()) + ", ports: [" + pod.ports().stream()
                        .map(p -> "{port: " + p.number() + ", protocol: " + p.protocol() + ", name: " + p.name() + "}")
                        .collect(Collectors.joining(", ")) + "]}\n");
            }
        }
        List<String> docs = new ArrayList<>();
        for (NetworkPolicy policy : policies()) {
            docs.add(Serialization.asYaml(policy));
        }
        Files.writeString(policyFile, String.join("", docs));
    }

    private static String flow(Map<String, String> labels) {
        return labels.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
