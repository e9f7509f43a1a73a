package io.netconform.junit;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.netconform.cni.CniProfile;
import io.netconform.exec.PodRef;
import io.netconform.policy.ClusterPolicy;
import io.netconform.policy.IpFamily;
import io.netconform.policy.PodId;
import io.netconform.policy.Policies;
import io.netconform.policy.PolicyFiles;
import io.netconform.policy.PolicyFixtures;
import io.netconform.policy.PolicyOracle;
import io.netconform.policy.Port;
import io.netconform.policy.Reachability;
import io.netconform.policy.Topology;
import io.netconform.probe.BatchProber;
import io.netconform.probe.Probe;
import io.netconform.probe.ProbeResult;
import io.netconform.probe.ProbedPair;
import io.netconform.probe.Verdict;
import io.netconform.probe.Verification;
import io.netconform.report.BrokenCheck;
import io.netconform.report.CheckFailure;
import io.netconform.report.FailureKind;
import io.netconform.report.Report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What one test does: deploy a topology, apply policies, probe, and verify — and, when the test ends, remove what it
 * created. Suites receive one as a parameter from {@link ConformanceExtension}. Every expectation is first checked
 * against the policy oracle; the rest happens on a {@link ScenarioBackend}: the cluster, or nothing more offline.
 */
public final class Scenario implements AutoCloseable {

    private final Run run;
    private final String testName;
    private final ScenarioBackend backend;
    /** Logical namespaces deployed so far. */
    private final Set<String> namespaces = new LinkedHashSet<>();
    private final Map<PodId, PodRef> pods = new LinkedHashMap<>();
    private final Map<String, NetworkPolicy> applied = new LinkedHashMap<>();
    private final List<ClusterPolicy> appliedCluster = new ArrayList<>();
    private final BatchProber prober;
    private Topology topology;

    /** A scenario whose deployments are its own, deleted when it closes. */
    Scenario(Run run, String testName) {
        this(run, testName, null);
    }

    /** A scenario that takes its deployments from (and gives them back to) its suite class's shared ones. */
    Scenario(Run run, String testName, SharedDeployments shared) {
        // the run's executor already retries transport errors with back-off; the prober must not multiply them
        this(run, testName, shared, new BatchProber(run.executor(), run.config().probeTimeout()).withExecRetries(0)
                .withAgents(run.agents()));
    }

    /** As above, probing with the given prober (tests: over a scripted network). */
    Scenario(Run run, String testName, SharedDeployments shared, BatchProber prober) {
        this.run = run;
        this.testName = testName;
        this.prober = prober;
        this.backend = new LiveBackend(run, testName, prober, shared);
    }

    private Scenario(String testName, ScenarioBackend offline) {
        this.run = null;
        this.testName = testName;
        this.prober = null;
        this.backend = offline;
    }

    /**
     * A scenario without a cluster ({@link OracleBackend}): deploy gives pods made-up private IPs, apply only loads
     * the fixtures, and verify checks the case's expectation against the oracle and stops there. Lets the project's
     * own tests check every policy case's expectation offline.
     */
    public static Scenario dryRun(String testName) {
        return new Scenario(testName, new OracleBackend());
    }

    public Run run() {
        return run;
    }

    public CniProfile cni() {
        return run.cni();
    }

    public Fleet fleet() {
        return run.fleet();
    }

    public BatchProber prober() {
        return prober;
    }

    public java.time.Duration probeTimeout() {
        return run.config().probeTimeout();
    }

    /** The deployed topology, with the pods' IPs. */
    public Topology topology() {
        if (topology == null) {
            throw new IllegalStateException("deploy(topology) first");
        }
        return topology;
    }

    // ---- topology: namespaces and pods ----

    /**
     * Creates one run-scoped namespace per logical namespace (labelled with the topology's labels, so fixtures
     * select them without templating) and one server pod per topology pod, spread over the sampled nodes, and
     * waits until all are ready. Pods serve every port of the topology and can probe as clients. In a suite class,
     * a topology an earlier case deployed is reused instead, put back as deployed: no label changes, no policies.
     */
    public Scenario deploy(Topology wanted) {
        Report.step("deploy " + wanted.podIds().size() + " pods in " + wanted.namespaces().size() + " namespaces", () -> {
            ScenarioBackend.Deployed deployed = backend.deploy(wanted);
            namespaces.addAll(deployed.namespaces().asMap().keySet());
            pods.putAll(deployed.pods());
            topology = deployed.topology();
            Report.attachText("pod placement", deployed.pods().values().stream().map(PodRef::toString)
                    .collect(Collectors.joining("\n")));
        });
        return this;
    }

