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

/** Frontend → backend → database: each tier reachable only from the tier in front of it, on its own port. */
@PolicySuite
@Order(16)
@DisplayName("policy: multi-tier")
class MultiTierTest {

    static final Port WEB = Port.tcp(80);
    static final Port API = Port.tcp(8080);
    static final Port SQL = Port.tcp(5432);
    // one deployment for both cases: the one-namespace tiers in app, the shop of policies/models/shop.yaml in
    // frontend and backend (its database names its port "postgres" and the policy uses the name), and
    // outside/client. Every pod serves every tier's port, so a pair is blocked by policy, never by a missing listener.
    static final Topology TIERS = Topology.of("app/web", "app/api", "app/db",
                    "frontend/web", "backend/api", "backend/db", "outside/client")
            .withPodLabels("app/web", Map.of("tier", "frontend"))
            .withPodLabels("app/api", Map.of("tier", "backend"))
            .withPodLabels("app/db", Map.of("tier", "database"))
            .withPodLabels("frontend/web", Map.of("tier", "frontend"))
            .withPodLabels("backend/api", Map.of("tier", "backend"))
            .withPodLabels("backend/db", Map.of("tier", "database"))
            .serving(WEB, API, SQL)
            .servingOn("backend/db", WEB, API, SQL.named("postgres"));

    @Test
    @DisplayName("three tiers in one namespace, isolated for ingress and egress")
    void threeTiersInOneNamespace(Scenario scenario) {
        // app/web, app/api, app/db: the tiers, by label; outside/client (and the other case's pods): unselected pods
        // elsewhere, which only the frontend lets in (ingress from anywhere)
        Topology topology = TIERS;
        scenario.deploy(topology).apply("three-tier/app.yaml");

        // web and api are egress-isolated: each may open one path (web -> api:8080, api -> db:5432) and no other;
        // db's egress stays open, so db -> web:80 and anything -> client go through where ingress allows
        scenario.verify(WEB, Reachability.allAllowed(topology, WEB)
                .denyIngressTo("app/api").denyIngressTo("app/db")
                .denyEgressFrom("app/web").denyEgressFrom("app/api"));
        scenario.verify(API, Reachability.allAllowed(topology, API)
                .denyIngressTo("app/*")
                .denyEgressFrom("app/web").denyEgressFrom("app/api")
                .allow("app/web", "app/api"));
        scenario.verify(SQL, Reachability.allAllowed(topology, SQL)
                .denyIngressTo("app/*")
                .denyEgressFrom("app/web").denyEgressFrom("app/api")
                .allow("app/api", "app/db"));
    }

    @Test
    @DisplayName("tiers across namespaces: namespace AND pod selectors, a named database port, frontend egress")
    void tiersAcrossNamespaces(Scenario scenario) {
        // frontend/web, backend/api, backend/db: the shop; app/web carries the frontend label in the wrong namespace
        Topology topology = TIERS;
        scenario.deploy(topology).apply("multi-tier/");

        // backend is default-deny; web may only call the api (and DNS, outside the topology)
        scenario.verify(WEB, Reachability.allAllowed(topology, WEB)
                .denyIngressTo("backend/*")
                .denyEgressFrom("frontend/web"));
        scenario.verify(API, Reachability.allAllowed(topology, API)
                .denyIngressTo("backend/*")
                .denyEgressFrom("frontend/web")
                .allow("frontend/web", "backend/api"));
        scenario.verify(SQL, Reachability.allAllowed(topology, SQL)
                .denyIngressTo("backend/*")
                .denyEgressFrom("frontend/web")
                .allow("backend/api", "backend/db"));
    }
}
