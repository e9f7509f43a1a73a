package io.netconform.cluster;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.netconform.exec.PerlScript;
import io.netconform.exec.PodRef;
import io.netconform.policy.Port;
import io.netconform.policy.Protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The pods a scenario deploys, as fabric8 builders so a test changes one field and keeps the rest.
 *
 * <p>Every pod has one container named {@value #CONTAINER} (the exec target), the label
 * {@code app.kubernetes.io/managed-by=netconform} (what cleanup and gc select on), CAP_NET_RAW and
 * nothing more (ICMP ping needs it; Pod Security "baseline" allows it, "restricted" does not), a
 * zero grace period (deleting a namespace of test pods should not take 30 s per pod) and
 * {@code restartPolicy: Never}, so a crashed listener shows up as a failed pod instead of a
 * restarted one that silently lost its state.
 *
 * <p>netshoot and busybox pods always get an explicit command: images built for air-gapped or lab
 * clusters (e.g. {@code k8s.lab/netshoot:lab}) start something else by default. nginx keeps the
 * image's own command, which runs nginx in the foreground.
 */
public final class TestPods {

    public static final String CONTAINER = "probe";
    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY = "netconform";
    public static final String KIND_LABEL = "app.kubernetes.io/name";

    /*
     * Sleeps "forever" in any POSIX sh: `sleep infinity` is GNU-only, and a shell running as PID 1
     * ignores SIGTERM unless it traps it, so the trap plus a backgrounded sleep and `wait` lets the
     * pod stop at once on deletion.
     */
    static final String SLEEP_FOREVER = "sleep 2147483647 & wait";
    static final String EXIT_ON_TERM = "trap 'exit 0' TERM INT";

    /** True (exit 0) when the pod has an IPv6 address of global scope; a missing file means no IPv6 at all. */
    static final String HAS_GLOBAL_IPV6 =
            "has_ipv6() { awk '$4 == \"00\" { found = 1 } END { exit !found }' /proc/net/if_inet6 2>/dev/null; }";

    /** The TCP and UDP echo server of netshoot server pods, one process for all ports (resource echo-server.pl). */
    static final String ECHO_SERVER = PerlScript.load(TestPods.class, "echo-server.pl");

    private TestPods() {
    }

    /**
     * netshoot serving every port with socat: TCP echo, UDP echo (request/response, the only way to
     * tell an open UDP port from a filtered one) and SCTP echo where the kernel supports it, each on
     * IPv4 and IPv6. A TCP or UDP listener that dies takes the pod down with it (signal USR1 to the
     * shell), so a broken server fails the readiness wait instead of reading as "refused"; an SCTP
     * listener that cannot start only logs "sctp unavailable", because not every node has SCTP.
     *
     * <p>IPv4 and IPv6 get separate listeners ({@code TCP4-LISTEN} and {@code TCP6-LISTEN,ipv6only=1}):
     * plain {@code TCP-LISTEN} binds IPv4 only in socat 1.7, so every IPv6 probe of a dual-stack pod
     * would read "refused". An IPv6 listener that dies stops the pod only when the pod has a global
     * IPv6 address ({@code /proc/net/if_inet6} scope 00): in a pod without IPv6 (a kernel booted with
     * {@code ipv6.disable=1}) nothing will probe it, and that must not take the IPv4 listeners down.
     */
    public static PodBuilder netshootServer(Images images, String name, List<Port> ports) {
        Objects.requireNonNull(ports, "ports");
        List<Port> served = distinctTraffic(ports);
        if (served.isEmpty()) {
            throw new IllegalArgumentException("netshoot server '" + name + "' needs at least one port to serve");
        }
        List<ContainerPort> containerPorts = served.stream().map(TestPods::containerPort).toList();
        return base(images, name, images.netshoot(), "netshoot-server")
                .editSpec().editFirstContainer()
                .withCommand("sh", "-c", serverScript(served))
                .withPorts(containerPorts)
                .endContainer().endSpec();
    }

    /** netshoot idling until a probe execs into it. */
    public static PodBuilder netshootClient(Images images, String name) {
        return base(images, name, images.netshoot(), "netshoot-client")
                .editSpec().editFirstContainer()
                .withCommand("sh", "-c", EXIT_ON_TERM + "; " + SLEEP_FOREVER)
                .endContainer().endSpec();
    }

    /** nginx on port 80 with its image's default command (nginx in the foreground). */
    public static PodBuilder nginx(Images images, String name) {
        return base(images, name, images.nginx(), "nginx")
                .editSpec().editFirstContainer()
                .withPorts(containerPort(Port.tcp(80)))
                .endContainer().endSpec();
    }

    /** busybox: the minimal client, for probes that must work without netshoot's tools. */
    public static PodBuilder busybox(Images images, String name) {
        return base(images, name, images.busybox(), "busybox")
                .editSpec().editFirstContainer()
                .withCommand("sh", "-c", EXIT_ON_TERM + "; " + SLEEP_FOREVER)
                .endContainer().endSpec();
    }

    /**
     * Pins the pod to one node through required node affinity on {@code metadata.name} (as
     * DaemonSets do) rather than {@code spec.nodeName}: the scheduler still runs, so taints,
     * resources and "Unschedulable" are reported the normal way instead of the kubelet rejecting
     * the pod, and the node's name is used exactly (the hostname label may differ from it).
     */
    public static PodBuilder onNode(PodBuilder builder, String nodeName) {
        Objects.requireNonNull(nodeName, "nodeName");
        return builder.editSpec()
                .withNewAffinity().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewNodeSelectorTerm()
                .withMatchFields(new NodeSelectorRequirementBuilder()
                        .withKey("metadata.name").withOperator("In").withValues(nodeName).build())
                .endNodeSelectorTerm()
                .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity()
                .endSpec();
    }

    /**
     * The container port name a served port gets: its own name when it has one (NetworkPolicies
     * may refer to it), else {@code serve-<n>-<proto>}, shortened to {@code srv-<n>-sctp} where
     * that would exceed the 15 characters Kubernetes allows.
     */
    public static String portName(Port port) {
        if (port.name() != null && !port.name().isBlank()) {
            return port.name();
        }
        String proto = port.protocol().name().toLowerCase(Locale.ROOT);
        String name = "serve-" + port.number() + "-" + proto;
        return name.length() <= 15 ? name : "srv-" + port.number() + "-" + proto;
    }

    static String serverScript(List<Port> ports) {
        List<String> lines = new ArrayList<>();
        lines.add(EXIT_ON_TERM);
        lines.add("trap 'echo \"netconform: a listener exited, stopping the pod\" >&2; exit 1' USR1");
        lines.add(HAS_GLOBAL_IPV6);
        List<Port> streams = ports.stream().filter(p -> p.protocol() != Protocol.SCTP).toList();
        if (!streams.isEmpty()) {
            // one perl process serves every TCP and UDP port without a fork per connection; socat where perl is missing
            lines.add("if command -v perl >/dev/null 2>&1; then");
            lines.add("(perl -e " + PodRef.shellQuote(ECHO_SERVER) + " " + streams.stream()
                    .map(p -> p.protocol().name().toLowerCase(Locale.ROOT) + " " + p.number())
                    .collect(Collectors.joining(" ")) + "; echo \"echo server exited: $?\" >&2; kill -USR1 $$) &");
            lines.add("else");
            for (Port port : streams) {
                lines.add(listener(port));
                lines.add(ipv6Listener(port));
            }
            lines.add("fi");
        }
        for (Port port : ports) {
            if (port.protocol() == Protocol.SCTP) {
                lines.add(listener(port));
                lines.add(ipv6Listener(port));
            }
        }
        lines.add("echo \"netconform: serving " + ports.stream().map(TestPods::label).collect(Collectors.joining(" "))
                + " on IPv4 and, where the pod has it, IPv6\"");
        lines.add(SLEEP_FOREVER);
        return String.join("\n", lines) + "\n";
    }

    /*
     * The echo is socat's own PIPE, not EXEC:cat: every connection and datagram then costs one fork instead of a fork
     * and an exec of cat, and a sweep round sends hundreds (process start-up is ~9 ms on a small VM).
     */
    private static String listener(Port port) {
        int n = port.number();
        String what = label(port);
        return switch (port.protocol()) {
            case TCP -> "(socat TCP4-LISTEN:" + n + ",fork,reuseaddr PIPE; "
                    + "echo \"" + what + " listener exited: $?\" >&2; kill -USR1 $$) &";
            case UDP -> "(socat UDP4-RECVFROM:" + n + ",fork PIPE; "
                    + "echo \"" + what + " listener exited: $?\" >&2; kill -USR1 $$) &";
            case SCTP -> "(socat SCTP4-LISTEN:" + n + ",fork,reuseaddr PIPE "
                    + "|| echo \"sctp unavailable: " + what + " not served\" >&2) &";
        };
    }

    private static String ipv6Listener(Port port) {
        int n = port.number();
        String what = label(port) + " (IPv6)";
        String dies = "rc=$?; if has_ipv6; then echo \"" + what + " listener exited: $rc\" >&2; kill -USR1 $$; "
                + "else echo \"no IPv6 in this pod: " + what + " not served\" >&2; fi) &";
        return switch (port.protocol()) {
            case TCP -> "(socat TCP6-LISTEN:" + n + ",ipv6only=1,fork,reuseaddr PIPE; " + dies;
            case UDP -> "(socat UDP6-RECVFROM:" + n + ",ipv6only=1,fork PIPE; " + dies;
            case SCTP -> "(socat SCTP6-LISTEN:" + n + ",ipv6only=1,fork,reuseaddr PIPE "
                    + "|| echo \"sctp unavailable: " + what + " not served\" >&2) &";
        };
    }

    private static String label(Port port) {
        return port.protocol().name().toLowerCase(Locale.ROOT) + "/" + port.number();
    }

    private static ContainerPort containerPort(Port port) {
        return new ContainerPortBuilder()
                .withName(portName(port))
                .withContainerPort(port.number())
                .withProtocol(port.protocol().name())
                .build();
    }

    /** One listener per number and protocol; the first named variant keeps its name. */
    private static List<Port> distinctTraffic(List<Port> ports) {
        List<Port> result = new ArrayList<>();
        for (Port port : ports) {
            Objects.requireNonNull(port, "port");
            int existing = -1;
            for (int i = 0; i < result.size(); i++) {
                if (result.get(i).sameTraffic(port)) {
                    existing = i;
                }
            }
            if (existing < 0) {
                result.add(port);
            } else if (result.get(existing).name() == null && port.name() != null) {
                result.set(existing, port);
            }
        }
        return result;
    }

    private static PodBuilder base(Images images, String name, String image, String kind) {
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(name, "name");
        List<LocalObjectReference> secrets = images.pullSecrets().stream().map(LocalObjectReference::new).toList();
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels(MANAGED_BY_LABEL, MANAGED_BY)
                .addToLabels(KIND_LABEL, kind)
                .endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .withTerminationGracePeriodSeconds(0L)
                .withAutomountServiceAccountToken(false)
                .withEnableServiceLinks(false)
                .withImagePullSecrets(secrets)
                .addNewContainer()
                .withName(CONTAINER)
                .withImage(image)
                .withImagePullPolicy("IfNotPresent")
                .withNewSecurityContext().withNewCapabilities().addToAdd("NET_RAW").endCapabilities().endSecurityContext()
                .endContainer()
                .endSpec();
    }
}
