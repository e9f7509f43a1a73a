package io.netconform.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.netconform.exec.PodRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@EnableKubernetesMockClient(crud = true)
class EvidenceTest {

    KubernetesClient client;
    KubernetesMockServer server;

    @Test
    void describesPodsListsTheirEventsAndCollectsCniLogs(@TempDir Path reports) throws Exception {
        client.pods().resource(pod("nc-7f3a-backend", "api", "node-2", "netshoot")).create();
        client.pods().resource(pod("kube-system", "rke2-canal-x7k2p", "node-2", "calico-node")).create();
        client.pods().resource(pod("kube-system", "coredns-5d8f", "node-1", "coredns")).create();
        client.v1().events().inNamespace("nc-7f3a-backend").resource(new EventBuilder()
                .withNewMetadata().withName("api.1").endMetadata()
                .withNewInvolvedObject().withKind("Pod").withName("api").withNamespace("nc-7f3a-backend").endInvolvedObject()
                .withType("Warning").withReason("FailedCreatePodSandBox")
                .withMessage("plugin type=\"calico\" failed: connection is unauthorized, token: abc").build()).create();
        client.v1().events().inNamespace("nc-7f3a-backend").resource(new EventBuilder()
                .withNewMetadata().withName("other.1").endMetadata()
                .withNewInvolvedObject().withKind("Pod").withName("other").endInvolvedObject()
                .withType("Normal").withReason("Pulled").withMessage("not about api").build()).create();
        String bigLog = "x".repeat(100 * 1024) + "\nAuthorization: Bearer sekret\nlast line\n";
        server.expect().get()
                .withPath("/api/v1/namespaces/kube-system/pods/rke2-canal-x7k2p/log?pretty=false&container=calico-node&tailLines=200")
                .andReturn(200, bigLog).always();

        Path dir = Evidence.collect(client, "policy.MultiTierTest#each tier", List.of(
                new PodRef("nc-7f3a-backend", "api", "netshoot"), new PodRef("nc-7f3a-backend", "gone", "netshoot")),
                reports);

        assertThat(dir).isEqualTo(reports.resolve("evidence/policy.MultiTierTest_each_tier"));
        assertThat(dir.resolve("nc-7f3a-backend_api.describe.txt")).content()
                .contains("Name:         api", "Node:         node-2", "netshoot: image nicolaka/netshoot:v0.13",
                        "Ready=False (ContainersNotReady");
        assertThat(dir.resolve("nc-7f3a-backend_api.events.txt")).content()
                .contains("FailedCreatePodSandBox", "connection is unauthorized, token: [REDACTED]")
                .doesNotContain("not about api", "abc");
        assertThat(dir.resolve("nc-7f3a-backend_gone.describe.txt")).content().contains("not found");
        assertThat(dir.resolve("cni-pods.txt")).content().contains("rke2-canal-x7k2p  node=node-2").doesNotContain("coredns");
        String log = Files.readString(dir.resolve("cni_rke2-canal-x7k2p_calico-node.log"));
        assertThat(log).startsWith("[log cut to its last 65536 bytes").endsWith("last line\n")
                .contains("Authorization: [REDACTED]").doesNotContain("sekret");
        assertThat(log.length()).isLessThan(66 * 1024);
    }

    @Test
    void apiErrorsBecomeEvidenceTextNotExceptions(@TempDir Path reports) throws Exception {
        client.pods().resource(pod("kube-system", "cilium-abcde", "node-1", "cilium-agent")).create();
        server.expect().get().withPath("/api/v1/namespaces/ns/events").andReturn(403, "{\"kind\":\"Status\",\"code\":403,"
                + "\"message\":\"events is forbidden: User \\\"nc\\\" cannot list resource\"}").always();
        server.expect().get().withPath("/api/v1/namespaces/kube-system/pods/cilium-abcde/log?pretty=false&container=cilium-agent&tailLines=200")
                .andReturn(403, "{\"kind\":\"Status\",\"code\":403}").always();

        Path dir = Evidence.collect(client, "dns", List.of(new PodRef("ns", "p", "c")), reports);

        assertThat(dir.resolve("ns_p.events.txt")).content().startsWith("evidence collection failed:").contains("403");
        assertThat(dir.resolve("cni_cilium-abcde_cilium-agent.log")).content().startsWith("evidence collection failed:");
    }

    private static Pod pod(String namespace, String name, String node, String container) {
        return new PodBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName(container).withImage("nicolaka/netshoot:v0.13")
                .endContainer().endSpec()
                .withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus("False")
                .withReason("ContainersNotReady").withMessage("containers with unready status: [" + container + "]")
                .endCondition().addNewContainerStatus().withName(container).withReady(false).withRestartCount(4)
                .withImage("nicolaka/netshoot:v0.13").withNewState().withNewWaiting().withReason("CrashLoopBackOff")
                .endWaiting().endState().endContainerStatus().endStatus().build();
    }
}
