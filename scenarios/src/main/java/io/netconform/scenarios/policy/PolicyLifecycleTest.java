package io.netconform.scenarios.policy;

import io.netconform.junit.PolicySuite;
import io.netconform.junit.Scenario;
import io.netconform.policy.Port;
import io.netconform.policy.Reachability;
import io.netconform.policy.Topology;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** Enforcement follows the API: a policy added, changed in place and deleted takes effect each time. */
@PolicySuite
@Order(19)
@DisplayName("policy: lifecycle")
class PolicyLifecycleTest {

    static final Port HTTP = Port.tcp(8080);

    @Test
    @DisplayName("a policy added, changed and removed mid-test: every step is observed")
    void addedChangedRemoved(Scenario scenario) {
        // app/client is allowed first and app/other second, so each step flips two pairs in opposite directions:
        // a CNI that ignores updates, or only ever adds rules, fails a step
        Topology topology = Topology.of("app/server", "app/client", "app/other").serving(HTTP);
        scenario.deploy(topology);
        scenario.verify(HTTP, Reachability.allAllowed(topology, HTTP));

        scenario.apply("lifecycle/allow-client.yaml");
        scenario.verify(HTTP, Reachability.allAllowed(topology, HTTP)
                .denyIngressTo("app/server")
                .allow("app/client", "app/server"));

        scenario.apply("lifecycle/allow-other.yaml");
        scenario.verify(HTTP, Reachability.allAllowed(topology, HTTP)
                .denyIngressTo("app/server")
                .allow("app/other", "app/server"));

        // deleting the only policy that selects the server ends its isolation
        scenario.remove("app/server-ingress");
        scenario.verify(HTTP, Reachability.allAllowed(topology, HTTP));
    }
}
