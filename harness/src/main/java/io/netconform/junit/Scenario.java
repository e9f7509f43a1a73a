package io.netconform.junit;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.netconform.cluster.PodReadiness;
import io.netconform.cluster.RunClusterPolicies;
import io.netconform.cluster.RunNamespaces;
import io.netconform.cluster.TestPods;
import io.netconform.cni.CniProfile;
import io.netconform.exec.PodRef;
import io.netconform.policy.ClusterPolicy;
import io.netconform.policy.PodId;
import io.netconform.policy.Policies;
import io.netconform.policy.PolicyFiles;
import io.netconform.policy.PolicyOracle;
import io.netconform.policy.Port;
import io.netconform.policy.Reachability;
import io.netconform.policy.Topology;
import io.netconform.probe.BatchProber;
import io.netconform.probe.Probe;
import io.netconform.probe.ProbeRequest;
import io.netconform.probe.ProbeResult;
import io.netconform.probe.Verdict;
import io.netconform.probe.Verification;
import io.netconform.report.BrokenCheck;
import io.netconform.report.Evidence;
import io.netconform.report.FailureKind;
import io.netconform.report.Report;
import io.netconform.report.Summary;
import org.opentest4j.TestAbortedException;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What one test does on the cluster: deploy a topology, apply policies, probe, and verify — and, when the test
 * ends, remove what it created. Suites receive one as a parameter from {@link ConformanceExtension}.
 */
public final class Scenario implements AutoCloseable {

    private final Run run;
    private final String testName;
    private final List<Deployment> deployments = new ArrayList<>();
    private final Map<String, String> realNamespace = new LinkedHashMap<>();
    private final Map<PodId, PodRef> pods = new LinkedHashMap<>();
    private final Map<String, NetworkPolicy> applied = new LinkedHashMap<>();
    private final List<ClusterPolicy> appliedCluster = new ArrayList<>();
    /** Cluster-scoped objects this scenario created: kind and name on the cluster. */
    private final List<String[]> createdCluster = new ArrayList<>();
    private final BatchProber prober;
    private Topology topology;

    Scenario(Run run, String testName) {
        this.run = run;
        this.testName = testName;
        // the run's executor already retries transport errors with back-off; the prober must not multiply them
        this.prober = run == null ? null : new BatchProber(run.executor(), run.config().probeTimeout()).withExecRetries(0);
    }

    /**
     * A scenario without a cluster: deploy gives pods made-up IPs, apply only loads the fixtures, and verify checks the
     * case's expectation against the oracle and stops there. Lets the project's own tests check every policy case's
     * expectation offline. The made-up IPs are private (10.42.0.0/16, a common pod CIDR) because real pod IPs are:
     * an ipBlock case that excepts the private ranges must see the same pods inside them offline as on a cluster.
     */
    public static Scenario dryRun(String testName) {
        return new Scenario(null, testName);
    }

