package io.netconform.junit;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.netconform.cluster.Cluster;
import io.netconform.cluster.Images;
import io.netconform.cluster.Permission;
import io.netconform.cluster.Permissions;
import io.netconform.cluster.Placement;
import io.netconform.cluster.RunClusterPolicies;
import io.netconform.cluster.RunId;
import io.netconform.cluster.RunNamespaces;
import io.netconform.cluster.TargetOptions;
import io.netconform.cni.CniDetector;
import io.netconform.cni.CniProfile;
import io.netconform.exec.Executor;
import io.netconform.exec.KubernetesExecutor;
import io.netconform.exec.PodRef;
import io.netconform.policy.IpFamily;
import io.netconform.probe.Probe;
import io.netconform.report.Evidence;
import io.netconform.report.Failing;
import io.netconform.report.FailureKind;
import io.netconform.report.Summary;
import io.netconform.report.SummaryRecorder;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * One conformance run: its id, the cluster, what the CNI is expected to do, the images, and everything the run
 * created (closed at the end, in reverse order of creation).
 *
 * <p>The CLI starts a run before launching the suites, so that a missing cluster or a bad kubeconfig is an exit-2
 * error before any test starts; the suites find it by id. Run from Maven or an IDE, the extension starts one.
 */
public final class Run implements AutoCloseable {

    private static final Map<String, Run> ACTIVE = new ConcurrentHashMap<>();

    private final RunConfig config;
    private final RunId id;
    private final Cluster cluster;
    private final CniProfile cni;
    private final Images images;
    private final RunNamespaces namespaces;
    private final RunClusterPolicies clusterPolicies;
    private final Map<RunClusterPolicies.Kind, Optional<String>> clusterPolicyUnavailable =
            new ConcurrentHashMap<>();
    private final KubernetesExecutor executor;
    private final io.netconform.probe.SocketAgents agents;
    private final Placement placement;
    private final List<Node> nodes;
    private final Consumer<String> console;
    private final EnforcementCheck policyEnforcement;
    private final Capabilities capabilities;
    private final SummaryRecorder summary;
    private Fleet fleet;
    private volatile RuntimeException fatal;

    private Run(RunConfig config, Cluster cluster, Consumer<String> console) {
        this.config = config;
        this.id = config.runId() == null ? RunId.random() : new RunId(config.runId());
        this.cluster = cluster;
        this.console = console;
        this.images = images(config);
        this.cni = CniDetector.detect(cluster.client()).withOverrides(config.cni(), config.expectMtu());
        this.nodes = cluster.client().nodes().list().getItems();
        this.placement = Placement.choose(nodes, config.maxNodePairs());
        this.namespaces = new RunNamespaces(cluster.client(), id, config.namespaceTtl());
        this.clusterPolicies = new RunClusterPolicies(cluster.client(), id, config.namespaceTtl());
        this.executor = new KubernetesExecutor(cluster.client());
        this.agents = new io.netconform.probe.SocketAgents(executor);
        this.policyEnforcement = new EnforcementCheck(this);
        this.capabilities = new Capabilities(this);
        this.summary = new SummaryRecorder(id.value(), harnessVersion());
        summary.cni(cni.asMap());
        summary.cluster(new Summary.Cluster(cluster.serverUrl(), cluster.kubernetesVersion(), cluster.distribution(),
                placement.nodes().size(), List.copyOf(cni.ipFamilies())));
    }

