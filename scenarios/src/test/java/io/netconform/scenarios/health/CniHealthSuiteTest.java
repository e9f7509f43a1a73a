package io.netconform.scenarios.health;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.netconform.cluster.Cluster;
import io.netconform.junit.Run;
import io.netconform.junit.RunConfig;
import io.netconform.report.CheckFailure;
import io.netconform.report.FailureKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The CNI health check on the mock API server: a flannel DaemonSet whose one pod restarts during the run. It used to
 * throw a bare AssertionError with a hand-written marker and no evidence; it now fails as a {@link CheckFailure} of
 * kind INFRA with its reproduce line, and the CNI pods' evidence is collected.
 */
@EnableKubernetesMockClient(crud = true)
class CniHealthSuiteTest {

    KubernetesClient client;
    @TempDir
    Path reports;
    Run run;

    @BeforeEach
    void flannelWithOneReadyPod() {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("node-1").endMetadata().build()).create();
        client.apps().daemonSets().inNamespace("kube-system").resource(new DaemonSetBuilder()
                .withNewMetadata().withName("kube-flannel-ds").withNamespace("kube-system").endMetadata()
                .withNewSpec().withNewSelector().addToMatchLabels("app", "flannel").endSelector().endSpec()
                .withNewStatus().withDesiredNumberScheduled(1).withNumberReady(1).endStatus().build()).create();
        client.pods().inNamespace("kube-system").resource(flannelPod(0)).create();
        RunConfig config = new RunConfig(null, null, null, null, Map.of(), List.of(), Duration.ofSeconds(1),
                Duration.ofSeconds(2), Duration.ofSeconds(20), null, 8, null, null, false, null, reports, null);
        run = Run.on(Cluster.of(client, "mock server"), config, line -> { });
        assertThat(run.cni().health().observed()).as("the run watches the flannel pod").isTrue();
    }

    @AfterEach
    void end() {
        run.close();
    }

    static Pod flannelPod(int restarts) {
        return new PodBuilder().withNewMetadata().withName("kube-flannel-ds-abcde").withNamespace("kube-system")
                .addToLabels("app", "flannel").endMetadata()
                .withNewSpec().addNewContainer().withName("kube-flannel").withImage("flannel/flannel:v0.26").endContainer()
                .endSpec()
                .withNewStatus().withPhase("Running").addNewContainerStatus().withName("kube-flannel").withReady(true)
                .withRestartCount(restarts).endContainerStatus().endStatus().build();
    }

    @Test
    void aCniThatStayedHealthyPasses() {
        assertThatCode(() -> new CniHealthTest().cniPodsStayedHealthy(run)).doesNotThrowAnyException();
    }

    @Test
    void aCniPodThatRestartedFailsWithKindReproduceAndEvidence() {
        client.pods().inNamespace("kube-system").resource(flannelPod(2)).update();

        CheckFailure failure = catchThrowableOfType(() -> new CniHealthTest().cniPodsStayedHealthy(run), CheckFailure.class);

        assertThat(failure).as("FAILED, not BROKEN: the harness saw the CNI restart").isInstanceOf(AssertionError.class);
        assertThat(failure.kind()).isEqualTo(FailureKind.INFRA);
        assertThat(failure.reproduceLines()).singleElement().asString().startsWith("kubectl get pods -n kube-system");
        assertThat(failure.getMessage())
                .startsWith("[infra] the CNI is not healthy: ")
                .contains("2 restart(s) during this run: [kube-system/kube-flannel-ds-abcde (+2)]")
                .contains("\n  reproduce: kubectl get pods -n kube-system -o wide");
        assertThat(failure.text().evidence()).as("evidence collected in the failure's path").isNotNull();
        assertThat(Path.of(failure.text().evidence())).isDirectory().startsWith(reports.resolve("evidence"));
        assertThat(failure.getMessage()).endsWith("\n  evidence: " + failure.text().evidence());
        assertThat(Files.exists(Path.of(failure.text().evidence()))).isTrue();
    }
}
