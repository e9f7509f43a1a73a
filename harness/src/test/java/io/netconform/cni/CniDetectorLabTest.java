package io.netconform.cni;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Detection against the real lab cluster (../shared/lab, Kubernetes 1.20, bridge CNI configured on the
 * nodes). Read-only: it never changes the cluster. Run with {@code -Dgroups=lab -DexcludedGroups=}.
 */
@Tag("lab")
class CniDetectorLabTest {

    @Test
    void labClusterIsAnUnknownCniWithGenericExpectations() throws IOException {
        Path kubeconfig = Path.of(System.getenv().getOrDefault("K8SLAB_HOME",
                System.getProperty("user.home") + "/.cache/k8slab"), "kubeconfig");
        assumeTrue(Files.exists(kubeconfig), "lab cluster not up: no " + kubeconfig + " (bash ../shared/lab/up.sh)");
        try (KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build()) {

            CniProfile profile = CniDetector.detect(client);
            System.out.println(profile.describe());

            assertThat(profile.name()).isEqualTo("unknown");
            assertThat(profile.mtuStrict()).isFalse();
            assertThat(profile.networkPolicy().enforcement()).isEqualTo(PolicyEnforcement.UNKNOWN);
            // the lab's pod CIDRs are 10.244.0.0/24 and 10.244.1.0/24
            assertThat(profile.ipFamilies()).containsExactly("IPv4");
            assertThat(profile.warnings()).contains(CniProfile.UNKNOWN_CNI_WARNING)
                    .noneMatch(w -> w.startsWith("could not"));
        }
    }
}
