package io.netconform.cni;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CniHealthTest {
    private static final CniHealth.DaemonSetState CANAL_READY = new CniHealth.DaemonSetState("kube-system", "rke2-canal", 2, 2);

    @Test
    void restartsOfARecreatedPodCountInFullAndVanishedPodsNotAtAll() {
        CniHealth before = new CniHealth(List.of(CANAL_READY), List.of(
                new CniHealth.PodState("kube-system", "rke2-canal-a", 4, null),
                new CniHealth.PodState("kube-system", "rke2-canal-b", 1, null)));
        CniHealth after = new CniHealth(List.of(CANAL_READY), List.of(
                new CniHealth.PodState("kube-system", "rke2-canal-a", 4, null),
                new CniHealth.PodState("kube-system", "rke2-canal-c", 2, null)));

        assertThat(after.restartsSince(before)).isEqualTo(2);
        assertThat(after.podsRestartedSince(before)).containsExactly("kube-system/rke2-canal-c (+2)");
        assertThat(after.healthy()).isTrue();
    }

    @Test
    void aDaemonSetShortOfReadyPodsIsUnhealthyEvenWithoutFailingPods() {
        CniHealth health = new CniHealth(List.of(new CniHealth.DaemonSetState("kube-system", "cilium", 3, 2)), List.of());

        assertThat(health.healthy()).isFalse();
        assertThat(health.message()).isEqualTo("UNHEALTHY: cilium 2/3 ready, 0 restarts");
    }

    @Test
    void nothingToWatchIsSaidPlainly() {
        assertThat(CniHealth.NOT_OBSERVED.message()).isEqualTo("no CNI pods to watch");
        assertThat(CniHealth.NOT_OBSERVED.healthy()).isTrue();
    }
}
