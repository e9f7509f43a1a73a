package io.netconform.junit;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.netconform.cluster.RunClusterPolicies;
import io.netconform.exec.PodRef;
import io.netconform.policy.ClusterPolicy;
import io.netconform.policy.IpFamily;
import io.netconform.policy.PodId;
import io.netconform.policy.Port;
import io.netconform.policy.Reachability;
import io.netconform.policy.Topology;
import io.netconform.probe.BatchProber;
import io.netconform.probe.Probe;
import io.netconform.probe.ProbeKey;
import io.netconform.probe.ProbeRequest;
import io.netconform.probe.ProbedPair;
import io.netconform.probe.Verification;
import io.netconform.report.BrokenCheck;
import io.netconform.report.CheckFailure;
import io.netconform.report.Failing;
import io.netconform.report.FailureKind;
import io.netconform.report.Report;
import io.netconform.report.Summary;
import org.opentest4j.TestAbortedException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The cluster: topologies deployed as run-scoped namespaces and pods (or taken from the suite class's
 * {@link SharedDeployments} when an earlier case deployed the same topology), policies created in the real namespaces,
 * pairs probed with the batch prober, failures with grids, reproduce lines and evidence.
 */
final class LiveBackend implements ScenarioBackend {

    private final Run run;
    private final String testName;
    private final BatchProber prober;
    /** The suite class's reusable deployments; null: this scenario's deployments are its own. */
    private final SharedDeployments shared;
    private final Map<Deployment, Topology> deployments = new LinkedHashMap<>();
    /** Cluster-scoped objects this scenario created: kind and name on the cluster. */
    private final List<String[]> createdCluster = new ArrayList<>();
    private final Map<String, String> realNamespace = new LinkedHashMap<>();
    private final Map<PodId, PodRef> pods = new LinkedHashMap<>();

    LiveBackend(Run run, String testName, BatchProber prober, SharedDeployments shared) {
        this.run = run;
        this.testName = testName;
        this.prober = prober;
        this.shared = shared;
    }

    @Override
    public Deployed deploy(Topology wanted) {
        Deployment deployment = shared == null ? Deployment.create(run, testName, wanted) : shared.acquire(wanted);
        deployments.put(deployment, wanted);
        realNamespace.putAll(deployment.namespaces());
        pods.putAll(deployment.pods());
        return new Deployed(deployment.topology(), deployment.realNamespaces(), deployment.pods());
    }

    private Deployment holding(String logicalNamespace) {
        return deployments.keySet().stream().filter(d -> d.namespaces().containsKey(logicalNamespace))
                .reduce((first, second) -> second)
                .orElseThrow(() -> new IllegalArgumentException("namespace '" + logicalNamespace
                        + "' is not a namespace of the deployed topology " + realNamespace.keySet()));
    }

    @Override
    public void apply(NetworkPolicy logical) {
        NetworkPolicy onCluster = holding(logical.getMetadata().getNamespace()).onCluster(logical);
        run.cluster().client().network().v1().networkPolicies().inNamespace(onCluster.getMetadata().getNamespace())
                .resource(onCluster).createOr(p -> p.update());
    }

    @Override
    public void remove(NetworkPolicy logical) {
        run.cluster().client().network().v1().networkPolicies()
                .inNamespace(holding(logical.getMetadata().getNamespace()).realNamespace(logical.getMetadata().getNamespace()))
                .withName(logical.getMetadata().getName()).delete();
    }

    @Override
    public NetworkPolicy stored(NetworkPolicy logical) {
        String ns = logical.getMetadata().getNamespace();
        NetworkPolicy onServer = run.cluster().client().network().v1().networkPolicies()
                .inNamespace(holding(ns).realNamespace(ns)).withName(logical.getMetadata().getName()).get();
        if (onServer == null) {
            throw new IllegalStateException("policy " + ns + "/" + logical.getMetadata().getName()
                    + " was applied but the API server no longer has it");
        }
        return onServer;
    }

    @Override
    public void requireClusterPolicyApi(ClusterPolicy policy) {
        kind(policy);
    }

    private RunClusterPolicies.Kind kind(ClusterPolicy policy) {
        RunClusterPolicies.Kind kind = RunClusterPolicies.kind(policy.apiVersion(), policy.kind());
        run.clusterPolicyUnavailable(kind).ifPresent(reason -> {
            throw new TestAbortedException(reason);
        });
        if (kind.equals(RunClusterPolicies.BASELINE_ADMIN_NETWORK_POLICY) && run.cluster().client()
                .genericKubernetesResources(kind.apiVersion(), kind.kind()).withName("default").get() != null
                && createdCluster.stream().noneMatch(c -> c[0].equals(kind.kind()))) {
            throw new TestAbortedException("the cluster already has a BaselineAdminNetworkPolicy 'default' (the API"
                    + " allows one per cluster); netconform does not replace the cluster's own");
        }
        return kind;
    }

    @Override
    public void apply(ClusterPolicy policy) {
        RunClusterPolicies.Kind kind = kind(policy);
        GenericKubernetesResource onCluster = policy.resource();
        onCluster.getMetadata().setName(run.clusterPolicies().clusterName(kind, policy.name()));
        new RealNamespaces(realNamespace).confine(onCluster, run.id());
        GenericKubernetesResource created = run.clusterPolicies().create(onCluster, testName);
        createdCluster.add(new String[] {created.getKind(), created.getMetadata().getName()});
    }

