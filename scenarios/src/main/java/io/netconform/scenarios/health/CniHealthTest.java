package io.netconform.scenarios.health;

import io.netconform.cni.CniDetector;
import io.netconform.cni.CniHealth;
import io.netconform.junit.ConformanceSuite;
import io.netconform.junit.Run;
import io.netconform.report.CheckFailure;
import io.netconform.report.FailureKind;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

import java.util.List;

/**
 * Runs after the other suites: the CNI's pods must still be ready and must not have restarted while the run probed
 * them — a CNI agent that crashes under probe traffic explains a red run better than any single wrong pair.
 */
@ConformanceSuite
@Isolated // judges the whole run, so it runs after every other suite
@Tag("connectivity")
@Tag("mtu")
@Tag("dns")
@Tag("policy")
@Order(Integer.MAX_VALUE)
@DisplayName("cni health")
class CniHealthTest {

    @Test
    @DisplayName("CNI pods stayed ready and did not restart during the run")
    void cniPodsStayedHealthy(Run run) {
        CniHealth start = run.cni().health();
        CniHealth now = CniDetector.health(run.cluster().client(), run.cni());
        if (!now.observed()) {
            throw new TestAbortedException("no CNI pods to watch (" + run.cni().name() + " CNI: configured on the nodes"
                    + " or embedded in the node agent)");
        }
        int restarts = now.restartsSince(start);
        if (!now.healthy() || restarts > 0) {
            // a finding about the CNI, not a failure to look: FAILED with kind INFRA, evidence of the CNI pods collected
            throw run.withEvidence("CniHealthTest", CheckFailure.of(FailureKind.INFRA, "the CNI is not healthy: "
                    + now.message() + (restarts > 0 ? "; " + restarts + " restart(s) during this run: "
                    + now.podsRestartedSince(start) : ""))
                    .reproduce("kubectl get pods -n kube-system -o wide; kubectl describe pod -n kube-system <pod>"), List.of());
        }
    }
}
