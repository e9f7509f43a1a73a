package io.netconform.cluster;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.netconform.cluster.PodStartException.Kind;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

@EnableKubernetesMockClient(crud = true)
class PodReadinessTest {

    static KubernetesClient client;
    static KubernetesMockServer server;

    private static final Duration LONG = Duration.ofSeconds(30);

    private static Pod pod(String ns, String name) {
        return PodReadiness.create(client, ns, TestPods.netshootClient(Images.defaults(), name).build());
    }

    private static void status(String ns, String name, PodStatus status) {
        Pod pod = client.pods().inNamespace(ns).withName(name).get();
        pod.setStatus(status);
        client.pods().inNamespace(ns).resource(pod).updateStatus();
    }

    private static PodStatus waiting(String reason, String message) {
        return new PodStatusBuilder().withPhase("Pending")
                .withContainerStatuses(new ContainerStatusBuilder().withName("probe").withImage(Images.NETSHOOT)
                        .withReady(false).withNewState().withNewWaiting().withReason(reason).withMessage(message)
                        .endWaiting().endState().build())
                .build();
    }

    private static PodStatus running(String ip) {
        return new PodStatusBuilder().withPhase("Running").withPodIP(ip).addNewPodIP().withIp(ip).endPodIP()
                .withContainerStatuses(new ContainerStatusBuilder().withName("probe").withImage(Images.NETSHOOT)
                        .withReady(true).withNewState().withNewRunning().endRunning().endState().build())
                .build();
    }

    private static void event(String ns, String pod, String reason, String message) {
        client.v1().events().inNamespace(ns).resource(new EventBuilder()
                .withNewMetadata().withGenerateName(pod + ".").endMetadata()
                .withNewInvolvedObject().withKind("Pod").withName(pod).withNamespace(ns).endInvolvedObject()
                .withType("Warning").withReason(reason).withMessage(message).withCount(3)
                .withLastTimestamp("2026-01-01T00:00:00Z")
                .build()).create();
    }

    private static PodStartException awaitFails(String ns, List<String> pods, Duration timeout) {
        return catchThrowableOfType(PodStartException.class, () -> PodReadiness.awaitReady(client, ns, pods, timeout));
    }

    @Test
    void imagePullBackOffFailsFastWithThePullEvent() {
        String ns = "nc-image";
        pod(ns, "client");
        status(ns, "client", waiting("ImagePullBackOff", "Back-off pulling image \"docker.io/nicolaka/netshoot:v0.13\""));
        event(ns, "client", "Failed", "Failed to pull image \"docker.io/nicolaka/netshoot:v0.13\": dial tcp: lookup registry-1.docker.io: no such host");
        event(ns, "someone-else", "Failed", "unrelated event");

        long start = System.nanoTime();
        PodStartException e = awaitFails(ns, List.of("client"), LONG);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(e.kind()).isEqualTo(Kind.IMAGE);
        assertThat(e.pods()).containsExactly("client");
        assertThat(e.getMessage())
                .contains("nc-image/client", "ImagePullBackOff", "not a network failure",
                        "Failed to pull image", "no such host", "(x3)")
                .doesNotContain("unrelated event");
    }

    @Test
    void unschedulableFailsFast() {
        String ns = "nc-unsched";
        pod(ns, "server");
        status(ns, "server", new PodStatusBuilder().withPhase("Pending")
                .addNewCondition().withType("PodScheduled").withStatus("False").withReason("Unschedulable")
                .withMessage("0/3 nodes are available: 3 node(s) had taint {node-role.kubernetes.io/master: }").endCondition()
                .build());

        PodStartException e = awaitFails(ns, List.of("server"), LONG);

        assertThat(e.kind()).isEqualTo(Kind.UNSCHEDULABLE);
        assertThat(e.getMessage()).contains("nc-unsched/server", "0/3 nodes are available", "no events");
    }

    @Test
    void createContainerConfigErrorFailsFast() {
        String ns = "nc-config";
        pod(ns, "client");
        status(ns, "client", waiting("CreateContainerConfigError", "secret \"creds\" not found"));

        PodStartException e = awaitFails(ns, List.of("client"), LONG);

        assertThat(e.kind()).isEqualTo(Kind.CONFIG);
        assertThat(e.getMessage()).contains("CreateContainerConfigError", "secret \"creds\" not found");
    }

    @Test
    void crashedContainerFailsFast() {
        String ns = "nc-crash";
        pod(ns, "server");
        status(ns, "server", new PodStatusBuilder().withPhase("Failed")
                .withContainerStatuses(new ContainerStatusBuilder().withName("probe").withReady(false)
                        .withNewState().withNewTerminated().withExitCode(1).withReason("Error").endTerminated().endState().build())
                .build());

        PodStartException e = awaitFails(ns, List.of("server"), LONG);

        assertThat(e.kind()).isEqualTo(Kind.CRASH);
        assertThat(e.getMessage()).contains("terminated with exit code 1");
    }

    @Test
    void readyPodsAreReturnedInTheOrderAskedWithTheirIps() {
        String ns = "nc-ready";
        pod(ns, "a");
        pod(ns, "b");
        status(ns, "a", running("10.244.0.10"));
        status(ns, "b", running("10.244.1.10"));

        List<Pod> pods = PodReadiness.awaitReady(client, ns, List.of("b", "a"), LONG);

        assertThat(pods).extracting(p -> p.getMetadata().getName()).containsExactly("b", "a");
        assertThat(pods).extracting(p -> p.getStatus().getPodIP()).containsExactly("10.244.1.10", "10.244.0.10");
    }

    @Test
    void timeoutNamesThePodsThatWereNotReadyAndTheirState() {
        String ns = "nc-slow";
        pod(ns, "ready");
        pod(ns, "creating");
        status(ns, "ready", running("10.244.0.11"));
        status(ns, "creating", waiting("ContainerCreating", null));

        PodStartException e = awaitFails(ns, List.of("ready", "creating", "missing"), Duration.ofMillis(1200));

        assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(e.pods()).containsExactly("creating", "missing");
        assertThat(e.getMessage()).contains("2 of 3 pods", "creating (Pending, probe waiting ContainerCreating",
                "missing (not found)");
    }

    @Test
    void admissionRejectionNamesThePodAndTheServersReason() {
        String ns = "nc-psa";
        server.expect().post().withPath("/api/v1/namespaces/" + ns + "/pods")
                .andReturn(403, new StatusBuilder().withStatus("Failure").withCode(403).withReason("Forbidden")
                        .withMessage("pods \"client\" is forbidden: violates PodSecurity \"restricted:latest\": "
                                + "unrestricted capabilities (container \"probe\" must not include \"NET_RAW\")")
                        .build())
                .once();

        PodStartException e = catchThrowableOfType(PodStartException.class, () -> pod(ns, "client"));

        assertThat(e.kind()).isEqualTo(Kind.ADMISSION);
        assertThat(e.pods()).containsExactly("client");
        assertThat(e.getMessage()).contains("nc-psa/client", "HTTP 403", "violates PodSecurity", "NET_RAW",
                "pod-security.kubernetes.io/enforce=baseline");
    }
}