    @Override
    public Verification verify(Port port, List<FamilyExpectation> families) {
        if (families.isEmpty()) {
            throw new IllegalStateException(testName + ": the deployed pods have no IP family in common, nothing to probe on "
                    + port + ": " + pods.keySet());
        }
        // single-stack names stay as they always were ("x/a -> y/b"); with two families a name says which one
        boolean dualStack = families.size() > 1;
        List<ProbeRequest> requests = new ArrayList<>();
        Map<ProbeKey, Boolean> expectAllowed = new LinkedHashMap<>();
        for (FamilyExpectation f : families) {
            Topology t = f.oracle().topology();
            for (Reachability.Pair pair : f.expected().pairs()) {
                ProbeKey.Pair key = new ProbeKey.Pair(pair.from(), pair.to(), port, f.family());
                requests.add(new ProbeRequest(key, dualStack ? pair + " " + f.family() : pair.toString(), pods.get(pair.from()),
                        Probe.port(t.ip(pair.to(), f.family()), port, run.config().probeTimeout()), pair.to().toString()));
                expectAllowed.put(key, f.expected().get(pair.from(), pair.to()) == Reachability.State.ALLOWED);
            }
        }
        Verification v = Report.step("probe " + requests.size() + " pairs on " + port,
                () -> prober.verify(requests, expectAllowed, run.config().convergeTimeout()));
        Map<IpFamily, Reachability> observed = new LinkedHashMap<>();
        families.forEach(f -> observed.put(f.family(), Reachability.unknown(f.oracle().topology(), port)));
        for (ProbedPair p : v.pairs()) {
            ProbeKey.Pair at = p.pair().orElseThrow();
            observed.get(at.family()).set(at.from(), at.to(), p.observed());
        }
        families.forEach(f -> record(port, f.family(), f.expected(), observed.get(f.family()), v));
        if (!v.errors().isEmpty()) {
            // one item per pair that could not observe (or was wrong meanwhile), each with the command that repeats it
            BrokenCheck broken = BrokenCheck.of(v.errors().size() + " of " + requests.size()
                    + " probes could not observe on " + port + " (exec or tool errors, not network verdicts)");
            v.forEachFailure(broken::item);
            throw evidence(broken, List.copyOf(pods.values()));
        }
        if (!v.mismatches().isEmpty()) {
            boolean unexpectedAllow = v.mismatches().stream().anyMatch(p -> !p.expectAllowed());
            FailureKind kind = unexpectedAllow ? FailureKind.UNEXPECTED_ALLOW : FailureKind.UNEXPECTED_DROP;
            String reports = families.stream().filter(f -> !f.expected().diff(observed.get(f.family())).isEmpty())
                    .map(f -> (dualStack ? f.family() + ": " : "") + Reachability.report(f.expected(), observed.get(f.family()),
                            pair -> f.oracle().predict(pair.from(), pair.to(), port).why(),
                            pair -> v.result(new ProbeKey.Pair(pair.from(), pair.to(), port, f.family())).detail(),
                            pair -> v.pair(new ProbeKey.Pair(pair.from(), pair.to(), port, f.family())).request().reproduce()))
                    .collect(Collectors.joining("\n"));
            // the grid report keeps its reproduce line per wrong pair (Reachability.report renders them)
            throw evidence(CheckFailure.of(kind, testName + ": " + reports
                    + "\n(cni: " + run.cni().name() + ", waited " + run.config().convergeTimeout().toSeconds() + " s)"),
                    List.copyOf(pods.values()));
        }
        return v;
    }

    private void record(Port port, IpFamily family, Reachability expected, Reachability observed, Verification v) {
        List<String> ids = expected.topology().podIds().stream().map(PodId::toString).toList();
        String title = port + (family == IpFamily.IPV4 ? "" : " " + family);
        Report.attachHtml("reachability " + title, Report.gridHtml("expected " + title, ids, ids,
                (f, to) -> cell(expected, f, to), (f, to) -> false)
                + Report.gridHtml("observed " + title + " (" + Reachability.State.LEGEND + ")", ids, ids,
                (f, to) -> cell(observed, f, to),
                (f, to) -> !f.equals(to) && expected.get(f, to).outcome() != observed.get(f, to).outcome()));
        run.summary().reachability(new Summary.Matrix(suite(), testName, port.number(), port.protocol().name(),
                family.label(), ids, ids, grid(expected, ids), grid(observed, ids),
                v.convergedAfter().map(java.time.Duration::toMillis).orElse(null)));
    }

    /** A cell as summary.json and the report write it: the grid's own marks, {@code -} for a pod to itself. */
    private static String cell(Reachability r, String from, String to) {
        return from.equals(to) ? "-" : String.valueOf(r.get(from, to).symbol());
    }

    private static List<List<String>> grid(Reachability r, List<String> ids) {
        return ids.stream().map(f -> ids.stream().map(to -> cell(r, f, to)).toList()).toList();
    }

    private String suite() {
        int dot = testName.indexOf('.');
        return dot < 0 ? testName : testName.substring(0, dot);
    }

    @Override
    public <T extends Throwable & Failing<T>> T evidence(T failure, List<PodRef> involved) {
        return run.withEvidence(testName, failure, involved);
    }

    @Override
    public void close() {
        // cluster-scoped first, and now: they would outlive the namespaces and shape the next test's traffic
        for (String[] created : createdCluster) {
            try {
                run.clusterPolicies().delete(created[0], created[1]);
            } catch (RuntimeException e) {
                run.say("WARNING: could not delete " + created[0] + " " + created[1] + ": " + e.getMessage()
                        + " (the run's cleanup tries again; `netconform gc` removes it)");
            }
        }
        deployments.forEach((deployment, wanted) -> {
            if (shared == null) {
                // fire the deletes now and let the run wait for them at its end: namespace deletion takes ~1 min on some clusters
                deployment.close();
            } else {
                shared.release(wanted, deployment);
            }
        });
    }
}
