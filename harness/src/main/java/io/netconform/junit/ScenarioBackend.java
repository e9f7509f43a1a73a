package io.netconform.junit;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.netconform.exec.PodRef;
import io.netconform.policy.ClusterPolicy;
import io.netconform.policy.IpFamily;
import io.netconform.policy.PodId;
import io.netconform.policy.PolicyOracle;
import io.netconform.policy.Port;
import io.netconform.policy.Reachability;
import io.netconform.policy.Topology;
import io.netconform.probe.Verification;
import io.netconform.report.Failing;

import java.util.List;
import java.util.Map;

/**
 * Where a {@link Scenario}'s steps happen: on the cluster ({@link LiveBackend}), or nowhere but the oracle
 * ({@link OracleBackend}, the project's offline check of every policy case). {@link Scenario} keeps what a case
 * applied and checks its expectation against the oracle; the backend does the rest. Policies arrive in logical
 * namespaces that {@link #deploy} returned.
 */
interface ScenarioBackend extends AutoCloseable {

    /** A topology as deployed: the pods' IPs, their real names and the namespace names. */
    record Deployed(Topology topology, RealNamespaces namespaces, Map<PodId, PodRef> pods) {
    }

    Deployed deploy(Topology wanted);

    /** Creates or replaces a NetworkPolicy. */
    void apply(NetworkPolicy logical);

    void remove(NetworkPolicy logical);

    /** The policy as the API server stored it (offline: as given). */
    NetworkPolicy stored(NetworkPolicy logical);

    /** Skips the case (TestAbortedException) when the cluster cannot take the kind; called before anything is created. */
    void requireClusterPolicyApi(ClusterPolicy policy);

    /** Creates a cluster-scoped policy restricted to this run's namespaces. */
    void apply(ClusterPolicy policy);

    /**
     * What one IP family's traffic should do on a port, and the oracle over that family's addresses (it explains why).
     * The families differ only where an ipBlock or networks peer names addresses of one family.
     */
    record FamilyExpectation(IpFamily family, Reachability expected, PolicyOracle oracle) {
    }

    /**
     * Probes every family's expectation (the oracle already agreed with the case's); fails with grids, reasons and
     * reproduce lines. Offline there is nothing to observe: null.
     */
    Verification verify(Port port, List<FamilyExpectation> families);

    /** Collects the evidence of a failed or broken check and records where it went on it; offline nothing. */
    <T extends Throwable & Failing<T>> T evidence(T failure, List<PodRef> involved);

    /** Removes what the scenario created (shared deployments are put back for the next case instead). */
    @Override
    void close();
}