    /** Connects to the cluster the config names and detects the CNI; throws ClusterException when it cannot. */
    public static Run start(RunConfig config, Consumer<String> console) {
        Cluster cluster = Cluster.connect(new TargetOptions(config.kubeconfig(), config.context(), config.embedded(),
                Duration.ofSeconds(15)));
        try {
            return started(new Run(config, cluster, console));
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** A run on an already connected cluster (tests with the mock server). */
    public static Run on(Cluster cluster, RunConfig config, Consumer<String> console) {
        return started(new Run(config, cluster, console));
    }

    private static Run started(Run run) {
        ACTIVE.put(run.id.value(), run);
        run.console.accept("netconform run " + run.id.value() + " on " + run.cluster.description());
        run.console.accept("Kubernetes " + run.cluster.kubernetesVersion() + " (" + run.cluster.distribution() + "), "
                + run.placement.describe());
        run.console.accept(run.cni.describe());
        return run;
    }

    static Optional<Run> find(String id) {
        return Optional.ofNullable(id).map(ACTIVE::get);
    }

    private static Images images(RunConfig config) {
        Images images = Images.defaults();
        if (config.imageRegistry() != null) {
            images = images.withRegistry(config.imageRegistry());
        }
        for (Map.Entry<String, String> e : config.images().entrySet()) {
            images = images.with(e.getKey(), e.getValue());
        }
        return config.pullSecrets().isEmpty() ? images : images.withPullSecrets(config.pullSecrets());
    }

    public String id() {
        return id.value();
    }

    public RunId runId() {
        return id;
    }

    public RunConfig config() {
        return config;
    }

    public Cluster cluster() {
        return cluster;
    }

    public CniProfile cni() {
        return cni;
    }

    public Images images() {
        return images;
    }

    public RunNamespaces namespaces() {
        return namespaces;
    }

    public RunClusterPolicies clusterPolicies() {
        return clusterPolicies;
    }

    /**
     * Why this run cannot create policies of {@code kind}, asked once per run: the API server does not serve it (no
     * CRD), or the credentials lack a grant (these are optional, so the preflight does not demand them).
     */
    public Optional<String> clusterPolicyUnavailable(RunClusterPolicies.Kind kind) {
        return clusterPolicyUnavailable.computeIfAbsent(kind, k -> {
            Optional<String> notServed = RunClusterPolicies.notServed(cluster.client(), k);
            if (notServed.isPresent()) {
                return notServed;
            }
            List<Permission> missing = Permissions.missing(cluster.client(),
                    Permissions.CLUSTER_POLICIES.stream()
                            .filter(p -> p.resource().equals(k.plural())).toList());
            return missing.isEmpty() ? Optional.empty() : Optional.of("the credentials lack "
                    + missing.stream().map(Permission::describe).toList()
                    + " (granted by deploy/rbac.yaml)");
        });
    }

    public Executor executor() {
        return executor;
    }

    public int execCount() {
        return executor.execCount();
    }

    /**
     * The resident probe agents of the run's pods (one kept-open exec per pod probed more than once): policy cases
     * probe the same shared deployment round after round, and each exec costs the node more than the probes do.
     */
    public io.netconform.probe.SocketAgents agents() {
        return agents;
    }

    public Placement placement() {
        return placement;
    }

    /** A node's InternalIP in one family, for probes to the host network; null when it has none. */
    public String nodeAddress(String node, IpFamily family) {
        return nodes.stream().filter(n -> n.getMetadata().getName().equals(node))
                .flatMap(n -> n.getStatus().getAddresses().stream())
                .filter(a -> "InternalIP".equals(a.getType()) && IpFamily.of(a.getAddress()) == family)
                .map(NodeAddress::getAddress).findFirst().orElse(null);
    }

    public void say(String line) {
        console.accept(line);
    }

    /**
     * Collects what a person needs to find out why a check did not pass (the involved pods' describe and events, the
     * CNI pods' status and recent logs; for a DNS failure also the DNS Service and each pod's resolv.conf) into
     * reports/evidence/ and the report, and records on the failure where it went. Every check's failure goes through
     * here (Scenario for suite cases, directly for run-level checks); it never throws, so the failure stays the one
     * reported.
     *
     * @param check the test or check name, the start of the evidence directory's name
     */
    public <T extends Throwable & Failing<T>> T withEvidence(String check, T failure, List<PodRef> involved) {
        String message = failure.getMessage();
        Map<String, String> extra = new LinkedHashMap<>();
        if (failure.kind() == FailureKind.DNS) {
            extra.put("kube-dns.service-and-endpoints.yaml", Evidence.dnsService(cluster.client()));
            List<String> cat = List.of("cat", "/etc/resolv.conf");
            for (PodRef pod : involved) {
                var resolv = executor.exec(pod, cat, config.probeTimeout().plus(Probe.EXEC_MARGIN));
                extra.put(pod.namespace() + "_" + pod.pod() + ".resolv.conf", resolv.completed() ? resolv.stdout()
                        : "could not read (" + resolv + ")\nreproduce: " + pod.kubectlExec(cat));
            }
        }
        String dir = check + "-" + Integer.toHexString(message.hashCode());
        return failure.evidenceIn(Evidence.collect(cluster.client(), dir, involved, config.reportsDir(), extra).toString());
    }

    /** The shared probe pods, deployed on first use. A failure to deploy them ends the run (see {@link #fatal()}). */
    public synchronized Fleet fleet() {
        failIfFatal();
        if (fleet == null) {
            long t0 = System.nanoTime();
            try {
                fleet = Fleet.deploy(cluster.client(), namespaces, placement, images, config.podReadyTimeout());
                say(String.format("fleet ready in %.1f s: %d pods", (System.nanoTime() - t0) / 1e9, fleet.all().size()));
            } catch (RuntimeException e) {
                fatal = e;
                say(String.format("fleet could not start (after %.1f s): %s", (System.nanoTime() - t0) / 1e9, e.getMessage()));
                throw e;
            }
        }
        return fleet;
    }

    /** What the run's report will say; suites add their findings. */
    public SummaryRecorder summary() {
        return summary;
    }

    public static String harnessVersion() {
        String v = Run.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    public EnforcementCheck policyEnforcement() {
        return policyEnforcement;
    }

    /** What the cluster offers beyond pod networking (SCTP, IPv6, NetworkPolicy, ...), each probed once when needed. */
    public Capabilities capabilities() {
        return capabilities;
    }

    /**
     * An infrastructure failure (image pull, admission, unschedulable) that makes every later check meaningless:
     * the remaining checks are skipped with it as the reason and the run exits 2.
     */
    public Optional<RuntimeException> fatal() {
        return Optional.ofNullable(fatal);
    }

    void failIfFatal() {
        if (fatal != null) {
            throw new org.opentest4j.TestAbortedException("not run: the run could not deploy its pods: " + fatal.getMessage());
        }
    }

    @Override
    public void close() {
        ACTIVE.remove(id.value());
        agents.close();
        try {
            // first: cluster-scoped objects outlive namespaces, and their subjects name this run's namespaces
            clusterPolicies.close();
            namespaces.close();
        } finally {
            cluster.close();
        }
    }
}
