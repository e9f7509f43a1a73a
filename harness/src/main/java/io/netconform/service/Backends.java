package io.netconform.service;

import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.netconform.cluster.Images;
import io.netconform.cluster.TestPods;

import java.util.Map;

/**
 * The pods behind the services and hostnetwork suites, as fabric8 builders (a test changes one field and keeps the
 * rest): whoami servers that answer with their own name and the client address they saw, hostNetwork pods (the
 * node's own network namespace: "from the node" in Kubernetes terms), and a Deployment of whoami servers that
 * behaves like a well-run application during a rolling restart.
 */
public final class Backends {

    public static final int TCP = 8080;
    public static final int UDP = 8081;
    /** The environment variable a whoami server answers with; the pod's own name, from the downward API. */
    static final String NAME_ENV = "NC_NAME";
    /** The address the UDP listener binds to (unset: every address). */
    static final String UDP_BIND_ENV = "NC_UDP_BIND";

    private Backends() {
    }

    /**
     * A whoami server on {@code tcp} and {@code udp}: socat answers each TCP connection and each UDP datagram with
     * {@code whoami <pod> <client address>}. A listener that dies stops the pod (restartPolicy Never), so a broken
     * server fails the readiness wait instead of reading as a network drop.
     */
    public static PodBuilder whoami(Images images, String name, int tcp, int udp) {
        return TestPods.netshootClient(images, name)
                .editMetadata().addToLabels(TestPods.KIND_LABEL, "whoami").endMetadata()
                .editSpec().editFirstContainer()
                .withCommand("sh", "-c", whoamiScript(tcp, udp))
                .withEnv(new EnvVarBuilder().withName(NAME_ENV).withNewValueFrom().withNewFieldRef()
                        .withFieldPath("metadata.name").endFieldRef().endValueFrom().build())
                .withPorts(new ContainerPortBuilder().withName("whoami-tcp").withContainerPort(tcp).withProtocol("TCP").build(),
                        new ContainerPortBuilder().withName("whoami-udp").withContainerPort(udp).withProtocol("UDP").build())
                .withNewReadinessProbe().withNewTcpSocket().withPort(new IntOrString(tcp)).endTcpSocket()
                .withPeriodSeconds(1).endReadinessProbe()
                .endContainer().endSpec();
    }

    static String whoamiScript(int tcp, int udp) {
        // SYSTEM's command is run by socat's child, which has SOCAT_PEERADDR: the address the packet arrived from
        String answer = "SYSTEM:'echo whoami $" + NAME_ENV + " $SOCAT_PEERADDR'";
        return String.join("\n",
                "trap 'exit 0' TERM INT",
                "trap 'echo \"netconform: a listener exited, stopping the pod\" >&2; exit 1' USR1",
                "(socat TCP4-LISTEN:" + tcp + ",fork,reuseaddr " + answer + "; kill -USR1 $$) &",
                "(socat UDP4-RECVFROM:" + udp + ",bind=${" + UDP_BIND_ENV + ":-0.0.0.0},fork " + answer
                        + "; kill -USR1 $$) &",
                "echo \"netconform: whoami on tcp/" + tcp + " udp/" + udp + "\"",
                "sleep 2147483647 & wait") + "\n";
    }

    /**
     * Binds the whoami server's UDP listener to {@code ip}. A UDP server on a wildcard address answers from whatever
     * address the route back to the client prefers: on a node, a pod on that node is reached over the CNI bridge, so
     * the answer to a datagram sent to the node's InternalIP leaves from the bridge's address and the client's
     * connected socket drops it (TCP answers from the address the connection was made to). Real UDP servers on nodes
     * bind or use IP_PKTINFO for this reason; the hostNetwork whoami servers bind to the IP the suites probe.
     */
    public static PodBuilder answeringUdpFrom(PodBuilder whoami, String ip) {
        return whoami.editSpec().editFirstContainer()
                .addToEnv(new EnvVarBuilder().withName(UDP_BIND_ENV).withValue(ip).build())
                .endContainer().endSpec();
    }

    /** A whoami server that also maps {@code hostPort} on its node to its TCP port (needs the CNI's portmap plugin). */
    public static PodBuilder withHostPort(PodBuilder whoami, int hostPort) {
        return whoami.editSpec().editFirstContainer().editFirstPort().withHostPort(hostPort).endPort()
                .endContainer().endSpec();
    }

    /**
     * The pod in its node's network namespace: its traffic is the node's traffic (source = the node's IP), which is
     * how kubelet probes and node-local agents reach pods and Services.
     */
    public static PodBuilder onHostNetwork(PodBuilder pod) {
        return pod.editSpec().withHostNetwork(true).withDnsPolicy("ClusterFirstWithHostNet").endSpec();
    }

    /**
     * Whoami servers as a Deployment that a rolling restart can replace one pod at a time the way well-run
     * applications are: ready only when listening, and still serving for {@code drainSeconds} after deletion begins
     * (a preStop sleep), because Kubernetes removes the endpoint and stops the pod at the same time. Errors seen by
     * clients during the restart then mean the dataplane kept sending to a pod after it left the endpoints for
     * longer than that — not that the application was killed too early.
     */
    public static DeploymentBuilder whoamiDeployment(Images images, String name, Map<String, String> labels,
                                                     int replicas, int drainSeconds) {
        var pod = whoami(images, name, TCP, UDP).editMetadata().withName(null).addToLabels(labels).endMetadata()
                .editSpec().withRestartPolicy("Always").withTerminationGracePeriodSeconds((long) drainSeconds + 5)
                .editFirstContainer().withNewLifecycle().withNewPreStop().withNewExec()
                .withCommand("sleep", Integer.toString(drainSeconds)).endExec().endPreStop().endLifecycle()
                .endContainer().endSpec().build();
        return new DeploymentBuilder()
                .withNewMetadata().withName(name).addToLabels(TestPods.MANAGED_BY_LABEL, TestPods.MANAGED_BY)
                .endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().withMatchLabels(labels).endSelector()
                .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
                .withMaxSurge(new IntOrString(1)).withMaxUnavailable(new IntOrString(0)).endRollingUpdate()
                .endStrategy()
                .withNewTemplate().withMetadata(pod.getMetadata()).withSpec(pod.getSpec()).endTemplate()
                .endSpec();
    }
}
