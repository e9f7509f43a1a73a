package io.netconform.sweep;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.netconform.junit.Deployment;
import io.netconform.junit.Run;
import io.netconform.policy.ClusterPolicy;
import io.netconform.policy.IpFamily;
import io.netconform.policy.PodId;
import io.netconform.policy.PolicyOracle;
import io.netconform.policy.Port;
import io.netconform.policy.Protocol;
import io.netconform.policy.Reachability;
import io.netconform.policy.Topology;
import io.netconform.probe.BatchProber;
import io.netconform.probe.Probe;
import io.netconform.probe.ProbeKey;
import io.netconform.probe.ProbeRequest;
import io.netconform.probe.ProbedPair;
import io.netconform.probe.ProbeResult;
import io.netconform.probe.Verdict;
import io.netconform.probe.Verification;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs sweep cases on one deployment of the {@link SweepModel}: per case, proves the previous case left nothing
 * (no policy in the API, every pair open again on every port), applies the case's policies (ClusterNetworkPolicies
 * through {@link CaseClusterPolicies}), checks every ordered pair on every port against the oracle (one exec per source
 * pod, only mismatches re-probed until the converge deadline), performs the action and checks again, then removes the
 * policies and restores the labels.
 */
public final class SweepRunner {

    private final Run run;
    private final Deployment deployment;
    private final BatchProber prober;
    private final Capabilities caps;
    private final List<Port> ports;
    private final Duration converge;
    private final CaseClusterPolicies caseClusterPolicies;

    private SweepRunner(Run run, Deployment deployment, BatchProber prober, Capabilities caps, Duration converge) {
        this.run = run;
        this.deployment = deployment;
        this.prober = prober;
        this.caps = caps;
        this.ports = SweepModel.probedPorts(caps.sctp());
        this.converge = converge;
        this.caseClusterPolicies = new CaseClusterPolicies(run.cluster().client(), run.clusterPolicies(), run.id(),
                deployment.namespaces());
    }

    /**
     * Deploys the model once (SCTP ports declared; whether SCTP is carried is then asked with one probe).
     * {@code confirm}: null, or the wait after which each step's every pair is probed once more.
     */
    public static SweepRunner deploy(Run run, Duration confirm) {
        Deployment deployment = Deployment.create(run, "sweep", SweepModel.topology(true));
        // all nine pods at once: each carries its 36 probes in one process (SocketBatch) and the servers echo from one
        // process each, so a round no longer starts hundreds of processes on the nodes (it did with a tool per probe,
        // and three pods at a time was then all a 2-core node could take within a probe timeout)
        // and each pod's probes go through a resident agent: the same nine pods are probed two or three times per case,
        // and an exec per pod per round cost more than the probing (≈2.5 s a round on the lab, most of a case)
        BatchProber prober = new BatchProber(run.executor(), run.config().probeTimeout())
                .withPollInterval(Duration.ofMillis(200)).withAgents(run.agents()).withConfirmation(confirm);
        Topology t = deployment.topology();
        Port sctp = new Port(80, Protocol.SCTP, null);
        ProbeResult probe = Probe.port(t.pod("y/b").ips().get(0), sctp, run.config().probeTimeout())
                .run(run.executor(), deployment.pod(PodId.of("x/a")));
        boolean sctpCarried = probe.verdict() == Verdict.ALLOWED;
        if (!sctpCarried && !(probe.verdict() == Verdict.ERROR && probe.detail().contains("not supported"))) {
            run.say("sweep: SCTP x/a -> y/b was " + probe + " (not 'not supported'): SCTP cases are left out\n  reproduce: "
                    + probe.reproduce());
        }
        Capabilities caps = new Capabilities(sctpCarried, Capabilities.endPortServed(run.cluster().kubernetesVersion()));
        return new SweepRunner(run, deployment, prober, caps, run.config().convergeTimeout());
    }

    public Capabilities capabilities() {
        return caps;
    }

    /** The deployed model with its IPs and base labels. */
    public Topology model() {
        return deployment.topology();
    }

    public Deployment deployment() {
        return deployment;
    }

    public int execs() {
        return prober.execCount();
    }

    /** Rounds of one pod's probes answered by its resident agent rather than an exec. */
    public int agentBatches() {
        return run.agents().batches();
    }

    public CaseResult run(SweepCase c) {
        long t0 = System.nanoTime();
        int execs0 = prober.execCount();
        List<CaseResult.Step> steps = new ArrayList<>();
        Topology model = model();
        try {
            deployment.awaitNoPolicies();
            caseClusterPolicies.awaitNone(Duration.ofSeconds(30));
            steps.add(check("baseline: previous case gone, every pair open", model, List.of(), List.of()));
            c.policies().forEach(this::apply);
            caseClusterPolicies.apply(c);
            steps.add(check("policies", model, c.policies(), c.clusterPolicies()));
            if (c.action() != null) {
                act(c.action());
                steps.add(check("after " + c.action().describe(), c.action().applyTo(model), c.action().applyTo(c.policies()),
                        c.action().applyToClusterPolicies(c.clusterPolicies())));
            }
        } finally {
            try {
                cleanUp(c);
            } finally {
                caseClusterPolicies.delete();
            }
        }
        return new CaseResult(c, steps, Duration.ofNanos(System.nanoTime() - t0), prober.execCount() - execs0);
    }

