package io.netconform.probe.lab;

import io.netconform.exec.ExecResult;
import io.netconform.exec.PodRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * A two-node pod network built from Linux network namespaces on this machine, so probe commands are
 * tested against a real kernel rather than recorded text. It mirrors the topology the probe-output
 * fixtures were captured on (see {@code fixtures/probe-outputs/README.md}), on its own addresses:
 *
 * <pre>
 *  node1 netns: cni0 10.77.0.1/24                              node2 netns: cni0 10.77.1.1/24
 *    pa  10.77.0.10 mtu 1450                                     pb  10.77.1.10 mtu 1450: nginx :80 :8080 :8081,
 *    pc  10.77.0.11 mtu 1500 (the misconfigured pod)                 socat echo tcp+udp :9000, udp :9999;
 *  vxlan0 10.79.0.1 mtu 1450 ── VNI 42, dstport 4789 ──  vxlan0      iptables: tcp 8080 DROP, tcp 8081 REJECT, udp 9999 DROP
 *  u1 10.78.0.1 ═══════════ veth underlay, mtu 1500 ═══════════ u2  dns 10.77.1.53 mtu 1450: dnsmasq for cluster.local,
 *                                                                    10.77.1.54 drops everything (a silent DNS server)
 * </pre>
 *
 * <p>Every namespace is named {@code ncl-<jvm pid>-<random>-<role>} and every device lives inside one, so
 * several labs (and the k8s lab on {@code k8slab-*}, 10.244/16) share the machine without colliding, and
 * no packet ever reaches the root namespace. {@link #close()} removes all of it; a shutdown hook does the
 * same if the JVM exits first, and {@link #start()} sweeps labs left by JVMs that were killed outright.
 */
public final class ProbeLab implements AutoCloseable {

    public static final String PA = "pa";
    public static final String PC = "pc";
    public static final String PB = "pb";
    public static final String DNS = "dns";

    public static final String PA_IP = "10.77.0.10";
    public static final String PC_IP = "10.77.0.11";
    public static final String PB_IP = "10.77.1.10";
    public static final String DNS_IP = "10.77.1.53";
    /** Held by the dns pod, which drops everything sent to it: a DNS server that never answers. */
    public static final String DROP_ALL_IP = "10.77.1.54";
    public static final String NODE1_GATEWAY = "10.77.0.1";

    /** The pod path MTU: 1500 underlay minus 50 bytes of VXLAN encapsulation. */
    public static final int POD_MTU = 1450;
    public static final String SERVICE_NAME = "web.default.svc.cluster.local";
    public static final String HTTP_BODY = "netconform probe lab";

    public static final int HTTP_PORT = 80;
    public static final int TCP_DROPPED_PORT = 8080;
    public static final int TCP_REJECTED_PORT = 8081;
    /** TCP and UDP echo (socat) on pb. */
    public static final int ECHO_PORT = 9000;
    /** A UDP echo server listens here too, so the silence comes from iptables and not from a closed port. */
    public static final int UDP_DROPPED_PORT = 9999;
    /** iperf3's default port on pb, served only after {@link #startIperf3Server()}. */
    public static final int IPERF3_PORT = 5201;

    private static final Logger LOG = LoggerFactory.getLogger(ProbeLab.class);
    private static final String PREFIX = "ncl-";
    /** A lab's name, which also names its namespaces (name-role) and its work directory under the temp dir. */
    private static final Pattern LAB_NAME = Pattern.compile("ncl-(\\d+)-[0-9a-f]{6}");
    private static final Pattern LAB_NETNS = Pattern.compile(LAB_NAME.pattern() + "-[a-z0-9]+");
    private static final Path TMP = Path.of(System.getProperty("java.io.tmpdir"));
    private static final Duration HOST_TIMEOUT = Duration.ofSeconds(10);
    private static final Path NETNS_ETC = Path.of("/etc/netns");

    private record Pod(String name, int node, String ip, int mtu) {
    }

    private static final List<Pod> PODS = List.of(
            new Pod(PA, 1, PA_IP, POD_MTU),
            new Pod(PC, 1, PC_IP, 1500),
            new Pod(PB, 2, PB_IP, POD_MTU),
            new Pod(DNS, 2, DNS_IP, POD_MTU));

    private record Daemon(String what, Process process, Path log) {
    }

    private final String name;
    private final Path workDir;
    private final Map<String, String> netnsByRole = new LinkedHashMap<>();
    private final List<Daemon> daemons = new ArrayList<>();
    /** Only what this lab created is deleted, so a failed set-up can never remove another lab's namespace. */
    private final List<String> created = new ArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook;
    private final NetnsExecutor executor;
    private Duration setupTime;
    private Duration teardownTime;

    private ProbeLab(String name, Path workDir) {
        this.name = name;
        this.workDir = workDir;
        for (String role : List.of("n1", "n2", PA, PC, PB, DNS)) {
            netnsByRole.put(role, name + "-" + role);
        }
        Map<String, String> pods = new LinkedHashMap<>();
        PODS.forEach(pod -> pods.put(pod.name(), netnsByRole.get(pod.name())));
        this.executor = new NetnsExecutor(name, pods);
        this.shutdownHook = new Thread(this::close, name + "-cleanup");
    }

    /**
     * Builds the lab and waits until every server listens. Needs root and the tools that
     * {@link RequiresProbeLab} checks for; on any failure, removes what it had made and throws.
     */
    public static ProbeLab start() {
        long t0 = System.nanoTime();
        sweepAbandoned();
        String name = PREFIX + ProcessHandle.current().pid() + "-" + randomHex();
        ProbeLab lab;
        try {
            lab = new ProbeLab(name, Files.createDirectory(TMP.resolve(name)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a work directory for probe lab " + name, e);
        }
        Runtime.getRuntime().addShutdownHook(lab.shutdownHook);
        try {
            lab.buildNetwork();
            lab.startServers();
        } catch (RuntimeException | Error e) {
            try {
                lab.close();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        lab.setupTime = Duration.ofNanos(System.nanoTime() - t0);
        LOG.info("probe lab {} up in {} ms", name, lab.setupTime.toMillis());
        return lab;
    }

    public String name() {
        return name;
    }

    /** The pod {@code pod} ({@link #PA}, {@link #PB}, ...) as the executor addresses it. */
    public PodRef pod(String pod) {
        if (PODS.stream().noneMatch(p -> p.name().equals(pod))) {
            throw new IllegalArgumentException("probe lab has no pod '" + pod + "'; pods: "
                    + PODS.stream().map(Pod::name).collect(Collectors.joining(", ")));
        }
        return new PodRef(name, pod, "main");
    }

    public NetnsExecutor executor() {
        return executor;
    }

    /** Every network namespace this lab made, by role (n1, n2, pa, pc, pb, dns). */
    public Map<String, String> namespaces() {
        return Map.copyOf(netnsByRole);
    }

    /** Process ids of the servers the lab started (nginx, dnsmasq, socat), to check none outlives it. */
    public List<Long> serverPids() {
        return daemons.stream().map(d -> d.process().pid()).toList();
    }

    /** Configs and logs of the lab's servers; removed by {@link #close()}. */
    Path workDir() {
        return workDir;
    }

    public Duration setupTime() {
        return setupTime;
    }

    /** How long {@link #close()} took; null until it ran. */
    public Duration teardownTime() {
        return teardownTime;
    }

    private void buildNetwork() {
        netnsByRole.values().forEach(ns -> {
            host("ip", "netns", "add", ns);
            created.add(ns);
            ip(ns, "link", "set", "lo", "up");
        });
        String n1 = netnsByRole.get("n1");
        String n2 = netnsByRole.get("n2");
        // Created straight into the node namespaces: a name in the root namespace could collide with another lab.
        host("ip", "link", "add", "u1", "netns", n1, "mtu", "1500", "type", "veth", "peer", "name", "u2", "netns", n2, "mtu", "1500");
        for (int node = 1; node <= 2; node++) {
            int other = 3 - node;
            String ns = netnsByRole.get("n" + node);
            ip(ns, "addr", "add", "10.78.0." + node + "/24", "dev", "u" + node);
            ip(ns, "link", "set", "u" + node, "up");
            ip(ns, "link", "add", "vxlan0", "mtu", String.valueOf(POD_MTU), "type", "vxlan", "id", "42",
                    "local", "10.78.0." + node, "remote", "10.78.0." + other, "dev", "u" + node, "dstport", "4789");
            ip(ns, "addr", "add", "10.79.0." + node + "/24", "dev", "vxlan0");
            ip(ns, "link", "set", "vxlan0", "up");
            ip(ns, "link", "add", "cni0", "type", "bridge");
            ip(ns, "addr", "add", gateway(node) + "/24", "dev", "cni0");
            ip(ns, "link", "set", "cni0", "up");
            ip(ns, "route", "add", "10.77." + (other - 1) + ".0/24", "via", "10.79.0." + other, "dev", "vxlan0");
            // icmp_ratelimit=0: a burst of probes must each get its "frag needed" or "time exceeded" answer.
            host("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv4.ip_forward=1", "net.ipv4.icmp_ratelimit=0");
        }
        for (Pod pod : PODS) {
            String ns = netnsByRole.get(pod.name());
            String node = netnsByRole.get("n" + pod.node());
            String mtu = String.valueOf(pod.mtu());
            // The node end carries the pod's MTU too: a veth drops frames larger than the receiving end's MTU,
            // and pc's oversized packets must reach the node to be answered with "frag needed".
            host("ip", "link", "add", "eth0", "netns", ns, "mtu", mtu, "type", "veth",
                    "peer", "name", "v" + pod.name(), "netns", node, "mtu", mtu);
            ip(node, "link", "set", "v" + pod.name(), "master", "cni0", "up");
            ip(ns, "addr", "add", pod.ip() + "/24", "dev", "eth0");
            ip(ns, "link", "set", "eth0", "up");
            ip(ns, "route", "add", "default", "via", gateway(pod.node()));
        }
        String dns = netnsByRole.get(DNS);
        ip(dns, "addr", "add", DROP_ALL_IP + "/24", "dev", "eth0");
        iptables(dns, "-A", "INPUT", "-d", DROP_ALL_IP, "-j", "DROP");
        String pb = netnsByRole.get(PB);
        iptables(pb, "-A", "INPUT", "-p", "tcp", "--dport", String.valueOf(TCP_DROPPED_PORT), "-j", "DROP");
        iptables(pb, "-A", "INPUT", "-p", "tcp", "--dport", String.valueOf(TCP_REJECTED_PORT), "-j", "REJECT", "--reject-with", "tcp-reset");
        iptables(pb, "-A", "INPUT", "-p", "udp", "--dport", String.valueOf(UDP_DROPPED_PORT), "-j", "DROP");
        // ip netns exec bind-mounts /etc/netns/<ns>/resolv.conf, so clients resolve through the lab's DNS pod
        // exactly as a pod with ClusterFirst DNS would, without touching the machine's own resolv.conf.
        for (String client : List.of(PA, PC)) {
            writeResolvConf(netnsByRole.get(client));
        }
    }

    private void startServers() {
        String pb = netnsByRole.get(PB);
        String dns = netnsByRole.get(DNS);
        Path nginx = workDir.resolve("nginx");
        writeFile(nginx.resolve("nginx.conf"), nginxConfig(nginx));
        daemon("nginx", pb, "nginx", "-p", nginx.toString(), "-c", nginx.resolve("nginx.conf").toString(),
                "-e", nginx.resolve("error.log").toString());
        daemon("socat-tcp-echo", pb, "socat", "TCP4-LISTEN:" + ECHO_PORT + ",fork,reuseaddr", "PIPE");
        daemon("socat-udp-echo", pb, "socat", "UDP4-RECVFROM:" + ECHO_PORT + ",fork", "PIPE");
        daemon("socat-udp-dropped", pb, "socat", "UDP4-RECVFROM:" + UDP_DROPPED_PORT + ",fork", "PIPE");
        daemon("dnsmasq", dns, "dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null", "--no-resolv", "--no-hosts",
                "--listen-address=" + DNS_IP, "--bind-interfaces", "--local=/cluster.local/",
                "--address=/" + SERVICE_NAME + "/" + PB_IP, "--pid-file=" + workDir.resolve("dnsmasq.pid"),
                "--log-facility=-");
        awaitListening(pb, Set.of("tcp:" + HTTP_PORT, "tcp:" + TCP_DROPPED_PORT, "tcp:" + TCP_REJECTED_PORT,
                "tcp:" + ECHO_PORT, "udp:" + ECHO_PORT, "udp:" + UDP_DROPPED_PORT));
        awaitListening(dns, Set.of("udp:53", "tcp:53"));
    }

    /**
     * Starts {@code iperf3 -s} on pb (TCP and UDP tests, one client at a time) and waits until it listens.
     * Optional because only throughput measurements need it and not every machine has iperf3; it runs as one
     * of the lab's servers, so {@link #close()} stops it and fails if it outlives the lab. Idempotent.
     */
    public synchronized void startIperf3Server() {
        if (closed.get()) {
            throw new IllegalStateException(this + " is closed; cannot start iperf3 in it");
        }
        if (daemons.stream().anyMatch(d -> d.what().equals("iperf3") && d.process().isAlive())) {
            return;
        }
        String pb = netnsByRole.get(PB);
        // not -D: a daemonised iperf3 would leave the process the lab tracks (and stops) at once
        daemon("iperf3", pb, "iperf3", "-s", "-p", String.valueOf(IPERF3_PORT));
        awaitListening(pb, Set.of("tcp:" + IPERF3_PORT));
    }

    private static String nginxConfig(Path dir) {
        return """
                daemon off;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log;
                events { worker_connections 64; }
                http {
                  access_log off;
                  client_body_temp_path %1$s/body;
                  proxy_temp_path %1$s/proxy;
                  fastcgi_temp_path %1$s/fastcgi;
                  uwsgi_temp_path %1$s/uwsgi;
                  scgi_temp_path %1$s/scgi;
                  server {
                    listen %2$d;
                    listen %3$d;
                    listen %4$d;
                    location / { default_type text/plain; return 200 "%5$s\\n"; }
                  }
                }
                """.formatted(dir, HTTP_PORT, TCP_DROPPED_PORT, TCP_REJECTED_PORT, HTTP_BODY);
    }

    /** Starts a server in {@code netns}; setsid gives it its own session, and ip netns exec execs it, so the pid is the server's. */
    private void daemon(String what, String netns, String... argv) {
        Path log = workDir.resolve(what + ".log");
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", netns, "setsid"));
        command.addAll(List.of(argv));
        try {
            Process process = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            daemons.add(new Daemon(what, process, log));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + what + ": " + NetnsExecutor.line(command), e);
        }
    }

    private void awaitListening(String netns, Set<String> sockets) {
        await("servers in " + netns + " listening on " + sockets)
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    daemons.stream().filter(d -> !d.process().isAlive()).findFirst().ifPresent(dead -> {
                        throw new IllegalStateException(dead.what() + " exited with " + dead.process().exitValue()
                                + " while the lab was starting; its log (" + dead.log() + "):\n" + readQuietly(dead.log()));
                    });
                    return listening(netns).containsAll(sockets);
                });
    }

    private static Set<String> listening(String netns) {
        String table = host("ip", "netns", "exec", netns, "ss", "-Hlntu").stdout();
        return table.lines()
                .map(line -> line.trim().split("\\s+"))
                .filter(cols -> cols.length >= 5)
                .map(cols -> cols[0] + ":" + cols[4].substring(cols[4].lastIndexOf(':') + 1))
                .collect(Collectors.toSet());
    }

    /**
     * Stops every server, deletes every namespace and file the lab made. Idempotent and safe to call from
     * a shutdown hook; throws if something could not be removed, so a leak fails the test run loudly.
     */
    @Override
    public synchronized void close() {
        // synchronized: a shutdown hook arriving during close() waits for it instead of letting the JVM exit mid-way
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long t0 = System.nanoTime();
        // Cleanup must run to the end even when the test thread was interrupted.
        boolean interrupted = Thread.interrupted();
        List<String> problems = new ArrayList<>();
        Processes.destroyTrees(daemons.stream().map(d -> d.process().toHandle()).toList());
        for (String ns : created) {
            if (Files.exists(Path.of("/run/netns", ns))) {
                removeNamespace(ns, problems);
            }
            deleteTree(NETNS_ETC.resolve(ns), problems);
        }
        deleteTree(workDir, problems);
        daemons.stream().filter(d -> Processes.isRunning(d.process().pid()))
                .forEach(d -> problems.add(d.what() + " (pid " + d.process().pid() + ") is still running"));
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // we are the shutdown hook: nothing to unregister
        }
        teardownTime = Duration.ofNanos(System.nanoTime() - t0);
        LOG.info("probe lab {} removed in {} ms", name, teardownTime.toMillis());
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("probe lab " + name + " was not fully removed:\n  " + String.join("\n  ", problems));
        }
    }

    /** Kills whatever still runs in {@code ns} (a probe a test left behind), then deletes it. */
    private static void removeNamespace(String ns, List<String> problems) {
        ExecResult pids = NetnsExecutor.run(List.of("ip", "netns", "pids", ns), HOST_TIMEOUT);
        Processes.destroyTrees(pids.stdout().lines().filter(l -> l.matches("\\d+"))
                .flatMap(pid -> ProcessHandle.of(Long.parseLong(pid)).stream()).toList());
        ExecResult del = NetnsExecutor.run(List.of("ip", "netns", "del", ns), HOST_TIMEOUT);
        if (!del.completed() || del.exitCode() != 0) {
            problems.add("ip netns del " + ns + ": " + del + " " + del.output().strip());
        }
    }

    /**
     * Removes labs whose JVM died without running its shutdown hook (kill -9, a crashed fork). The JVM pid in
     * the name tells whose lab it is; labs of live JVMs, including concurrent test runs, are left alone.
     */
    private static void sweepAbandoned() {
        List<String> problems = new ArrayList<>();
        for (String ns : list(Path.of("/run/netns"))) {
            if (abandoned(LAB_NETNS, ns)) {
                LOG.warn("removing network namespace {}, left by a JVM that died", ns);
                removeNamespace(ns, problems);
                deleteTree(NETNS_ETC.resolve(ns), problems);
            }
        }
        for (String dir : list(TMP)) {
            if (abandoned(LAB_NAME, dir)) {
                deleteTree(TMP.resolve(dir), problems);
            }
        }
        problems.forEach(p -> LOG.warn("could not remove an abandoned probe lab: {}", p));
    }

    private static boolean abandoned(Pattern pattern, String name) {
        Matcher m = pattern.matcher(name);
        return m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty();
    }

    private static List<String> list(Path dir) {
        String[] entries = dir.toFile().list();
        return entries == null ? List.of() : List.of(entries);
    }

    private static String gateway(int node) {
        return "10.77." + (node - 1) + ".1";
    }

    private static void writeResolvConf(String ns) {
        writeFile(NETNS_ETC.resolve(ns).resolve("resolv.conf"), """
                nameserver %s
                search default.svc.cluster.local svc.cluster.local cluster.local
                options ndots:5 timeout:1 attempts:1
                """.formatted(DNS_IP));
    }

    private static void ip(String ns, String... args) {
        List<String> argv = new ArrayList<>(List.of("ip", "-n", ns));
        argv.addAll(List.of(args));
        host(argv.toArray(String[]::new));
    }

    private static void iptables(String ns, String... args) {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", ns, "iptables", "-w"));
        argv.addAll(List.of(args));
        host(argv.toArray(String[]::new));
    }

    /** Runs a set-up command on this machine; any failure aborts the lab with the command and its output. */
    private static ExecResult host(String... argv) {
        ExecResult result = NetnsExecutor.run(List.of(argv), HOST_TIMEOUT);
        if (!result.completed() || result.exitCode() != 0) {
            throw new IllegalStateException("probe lab set-up step failed: expected exit 0, got " + result
                    + "\n  command: " + NetnsExecutor.line(List.of(argv)) + "\n  output: " + result.output().strip());
        }
        return result;
    }

    private static void writeFile(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void deleteTree(Path root, List<String> problems) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            problems.add("cannot delete " + root + ": " + e.getMessage());
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "<unreadable: " + e.getMessage() + ">";
        }
    }

    private static String randomHex() {
        byte[] bytes = new byte[3];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public String toString() {
        return "probe lab " + name;
    }
}