    private boolean dry() {
        return run == null;
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
     * waits until all are ready. Pods serve every port of the topology and can probe as clients.
     */
    public Scenario deploy(Topology wanted) {
        if (dry()) {
            Topology t = wanted;
            int n = 0;
            for (PodId id : wanted.podIds()) {
                n++;
                t = t.withIp(id.toString(), "10.42." + n / 256 + "." + n % 256);
                pods.put(id, new PodRef(id.namespace(), id.name(), Fleet.CONTAINER));
            }
            wanted.namespaces().forEach(ns -> realNamespace.put(ns, ns));
            topology = t;
            return this;
        }
        Report.step("deploy " + wanted.podIds().size() + " pods in " + wanted.namespaces().size() + " namespaces", () -> {
            Deployment deployment = Deployment.create(run, testName, wanted);
            deployments.add(deployment);
            realNamespace.putAll(deployment.namespaces());
            pods.putAll(deployment.pods());
            topology = deployment.topology();
            Report.attachText("pod placement", pods.values().stream().map(PodRef::toString)
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
        Policies policies = PolicyFiles.loadAll(fixture(fixture));
        if (!dry()) {
            // before anything is created: a cluster that cannot take the fixture skips the case with the reason
            policies.clusterPolicies().forEach(this::requireClusterPolicyApi);
        }
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
        if (dry()) {
            appliedCluster.add(policy);
            return this;
        }
        RunClusterPolicies.Kind kind = requireClusterPolicyApi(policy);
        GenericKubernetesResource onCluster = policy.resource();
        onCluster.getMetadata().setName(run.clusterPolicies().clusterName(kind, policy.name()));
        restrictToRun(onCluster, run.id(), realNamespace);
        GenericKubernetesResource created = run.clusterPolicies().create(onCluster, testName);
        appliedCluster.add(policy);
        createdCluster.add(new String[] {created.getKind(), created.getMetadata().getName()});
        return this;
    }

    public List<ClusterPolicy> appliedClusterPolicies() {
        return List.copyOf(appliedCluster);
    }

    private RunClusterPolicies.Kind requireClusterPolicyApi(ClusterPolicy policy) {
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

    /**
     * Rewrites a cluster policy so it can only ever concern this run: every namespace selector of its subject and of
     * its namespaces/pods peers gets {@code netconform.io/run=<runId>} ANDed in (a {@code pods} entry without one gets
     * one), and {@code kubernetes.io/metadata.name} values become real names. networks peers stay: they only shape
     * the traffic of the (restricted) subjects.
     */
    @SuppressWarnings("unchecked")
    public static void restrictToRun(GenericKubernetesResource policy, String runId, Map<String, String> realNamespace) {
        Map<String, Object> spec = (Map<String, Object>) policy.getAdditionalProperties().get("spec");
        restrictHolder((Map<String, Object>) spec.get("subject"), runId, realNamespace);
        for (String direction : List.of("ingress", "egress")) {
            for (Object rule : (List<Object>) spec.getOrDefault(direction, List.of())) {
                Map<String, Object> r = (Map<String, Object>) rule;
                for (Object peer : (List<Object>) r.getOrDefault(direction.equals("ingress") ? "from" : "to", List.of())) {
                    restrictHolder((Map<String, Object>) peer, runId, realNamespace);
                }
            }
        }
    }

    /** A subject or peer: {@code namespaces: <selector>} or {@code pods: {namespaceSelector, podSelector}}. */
    @SuppressWarnings("unchecked")
    private static void restrictHolder(Map<String, Object> holder, String runId, Map<String, String> realNamespace) {
        if (holder.get("namespaces") instanceof Map<?, ?> selector) {
            holder.put("namespaces", inRun((Map<String, Object>) selector, runId, realNamespace));
        }
        if (holder.get("pods") instanceof Map<?, ?> pods) {
            Object selector = pods.get("namespaceSelector");
            ((Map<String, Object>) pods).put("namespaceSelector", inRun(selector instanceof Map<?, ?> m
                    ? (Map<String, Object>) m : new LinkedHashMap<>(), runId, realNamespace));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> inRun(Map<String, Object> selector, String runId, Map<String, String> realNamespace) {
        Map<String, Object> scoped = new LinkedHashMap<>(selector);
        Map<String, Object> labels = new LinkedHashMap<>(scoped.get("matchLabels") instanceof Map<?, ?> m
                ? (Map<String, Object>) m : Map.of());
        labels.computeIfPresent(Topology.METADATA_NAME_LABEL, (k, v) -> realNamespace.getOrDefault(v.toString(), v.toString()));
        labels.put(RunNamespaces.RUN, runId);
        scoped.put("matchLabels", labels);
        if (scoped.get("matchExpressions") instanceof List<?> expressions) {
            for (Object e : expressions) {
                Map<String, Object> requirement = (Map<String, Object>) e;
                if (Topology.METADATA_NAME_LABEL.equals(requirement.get("key")) && requirement.get("values") instanceof List<?> v) {
                    requirement.put("values", v.stream().map(x -> realNamespace.getOrDefault(x.toString(), x.toString())).toList());
                }
            }
        }
        return scoped;
    }

    /** Applies (creates or replaces) one policy given in logical namespaces. */
    public Scenario apply(NetworkPolicy policy) {
        String ns = policy.getMetadata().getNamespace();
        if (ns == null || !realNamespace.containsKey(ns)) {
            throw new IllegalArgumentException("policy " + policy.getMetadata().getName() + " names namespace '" + ns
                    + "', which is not a namespace of the deployed topology " + realNamespace.keySet());
        }
        if (dry()) {
            applied.put(ns + "/" + policy.getMetadata().getName(), policy);
            return this;
        }
        run.cluster().client().network().v1().networkPolicies().inNamespace(realNamespace.get(ns))
                .resource(deployments.get(deployments.size() - 1).onCluster(policy)).createOr(p -> p.update());
        applied.put(ns + "/" + policy.getMetadata().getName(), policy);
        return this;
    }

    /** Removes a policy applied earlier, named {@code namespace/name} in logical terms. */
    public Scenario remove(String policyId) {
        NetworkPolicy policy = applied.remove(policyId);
        if (policy == null) {
            throw new IllegalArgumentException("no applied policy " + policyId + "; applied: " + applied.keySet());
        }
        if (dry()) {
            return this;
        }
        run.cluster().client().network().v1().networkPolicies()
                .inNamespace(realNamespace.get(policy.getMetadata().getNamespace()))
                .withName(policy.getMetadata().getName()).delete();
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
        if (dry()) {
            return policy;
        }
        NetworkPolicy onServer = run.cluster().client().network().v1().networkPolicies()
                .inNamespace(realNamespace.get(policy.getMetadata().getNamespace()))
                .withName(policy.getMetadata().getName()).get();
        if (onServer == null) {
            throw new IllegalStateException("policy " + policyId + " was applied but the API server no longer has it");
        }
        return onServer;
    }

    public List<NetworkPolicy> appliedPolicies() {
        return List.copyOf(applied.values());
    }

    /** Finds a fixture: the policies/ directory next to the working directory, else the copy inside the jar. */
    static Path fixture(String name) {
        String dir = System.getProperty("netconform.policies");
        Path onDisk = Path.of(dir == null ? "policies" : dir).resolve(name);
        if (Files.exists(onDisk)) {
            return onDisk;
        }
        URL url = Scenario.class.getResource("/policies/" + name);
        if (url == null) {
            throw new IllegalArgumentException("no policy fixture '" + name + "' in " + onDisk.toAbsolutePath().getParent()
                    + " or in the jar's policies/");
        }
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                try {
                    FileSystems.getFileSystem(uri);
                } catch (FileSystemNotFoundException e) {
                    FileSystems.newFileSystem(uri, Map.of());
                }
            }
            return Path.of(uri);
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("cannot read policy fixture " + url + ": " + e.getMessage(), e);
        }
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
     * case or the oracle is wrong — a harness bug), then probes every pair in one exec per source pod, re-probing
     * pairs that differ until the converge timeout, and fails with grids, reasons and reproduce lines.
     */
    public Verification verify(Port port, Reachability expected) {
        Topology t = topology();
        PolicyOracle oracle = PolicyOracle.of(t, new Policies(appliedPolicies(), appliedCluster));
        Reachability predicted = oracle.reachability(port);
        if (!expected.diff(predicted).isEmpty()) {
            throw new AssertionError("[harness] " + testName + ": the case's expectation and the policy oracle disagree on " + port
                    + " — fix the case or the oracle before blaming the CNI\n"
                    + Reachability.report(expected, predicted, pair -> oracle.predict(pair.from(), pair.to(), port).why(), null));
        }
        if (dry()) {
            return null;
        }
        List<ProbeRequest> requests = new ArrayList<>();
        Map<String, Boolean> expectAllowed = new LinkedHashMap<>();
        Map<String, Reachability.Pair> pairsByKey = new LinkedHashMap<>();
        for (Reachability.Pair pair : expected.pairs()) {
            String ip = t.pod(pair.to()).ips().get(0);
            String key = pair.toString();
            requests.add(new ProbeRequest(key, pods.get(pair.from()), Probe.port(ip, port, probeTimeout()), pair.to().toString()));
            expectAllowed.put(key, expected.get(pair.from(), pair.to()) == Reachability.State.ALLOWED);
            pairsByKey.put(key, pair);
        }
        Verification v = Report.step("probe " + requests.size() + " pairs on " + port,
                () -> prober.verify(requests, expectAllowed, run.config().convergeTimeout()));
        Reachability observed = Reachability.unknown(t, port);
        v.observed().forEach((key, result) -> {
            Reachability.Pair pair = pairsByKey.get(key);
            if (result.verdict() != Verdict.ERROR) {
                observed.set(pair.from(), pair.to(), result.verdict().allowed()
                        ? Reachability.State.ALLOWED : Reachability.State.BLOCKED);
            }
        });
        record(port, expected, observed, v);
        if (!v.errors().isEmpty()) {
            throw broken(v.errors().size() + " of " + requests.size()
                    + " probes could not observe on " + port + " (exec or tool errors, not network verdicts)\n"
                    + v.describeFailures(), List.copyOf(pods.values()));
        }
        if (!v.mismatches().isEmpty()) {
            boolean unexpectedAllow = v.mismatches().stream().anyMatch(k -> !expectAllowed.get(k));
            FailureKind kind = unexpectedAllow ? FailureKind.UNEXPECTED_ALLOW : FailureKind.UNEXPECTED_DROP;
            throw failure(kind.marker() + " " + testName + ": "
                    + Reachability.report(expected, observed,
                    pair -> oracle.predict(pair.from(), pair.to(), port).why(),
                    pair -> v.observed().get(pair.toString()).detail(),
                    pair -> v.requests().get(pair.toString()).reproduce())
                    + "\n(cni: " + cni().name() + ", waited " + run.config().convergeTimeout().toSeconds() + " s)",
                    List.copyOf(pods.values()));
        }
        return v;
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
        List<String> refused = v.observed().entrySet().stream()
                .filter(e -> !v.expectAllowed().get(e.getKey()) && e.getValue().verdict() == Verdict.REFUSED)
                .map(e -> e.getKey() + ": expected a drop (timeout), got REFUSED (" + e.getValue().detail() + ")\n  reproduce: "
                        + v.requests().get(e.getKey()).reproduce())
                .toList();
        if (!refused.isEmpty()) {
            throw failure(testName + ": " + refused.size()
                    + " denied pair(s) were rejected instead of dropped on " + port + "\n" + String.join("\n", refused),
                    List.copyOf(pods.values()));
        }
        return v;
    }

    private void record(Port port, Reachability expected, Reachability observed, Verification v) {
        List<String> ids = expected.topology().podIds().stream().map(PodId::toString).toList();
        Report.attachHtml("reachability " + port, Report.gridHtml("expected " + port, ids, ids,
                (f, to) -> cell(expected, f, to), (f, to) -> false)
                + Report.gridHtml("observed " + port, ids, ids, (f, to) -> cell(observed, f, to),
                (f, to) -> !f.equals(to) && expected.get(f, to) != observed.get(f, to)));
        run.summary().reachability(new Summary.Matrix(suite(), testName, port.number(), port.protocol().name(),
                "IPv4", ids, ids, grid(expected, ids), grid(observed, ids),
                v.convergedAfter().map(java.time.Duration::toMillis).orElse(null)));
    }

    private static String cell(Reachability r, String from, String to) {
        if (from.equals(to)) {
            return "-";
        }
        return switch (r.get(from, to)) {
            case ALLOWED -> ".";
            case BLOCKED -> "X";
            default -> "?";
        };
    }

    private static List<List<String>> grid(Reachability r, List<String> ids) {
        return ids.stream().map(f -> ids.stream().map(to -> cell(r, f, to)).toList()).toList();
    }

    private String suite() {
        int dot = testName.indexOf('.');
        return dot < 0 ? testName : testName.substring(0, dot);
    }

    /** Fails unless the probe saw {@code expected}; the message names what was expected, seen, why, and how to repeat it. */
    public ProbeResult expect(ProbeResult result, Verdict expected, String what, FailureKind kind) {
        List<PodRef> involved = run.fleet().all().stream().map(Fleet.Member::ref).toList();
        if (result.verdict() == Verdict.ERROR && expected != Verdict.ERROR) {
            throw broken(what + ": could not observe (" + result.detail()
                    + ")\n  reproduce: " + result.reproduce() + "\n  output: " + result.output().strip(), involved);
        }
        if (result.verdict() != expected) {
            throw failure(kind.marker() + " " + what + ": expected " + expected + ", got " + result.verdict()
                    + " (" + result.detail() + ")\n  reproduce: " + result.reproduce()
                    + (result.output().isBlank() ? "" : "\n  output: " + result.output().strip()), involved);
        }
        return result;
    }

    /**
     * A check failed: collect what a person needs to find out why (the pods' describe and events, the CNI pods'
     * status and recent logs) into reports/evidence/ and the report, and name where it went.
     */
    public AssertionError failure(String message, List<PodRef> involved) {
        return new AssertionError(message + evidence(message, involved));
    }

    /**
     * The check could not observe (exec failed after its retries, unreadable tool output, API error): BROKEN with kind
     * INFRA, with the same evidence as a failure, so it is never read as a network finding.
     */
    public BrokenCheck broken(String message, List<PodRef> involved) {
        return new BrokenCheck(message + evidence(message, involved));
    }

    /** Collects the evidence of a failed or broken check and names where it went; nothing in a dry run. */
    private String evidence(String message, List<PodRef> involved) {
        if (dry()) {
            return "";
        }
        String check = testName + "-" + Integer.toHexString(message.hashCode());
        Map<String, String> extra = new LinkedHashMap<>();
        if (FailureKind.classify(message).orElse(null) == FailureKind.DNS) {
            extra.put("kube-dns.service-and-endpoints.yaml", Evidence.dnsService(run.cluster().client()));
            List<String> cat = List.of("cat", "/etc/resolv.conf");
            for (PodRef pod : involved) {
                var resolv = run.executor().exec(pod, cat, probeTimeout().plus(Probe.EXEC_MARGIN));
                extra.put(pod.namespace() + "_" + pod.pod() + ".resolv.conf", resolv.completed() ? resolv.stdout()
                        : "could not read (" + resolv + ")\nreproduce: " + pod.kubectlExec(cat));
            }
        }
        return "\n  evidence: " + Evidence.collect(run.cluster().client(), check, involved, run.config().reportsDir(), extra);
    }

    @Override
    public void close() {
        if (dry()) {
            return;
        }
        // cluster-scoped first, and now: they would outlive the namespaces and shape the next test's traffic
        for (String[] created : createdCluster) {
            try {
                run.clusterPolicies().delete(created[0], created[1]);
            } catch (RuntimeException e) {
                run.say("WARNING: could not delete " + created[0] + " " + created[1] + ": " + e.getMessage()
                        + " (the run's cleanup tries again; `netconform gc` removes it)");
            }
        }
        // fire the deletes now and let the run wait for them at its end: namespace deletion takes ~1 min on some clusters
        deployments.forEach(Deployment::close);
    }
}