    private CaseResult.Step check(String name, Topology topology, List<NetworkPolicy> policies,
                                  List<ClusterPolicy> clusterPolicies) {
        // one oracle per IP family the model's pods have: ipBlock peers match by address, and a packet of one family
        // carries no address of the other (identical to one oracle over all addresses on a single-stack cluster)
        List<IpFamily> families = topology.families();
        boolean dualStack = families.size() > 1;
        Map<IpFamily, PolicyOracle> oracles = new LinkedHashMap<>();
        Map<CaseResult.Step.Grid, Reachability> expected = new LinkedHashMap<>();
        List<ProbeRequest> requests = new ArrayList<>();
        Map<ProbeKey, Boolean> expectAllowed = new LinkedHashMap<>();
        for (IpFamily family : families) {
            // probing uses the deployed IPs; the oracle sees the labels of this step
            PolicyOracle oracle = new PolicyOracle(topology.only(family), policies, clusterPolicies);
            oracles.put(family, oracle);
            for (Port port : ports) {
                Reachability e = oracle.reachability(port);
                expected.put(new CaseResult.Step.Grid(port, family), e);
                for (Reachability.Pair pair : e.pairs()) {
                    ProbeKey key = new ProbeKey.Pair(pair.from(), pair.to(), port, family);
                    String ip = topology.ip(pair.to(), family);
                    requests.add(new ProbeRequest(key, pair + " " + port + (dualStack ? " " + family : ""),
                            deployment.pod(pair.from()), Probe.port(ip, port, prober.probeTimeout()), pair.to() + " " + ip));
                    expectAllowed.put(key, e.get(pair.from(), pair.to()) == Reachability.State.ALLOWED);
                }
            }
        }
        Verification v = prober.verify(requests, expectAllowed, converge);
        Map<CaseResult.Step.Grid, Reachability> observed = new LinkedHashMap<>();
        expected.keySet().forEach(g -> observed.put(g, Reachability.unknown(topology, g.port())));
        for (ProbedPair p : v.pairs()) {
            ProbeKey.Pair at = p.pair().orElseThrow();
            observed.get(new CaseResult.Step.Grid(at.port(), at.family())).set(at.from(), at.to(), p.observed());
        }
        return new CaseResult.Step(name, expected, observed, oracles, v);
    }

    /**
     * Server-side apply, as {@code kubectl apply --server-side}: the API server records which fields the case set, so
     * an omitted policyTypes stays distinguishable from an explicit one for whoever reads managedFields.
     */
    private void apply(NetworkPolicy policy) {
        client().network().v1().networkPolicies().inNamespace(deployment.realNamespace(policy.getMetadata().getNamespace()))
                .resource(deployment.onCluster(policy)).fieldManager("netconform-sweep").forceConflicts().serverSideApply();
    }

    private void act(SweepCase.Action action) {
        switch (action.kind()) {
            case POD_LABEL -> relabelPod(PodId.of(action.target()), action.labels());
            case NAMESPACE_LABEL -> relabelNamespace(action.target(), action.labels());
            case POLICY_UPDATE -> apply(action.policy());
            case POLICY_DELETE -> {
                PodId id = PodId.of(action.target());
                client().network().v1().networkPolicies().inNamespace(deployment.realNamespace(id.namespace()))
                        .withName(id.name()).delete();
            }
            case CLUSTER_POLICY_DELETE -> caseClusterPolicies.delete(action.target());
        }
    }

    private void relabelPod(PodId pod, Map<String, String> labels) {
        client().pods().inNamespace(deployment.realNamespace(pod.namespace())).withName(pod.name())
                .edit(p -> {
                    p.getMetadata().getLabels().putAll(labels);
                    return p;
                });
    }

    private void relabelNamespace(String logical, Map<String, String> labels) {
        client().namespaces().withName(deployment.realNamespace(logical)).edit(n -> {
            n.getMetadata().getLabels().putAll(labels);
            return n;
        });
    }

    /** Labels back first, then the policies: a CNI that only notices labels on a policy change still sees both. */
    private void cleanUp(SweepCase c) {
        if (c.action() != null && c.action().kind() == SweepCase.ActionKind.POD_LABEL) {
            PodId pod = PodId.of(c.action().target());
            relabelPod(pod, Map.of("tier", SweepModel.TIER.get(pod.name())));
        }
        if (c.action() != null && c.action().kind() == SweepCase.ActionKind.NAMESPACE_LABEL) {
            relabelNamespace(c.action().target(), Map.of("env", SweepModel.ENV.get(c.action().target())));
        }
        deployment.reset();
    }

    private KubernetesClient client() {
        return run.cluster().client();
    }
}
