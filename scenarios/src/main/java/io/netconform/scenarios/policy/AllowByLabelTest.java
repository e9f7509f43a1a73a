package io.netconform.scenarios.policy;

import io.netconform.junit.PolicySuite;
import io.netconform.junit.Scenario;
import io.netconform.policy.Port;
import io.netconform.policy.Reachability;
import io.netconform.policy.Topology;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.util.Map;

/** Ingress holes selected by pod labels, namespace labels, and both. */
@PolicySuite
@Order(15)
@DisplayName("policy: allow by label")
class AllowByLabelTest {

    static final Port HTTP = Port.tcp(80);
    static final Port OTHER = Port.tcp(8080);
    static final Port METRICS = Port.tcp(9090);
    // one deployment for the three cases: each case's pods live in namespaces of their own, so its policies select
    // only its pods (a pair's verdict depends only on the policies selecting its two ends); the cases say why each
    // of their pods is there. Every pod serves every case's ports.
    static final Topology LABELS = Topology.of(
                    "web/nginx", "web/frontend", "web/other", "shop/frontend",
                    "app/api", "app/worker", "monitoring/prometheus", "other/client",
                    "db/strict", "db/loose", "ops/admin", "ops/intern", "dev/admin")
            .withPodLabels("web/nginx", Map.of("app", "nginx"))
            .withPodLabels("web/frontend", Map.of("app", "frontend"))
            .withPodLabels("shop/frontend", Map.of("app", "frontend"))
            .withNamespaceLabels("monitoring", Map.of("name", "monitoring"))
            .withNamespaceLabels("other", Map.of("name", "other"))
            .withPodLabels("ops/admin", Map.of("role", "admin"))
            .withPodLabels("dev/admin", Map.of("role", "admin"))
            .serving(HTTP, OTHER, METRICS);

    @Test
    @DisplayName("deny-all plus allow: nginx accepts frontend pods of its namespace on 80 only")
    void denyAllThenAllowByPodLabel(Scenario scenario) {
        // web/nginx (app=nginx) and web/frontend (app=frontend): the hole and who may use it
        // web/other: same namespace, no app label — the label, not the namespace, opens the hole
        // shop/frontend: the right label in another namespace — a podSelector-only peer means "my namespace"
        // 8080: a port the rule does not list
        Topology topology = LABELS;
        scenario.deploy(topology).apply("allow-by-label/allow-nginx.yaml");

        scenario.verify(HTTP, Reachability.allAllowed(topology, HTTP)
                .denyIngressTo("web/*")
                .allow("web/frontend", "web/nginx"));
        scenario.verify(OTHER, Reachability.allAllowed(topology, OTHER)
                .denyIngressTo("web/*"));
    }

    @Test
    @DisplayName("allow from a namespace: every pod of app accepts the monitoring namespace on the metrics port")
    void allowFromNamespace(Scenario scenario) {
        // monitoring (name=monitoring) is let in; other/client carries a `name` label too, with another value: the
        // value decides, not the key. app/worker: podSelector {} selects every pod of app, not just one; it is also a
        // same-namespace client, which the policy does not let in either
        Topology topology = LABELS;
        scenario.deploy(topology).apply("allow-by-label/from-namespace.yaml");

        scenario.verify(METRICS, Reachability.allAllowed(topology, METRICS)
                .denyIngressTo("app/*")
                .allow("monitoring/prometheus", "app/*"));
        scenario.verify(OTHER, Reachability.allAllowed(topology, OTHER)
                .denyIngressTo("app/*"));
    }

    @Test
    @DisplayName("namespaceSelector and podSelector: one peer is AND, two peers are OR")
    void namespaceAndPodSelectorInOnePeerOrTwo(Scenario scenario) {
        // ops/admin (role=admin) matches both selectors: the only pod the one-peer (AND) policy lets into db/strict
        // ops/intern matches only the namespace: in through the two-peer (OR) policy, not the AND one
        // dev/admin (role=admin) matches only the pod selector, in another namespace: in through neither, because
        // the OR policy's podSelector-only peer looks in db
        Topology topology = LABELS;
        scenario.deploy(topology).apply("allow-by-label/namespace-and-pod.yaml");

        scenario.verify(HTTP, Reachability.allAllowed(topology, HTTP)
                .denyIngressTo("db/*")
                .allow("ops/admin", "db/strict")
                .allow("ops/*", "db/loose"));
    }
}