    public PodRef pod(String podId) {
        PodRef ref = pods.get(PodId.of(podId));
        if (ref == null) {
            throw new IllegalArgumentException("no deployed pod '" + podId + "'; deployed: " + pods.keySet());
        }
        return ref;
    }

    // ---- policies ----

    /**
     * Applies the NetworkPolicies of a fixture under {@code policies/} (a multi-document YAML file). Fixtures name
     * logical namespaces; they are mapped to this run's real ones, including {@code kubernetes.io/metadata.name}
     * selectors, so the same file serves the oracle and the cluster.
     */
    public Scenario apply(String fixture) {
        Policies policies = PolicyFiles.loadAll(PolicyFixtures.ofRun().find(fixture));
        // before anything is created: a cluster that cannot take the fixture skips the case with the reason
        policies.clusterPolicies().forEach(backend::requireClusterPolicyApi);
        Report.step("apply " + fixture, () -> {
            Report.attachYaml(fixture, java.util.stream.Stream.concat(policies.networkPolicies().stream(),
                            policies.clusterPolicies().stream().map(ClusterPolicy::resource))
                    .map(Serialization::asYaml).collect(Collectors.joining("---\n")));
            policies.networkPolicies().forEach(this::apply);
            policies.clusterPolicies().forEach(this::apply);
        });
        return this;
    }

    /**
     * Creates a cluster-scoped policy (ClusterNetworkPolicy, AdminNetworkPolicy, BaselineAdminNetworkPolicy) for this
     * test only: named {@code <run id>-<name>}, labelled with the run, and with every namespace selector of its
     * subject and pod peers ANDed with this run's label (and {@code kubernetes.io/metadata.name} values mapped to
     * real names), so it can never select another workload's pods. Deleted when the test ends, and by the run's
     * cleanup or shutdown hook otherwise.
     */
    public Scenario apply(ClusterPolicy policy) {
        backend.apply(policy);
        appliedCluster.add(policy);
        return this;
    }

    public List<ClusterPolicy> appliedClusterPolicies() {
        return List.copyOf(appliedCluster);
    }

    /** Applies (creates or replaces) one policy given in logical namespaces. */
    public Scenario apply(NetworkPolicy policy) {
        String ns = policy.getMetadata().getNamespace();
        if (ns == null || !namespaces.contains(ns)) {
            throw new IllegalArgumentException("policy " + policy.getMetadata().getName() + " names namespace '" + ns
                    + "', which is not a namespace of the deployed topology " + namespaces);
        }
        backend.apply(policy);
        applied.put(ns + "/" + policy.getMetadata().getName(), policy);
        return this;
    }

    /** Removes a policy applied earlier, named {@code namespace/name} in logical terms. */
    public Scenario remove(String policyId) {
        NetworkPolicy policy = applied.remove(policyId);
        if (policy == null) {
            throw new IllegalArgumentException("no applied policy " + policyId + "; applied: " + applied.keySet());
        }
        backend.remove(policy);
        return this;
    }

    /**
     * A policy applied earlier ({@code namespace/name}, logical), as the API server stored it (dry run: as applied).
     * API servers drop fields they do not know without an error (endPort before Kubernetes 1.22 with the feature gate
     * off), so a case that depends on a newer field checks here that the field survived.
     */
    public NetworkPolicy stored(String policyId) {
        NetworkPolicy policy = applied.get(policyId);
        if (policy == null) {
            throw new IllegalArgumentException("no applied policy " + policyId + "; applied: " + applied.keySet());
        }
        return backend.stored(policy);
    }

    public List<NetworkPolicy> appliedPolicies() {
        return List.copyOf(applied.values());
    }

    // ---- probing and verification ----

    /** Runs one probe in its own exec. */
    public ProbeResult probe(PodRef from, Probe probe) {
        return probe.run(run.executor(), from);
    }

    /**
     * Runs a probe until it shows what is expected or the converge timeout passes, and returns the last observation:
     * clusters take a moment to program a new Service or policy, and only a lasting mismatch is a finding.
     */
    public ProbeResult probeUntil(PodRef from, Probe probe, java.util.function.Predicate<ProbeResult> expected) {
        return probe.runUntil(run.executor(), from, run.config().convergeTimeout(), expected);
    }

