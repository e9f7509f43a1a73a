package io.netconform.disruption;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.netconform.cluster.Images;
import io.netconform.cluster.NodePair;
import io.netconform.cluster.Placement;
import io.netconform.cluster.PodReadiness;
import io.netconform.cluster.PodStartException;
import io.netconform.cluster.RunNamespaces;
import io.netconform.cluster.TestPods;
import io.netconform.exec.PerlScript;
import io.netconform.policy.Port;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A running disruption watch: server pods on every sampled node, one prober pod per source node (plus a
 * host-network one where admission allows it), each prober measuring its paths at a fixed interval inside the
 * pod and streaming its results through one followed log. {@link #stop()} ends it and says what each path went
 * through; the pods go with the run's namespaces.
 */
public final class Watch {

    public static final Port TCP = Port.tcp(8080).named("tcp-8080");
    public static final Port UDP = Port.udp(8081).named("udp-8081");
    /** A name every cluster's DNS answers, looked up through the pod's search path. */
    static final String DNS_NAME = "kubernetes.default";

    /**
     * @param interval       time between two samples of one target
     * @param timeoutSeconds how long one sample waits for an answer (whole seconds: ping and dig take no less)
     * @param hostNetwork    also probe node → pod from a host-network pod
     * @param rawOutput      where each prober pod's output is kept as it came ({@code <pod>.log}), as evidence; or null
     */
    public record Settings(Duration interval, int timeoutSeconds, boolean hostNetwork, Duration podReadyTimeout,
                           java.nio.file.Path rawOutput) {
        public Settings {
            Objects.requireNonNull(interval, "interval");
            if (interval.toMillis() < 50) {
                throw new IllegalArgumentException("--interval must be at least 50ms, got " + interval.toMillis() + "ms");
            }
            if (timeoutSeconds < 1) {
                throw new IllegalArgumentException("--sample-timeout must be at least 1s, got " + timeoutSeconds + "s");
            }
        }
    }

    private final Settings settings;
    private final String namespace;
    private final List<ProberFeed> feeds = new ArrayList<>();
    private final List<Target> targets = new ArrayList<>();
    private final List<LogFollower> followers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<String> notices = new ArrayList<>();
    private final Consumer<String> console;
    private final Instant started = Instant.now();

    private Watch(Settings settings, String namespace, Consumer<String> console) {
        this.settings = settings;
        this.namespace = namespace;
        this.console = console;
    }

    /**
     * Deploys the pods, waits until they run, and starts following their probers.
     *
     * @throws PodStartException when a pod cannot start (image, admission, scheduling): an infrastructure problem
     */
    public static Watch start(KubernetesClient client, RunNamespaces namespaces, Placement placement, Images images,
                              Settings settings, Consumer<String> console) {
        String ns = namespaces.create("watch", "watch", Map.of());
        Watch watch = new Watch(settings, ns, console);
        Map<String, String> serverIps = watch.deployServers(client, placement, images);
        String serviceIp = client.services().inNamespace(ns).withName("web").get().getSpec().getClusterIP();
        Map<String, List<Target>> probers = plan(placement, serverIps, serviceIp);
        List<String> clients = new ArrayList<>();
        probers.forEach((pod, targets) -> {
            PodReadiness.create(client, ns, watch.prober(images, pod, targets, false, podNode(placement, targets)));
            clients.add(pod);
        });
        if (settings.hostNetwork()) {
            watch.hostProber(client, ns, placement, images, serverIps, probers);
        }
        PodReadiness.awaitReady(client, ns, List.copyOf(watch.podsWithTargets(probers)), settings.podReadyTimeout());
        probers.forEach((pod, targets) -> {
            watch.targets.addAll(targets);
            watch.follow(client, pod, targets);
        });
        return watch;
    }

    /** Targets per prober pod: each sampled node pair from its source node, and Service and DNS from the first. */
    static Map<String, List<Target>> plan(Placement placement, Map<String, String> serverIps, String serviceIp) {
        Map<String, List<Target>> probers = new LinkedHashMap<>();
        int n = 0;
        for (NodePair pair : placement.pairs()) {
            String pod = "watch-" + dns(pair.from());
            String path = "pod " + pair.from() + " → pod " + pair.to() + (pair.sameNode() ? " (same node)" : " (cross node)");
            String ip = serverIps.get(pair.to());
            List<Target> targets = probers.computeIfAbsent(pod, p -> new ArrayList<>());
            targets.add(new Target("t" + n++, path, Check.ICMP, ip, 0, pod));
            targets.add(new Target("t" + n++, path, Check.TCP, ip, TCP.number(), pod));
            targets.add(new Target("t" + n++, path, Check.UDP, ip, UDP.number(), pod));
            targets.add(new Target("t" + n++, path, Check.TCP_REUSED, ip, TCP.number(), pod));
        }
        String first = probers.keySet().iterator().next();
        String from = placement.pairs().get(0).from();
        probers.get(first).add(new Target("t" + n++, "pod " + from + " → Service web (ClusterIP)", Check.HTTP,
                serviceIp, 80, first));
        probers.get(first).add(new Target("t" + n, "pod " + from + " → cluster DNS", Check.DNS, DNS_NAME, 0, first));
        return probers;
    }

    private Map<String, String> deployServers(KubernetesClient client, Placement placement, Images images) {
        Map<String, String> podByNode = new LinkedHashMap<>();
        for (String node : placement.nodes()) {
            String name = "srv-" + dns(node);
            podByNode.put(node, name);
            PodReadiness.create(client, namespace, requests(TestPods.onNode(
                    TestPods.netshootServer(images, name, List.of(TCP, UDP)), node), "50m").build());
        }
        // the Service's backend sits on the last node, so Service traffic from the first node crosses nodes
        String webNode = placement.nodes().get(placement.nodes().size() - 1);
        PodReadiness.create(client, namespace, requests(TestPods.onNode(TestPods.nginx(images, "web"), webNode), "50m")
                .editMetadata().addToLabels("netconform.io/role", "web").endMetadata().build());
        client.services().inNamespace(namespace).resource(new ServiceBuilder()
                .withNewMetadata().withName("web").endMetadata()
                .withNewSpec().addToSelector("netconform.io/role", "web")
                .addNewPort().withName("http").withPort(80).withNewTargetPort(80).endPort()
                .endSpec().build()).create();
        List<String> names = new ArrayList<>(podByNode.values());
        names.add("web");
        List<Pod> ready = PodReadiness.awaitReady(client, namespace, names, settings.podReadyTimeout());
        Map<String, String> ips = new LinkedHashMap<>();
        podByNode.forEach((node, pod) -> ready.stream().filter(p -> p.getMetadata().getName().equals(pod))
                .findFirst().ifPresent(p -> ips.put(node, p.getStatus().getPodIP())));
        return ips;
    }

    /** node → pod, where admission lets a pod use the host network; said once and skipped otherwise. */
    private void hostProber(KubernetesClient client, String ns, Placement placement, Images images,
                            Map<String, String> serverIps, Map<String, List<Target>> probers) {
        String node = placement.nodes().get(0);
        String pod = "watch-host-" + dns(node);
        List<Target> targets = new ArrayList<>();
        int n = probers.values().stream().mapToInt(List::size).sum();
        for (NodePair pair : placement.pairs()) {
            if (!pair.from().equals(node)) {
                continue;
            }
            String path = "node " + node + " → pod " + pair.to() + (pair.sameNode() ? " (same node)" : " (cross node)");
            targets.add(new Target("t" + n++, path, Check.ICMP, serverIps.get(pair.to()), 0, pod));
            targets.add(new Target("t" + n++, path, Check.TCP, serverIps.get(pair.to()), TCP.number(), pod));
        }
        try {
            PodReadiness.create(client, ns, prober(images, pod, targets, true, node));
            probers.put(pod, targets);
        } catch (PodStartException e) {
            note("node → pod not measured: " + e.getMessage());
        }
    }

    private List<String> podsWithTargets(Map<String, List<Target>> probers) {
        return List.copyOf(probers.keySet());
    }

    private static String podNode(Placement placement, List<Target> targets) {
        String pod = targets.get(0).source();
        return placement.pairs().stream().map(NodePair::from).filter(node -> pod.equals("watch-" + dns(node)))
                .findFirst().orElseThrow();
    }

    private Pod prober(Images images, String name, List<Target> targets, boolean hostNetwork, String node) {
        List<String> command = proberCommand(settings.interval(), settings.timeoutSeconds(), targets);
        PodBuilder pod = requests(TestPods.onNode(TestPods.netshootClient(images, name), node), "100m")
                .editSpec().editFirstContainer().withCommand(command).endContainer().endSpec();
        if (hostNetwork) {
            pod.editSpec().withHostNetwork(true).withDnsPolicy("ClusterFirstWithHostNet").endSpec();
        }
        return pod.build();
    }

    /**
     * CPU requests, so that a busy node does not starve the probers and starvation is not read as disruption
     * (due times a prober could not keep are reported as "not sampled", not as down).
     */
    private static PodBuilder requests(PodBuilder pod, String cpu) {
        return pod.editSpec().editFirstContainer().withNewResources()
                .addToRequests("cpu", new Quantity(cpu)).addToRequests("memory", new Quantity("32Mi"))
                .endResources().endContainer().endSpec();
    }

    /** The bash prober: the fallback where a pod has no perl, and the reference for the line protocol. */
    static String proberScript() {
        try (InputStream in = Watch.class.getResourceAsStream("prober.sh")) {
            return new String(Objects.requireNonNull(in, "prober.sh on the classpath").readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The perl prober: every sample of every target in one process, no fork per sample (see prober.pl). */
    static final String PROBER_PL = PerlScript.load(Watch.class, "prober.pl");

    /**
     * Runs the perl prober where the image has perl, else prober.sh (which forks its tools per sample). Both scripts
     * travel as arguments of this one {@code sh -c}, not as environment variables, so the same command serves as a
     * pod's command (Watch) and inside an exec (OpenFlows), where no environment can be set; {@code sh} because an
     * image without perl may lack bash too, and then says so in its log. {@code exec} keeps the prober the pod's PID 1.
     */
    static final String LAUNCHER = "pl=$1 sh=$2; shift 2; "
            + "if command -v perl >/dev/null 2>&1; then exec perl -e \"$pl\" \"$@\"; fi; "
            + "exec bash -c \"$sh\" prober \"$@\"";

    /** {@code sh -c LAUNCHER ...}: the prober command for these targets, sampled every {@code interval}. */
    static List<String> proberCommand(Duration interval, int timeoutSeconds, List<Target> targets) {
        List<String> command = new ArrayList<>(List.of("sh", "-c", LAUNCHER, "prober", PROBER_PL, proberScript(),
                Long.toString(interval.toNanos() / 1000), Integer.toString(timeoutSeconds)));
        targets.forEach(t -> command.addAll(List.of(t.proberArgs())));
        return command;
    }

    private void follow(KubernetesClient client, String pod, List<Target> targets) {
        ProberFeed feed = new ProberFeed(targets, this::opened, this::closed);
        feeds.add(feed);
        java.io.Writer raw = rawWriter(pod);
        LogFollower[] follower = new LogFollower[1];
        follower[0] = new LogFollower(client, namespace, pod, line -> {
            synchronized (this) {
                feed.accept(line).ifPresent(follower[0]::seen);
                if (raw != null) {
                    try {
                        raw.write(line + "\n");
                        // a killed watch still leaves its evidence
                        raw.flush();
                    } catch (IOException e) {
                        note("cannot keep the raw output of " + pod + ": " + e.getMessage());
                    }
                }
            }
        }, this::note);
        followers.add(follower[0]);
        Thread thread = new Thread(follower[0], "watch-" + pod);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }

    private int outages;
    private final java.util.Set<String> down = new java.util.LinkedHashSet<>();

    /** e.g. {@code 3 outages so far; down now: pod n1 → pod n2 (cross node) · TCP connect} — for a status line. */
    public synchronized String status() {
        long notUpYet = feeds.stream().mapToLong(ProberFeed::notUpYet).sum();
        // "every path is up" only of paths seen working: a watch that hears nothing must not sound healthy
        String waiting = notUpYet == 0 ? "" : "; not seen working yet: " + notUpYet + " of " + targets.size()
                + " paths × checks";
        return outages + (outages == 1 ? " outage" : " outages") + " so far"
                + (down.isEmpty() ? notUpYet == 0 ? "; every path is up" : "" : "; down now: " + String.join(", ", down))
                + waiting;
    }

    private synchronized void opened(Outage o) {
        outages++;
        down.add(o.target().name());
        console.accept(String.format("%s ▼ DOWN %s: %s%s", clock(o.start()), o.target().name(), o.failure(),
                o.detail().isBlank() ? "" : " (" + o.detail() + ")"));
    }

    private synchronized void closed(Outage o) {
        down.remove(o.target().name());
        console.accept(String.format("%s ▲ UP   %s after %.1f s (%d failed samples)", clock(o.end()),
                o.target().name(), o.seconds(), o.failedSamples()));
    }

    private synchronized void note(String text) {
        notices.add(Instant.now() + " " + text);
        console.accept("watch: " + text);
    }

    private static String clock(Instant t) {
        return t.toString().substring(11, Math.min(23, t.toString().length()));
    }

    public String namespace() {
        return namespace;
    }

    public Instant started() {
        return started;
    }

    public synchronized List<Target> targets() {
        return List.copyOf(targets);
    }

    /** Stops following the probers and says what every target went through. */
    public WatchResult stop() {
        followers.forEach(LogFollower::stop);
        for (Thread t : threads) {
            try {
                t.join(Duration.ofSeconds(5).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            for (java.io.Writer w : raws) {
                try {
                    w.close();
                } catch (IOException e) {
                    note("cannot close a raw output file: " + e.getMessage());
                }
            }
            Instant end = Instant.now();
            List<PathDisruption> paths = feeds.stream().flatMap(f -> f.finish(end).stream()).toList();
            int resumed = followers.stream().mapToInt(LogFollower::resumed).sum();
            int unparsed = feeds.stream().mapToInt(ProberFeed::unparsed).sum();
            feeds.stream().filter(f -> f.unparsed() > 0).findFirst().ifPresent(f -> note(unparsed
                    + (unparsed == 1 ? " line" : " lines") + " of prober output were not the prober's; the first: "
                    + f.firstUnparsed()));
            return new WatchResult(started, end, settings.interval(), paths, List.copyOf(notices), resumed, unparsed);
        }
    }

    private final List<java.io.Writer> raws = new ArrayList<>();

    private java.io.Writer rawWriter(String pod) {
        if (settings.rawOutput() == null) {
            return null;
        }
        try {
            java.nio.file.Files.createDirectories(settings.rawOutput());
            java.io.Writer w = java.nio.file.Files.newBufferedWriter(settings.rawOutput().resolve(pod + ".log"),
                    StandardCharsets.UTF_8);
            raws.add(w);
            return w;
        } catch (IOException e) {
            note("cannot keep the raw output of " + pod + ": " + e.getMessage());
            return null;
        }
    }

    static String dns(String node) {
        String n = node.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        return n.length() > 40 ? n.substring(0, 40).replaceAll("-+$", "") : n;
    }
}
