package io.netconform.junit;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.netconform.exec.PodRef;
import io.netconform.policy.ClusterPolicy;
import io.netconform.policy.PodId;
import io.netconform.policy.Port;
import io.netconform.policy.Topology;
import io.netconform.probe.Verification;
import io.netconform.report.Failing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * No cluster: deploy gives pods made-up IPs, policies are only remembered, and verify stops after the oracle check.
 * The made-up IPs are private (10.42.0.0/16, a common pod CIDR) because real pod IPs are: an ipBlock case that
 * excepts the private ranges must see the same pods inside them offline as on a cluster.
 */
final class OracleBackend implements ScenarioBackend {

    @Override
    public Deployed deploy(Topology wanted) {
        Topology t = wanted;
        Map<PodId, PodRef> pods = new LinkedHashMap<>();
        int n = 0;
        for (PodId id : wanted.podIds()) {
            n++;
            t = t.withIp(id.toString(), "10.42." + n / 256 + "." + n % 256);
            pods.put(id, new PodRef(id.namespace(), id.name(), Fleet.CONTAINER));
        }
        return new Deployed(t, RealNamespaces.identity(wanted.namespaces()), pods);
    }

    @Override
    public void apply(NetworkPolicy logical) {
    }

    @Override
    public void remove(NetworkPolicy logical) {
    }

    @Override
    public NetworkPolicy stored(NetworkPolicy logical) {
        return logical;
    }

    @Override
    public void requireClusterPolicyApi(ClusterPolicy policy) {
    }

    @Override
    public void apply(ClusterPolicy policy) {
    }

    @Override
    public Verification verify(Port port, List<FamilyExpectation> families) {
        return null;
    }

    @Override
    public <T extends Throwable & Failing<T>> T evidence(T failure, List<PodRef> involved) {
        return failure;
    }

    @Override
    public void close() {
    }
}