    /**
     * Checks the cluster against an expectation for one port: first that the oracle predicts the same (otherwise the
     * case or the oracle is wrong — a harness bug), then probes every pair over every IP family the pods have (one
     * exec per source pod), re-probing pairs that differ until the converge timeout, and fails with grids, reasons
     * and reproduce lines.
     */
    public Verification verify(Port port, Reachability expected) {
        Topology t = topology();
        Policies policies = new Policies(appliedPolicies(), appliedCluster);
        // one oracle per IP family the pods have: ipBlock and networks peers match by address, and an IPv6 packet carries
        // no IPv4 address. The case's expectation is checked against the primary family (cases are written for it);
        // another family expects what its oracle predicts, which differs only where a peer names one family's CIDRs
        List<IpFamily> families = t.families();
        PolicyOracle oracle = PolicyOracle.of(families.isEmpty() ? t : t.only(families.get(0)), policies);
        Reachability predicted = oracle.reachability(port);
        if (!expected.diff(predicted).isEmpty()) {
            // nothing was probed: no evidence to collect, the case or the oracle is wrong
            throw CheckFailure.of(FailureKind.HARNESS, testName + ": the case's expectation and the policy oracle disagree on "
                    + port + " — fix the case or the oracle before blaming the CNI\n"
                    + Reachability.report(expected, predicted, pair -> oracle.predict(pair.from(), pair.to(), port).why(), null));
        }
        List<ScenarioBackend.FamilyExpectation> perFamily = new ArrayList<>();
        for (IpFamily family : families) {
            PolicyOracle own = family == families.get(0) ? oracle : PolicyOracle.of(t.only(family), policies);
            perFamily.add(new ScenarioBackend.FamilyExpectation(family,
                    family == families.get(0) ? expected : own.reachability(port), own));
        }
        return backend.verify(port, perFamily);
    }

    /**
     * As {@link #verify}, and every blocked pair must be a drop (timeout), not a reject: a ClusterNetworkPolicy Deny
     * "Drops the selected traffic" (network-policy-api apis/v1alpha2), and the upstream conformance suite fails a
     * refused connection where it expects a timeout.
     */
    public Verification verifyDropped(Port port, Reachability expected) {
        Verification v = verify(port, expected);
        if (v == null) {
            return null;
        }
        List<ProbedPair> refused = v.pairs().stream().filter(p -> !p.expectAllowed() && p.verdict() == Verdict.REFUSED)
                .toList();
        if (!refused.isEmpty()) {
            // the policy's action (Drop) is what was not enforced: the traffic was stopped, but answered
            CheckFailure failure = CheckFailure.of(FailureKind.POLICY_NOT_ENFORCED, testName + ": " + refused.size()
                    + " denied pair(s) were rejected instead of dropped on " + port);
            refused.forEach(p -> failure.item(p.name() + ": expected a drop (timeout), got REFUSED ("
                    + p.result().detail() + ")", p.request().reproduce()));
            throw failure(failure, List.copyOf(pods.values()));
        }
        return v;
    }

    /** Fails unless the probe saw {@code expected}; the message names what was expected, seen, why, and how to repeat it. */
    public ProbeResult expect(ProbeResult result, Verdict expected, String what, FailureKind kind) {
        List<PodRef> involved = run.fleet().all().stream().map(Fleet.Member::ref).toList();
        if (result.verdict() == Verdict.ERROR && expected != Verdict.ERROR) {
            throw broken(BrokenCheck.of(what + ": could not observe (" + result.detail() + ")")
                    .reproduce(result.reproduce()).output(result.output()), involved);
        }
        if (result.verdict() != expected) {
            throw failure(CheckFailure.of(kind, what + ": expected " + expected + ", got " + result.verdict()
                    + " (" + result.detail() + ")").reproduce(result.reproduce()).output(result.output()), involved);
        }
        return result;
    }

    /**
     * A check failed: collect what a person needs to find out why (the pods' describe and events, the CNI pods'
     * status and recent logs) into reports/evidence/ and the report, and name where it went on the failure.
     * Every suite fails through here (or {@link #broken}), so no failure goes without evidence.
     */
    public CheckFailure failure(CheckFailure failure, List<PodRef> involved) {
        return backend.evidence(failure, involved);
    }

    /**
     * The check could not observe (exec failed after its retries, unreadable tool output, API error): BROKEN with kind
     * INFRA, with the same evidence as a failure, so it is never read as a network finding.
     */
    public BrokenCheck broken(BrokenCheck broken, List<PodRef> involved) {
        return backend.evidence(broken, involved);
    }

    @Override
    public void close() {
        backend.close();
    }
}
