package io.netconform.lab;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A run as the {@code netconform} service account of {@code deploy/rbac.yaml}, exactly as the README tells a platform
 * team to run it: it must pass its preflight, detect the CNI without a single "forbidden" warning (detection reads
 * wherever Calico, Cilium and Flannel live), run a suite, and leave nothing. Cluster-scoped RBAC objects it applied
 * are removed afterwards. Run by {@code make e2e-lab}.
 */
@Tag("lab")
class LeastPrivilegeLabTest {

    static KubernetesClient admin;
    static Path kubeconfig;
    static Path work;
    static List<io.fabric8.kubernetes.api.model.HasMetadata> applied = new ArrayList<>();

    @BeforeAll
    static void serviceAccount() throws Exception {
        String k = System.getProperty("netconform.lab.kubeconfig");
        assumeTrue(k != null && Files.isReadable(Path.of(k)),
                "no lab cluster: run `make e2e-lab` (it brings ../shared/lab up and sets -Dnetconform.lab.kubeconfig)");
        Config adminConfig = Config.fromKubeconfig(Files.readString(Path.of(k)));
        admin = new KubernetesClientBuilder().withConfig(adminConfig).build();
        Path rbac = Path.of(System.getProperty("netconform.policies", "../policies")).getParent().resolve("deploy/rbac.yaml");
        try (InputStream in = new FileInputStream(rbac.toFile())) {
            applied.addAll(admin.load(in).items());
        }
        admin.resourceList(applied).serverSideApply();
        // Kubernetes 1.20 still creates a token Secret for every service account
        String token = await("a token for service account netconform/netconform").atMost(Duration.ofSeconds(60))
                .until(() -> {
                    ServiceAccount sa = admin.serviceAccounts().inNamespace("netconform").withName("netconform").get();
                    if (sa == null || sa.getSecrets() == null || sa.getSecrets().isEmpty()) {
                        return null;
                    }
                    Secret secret = admin.secrets().inNamespace("netconform").withName(sa.getSecrets().get(0).getName()).get();
                    return secret == null || secret.getData() == null ? null : secret.getData().get("token");
                }, t -> t != null);
        // absolute: the run's working directory is `work` itself
        work = Files.createDirectories(Path.of("target", "e2e-lab", "least-privilege")).toAbsolutePath();
        kubeconfig = work.resolve("kubeconfig");
        // a kubeconfig with the service account's token and nothing of the admin's credentials
        Files.writeString(kubeconfig, "apiVersion: v1\nkind: Config\nclusters:\n- name: lab\n  cluster:\n"
                + "    server: " + adminConfig.getMasterUrl() + "\n    insecure-skip-tls-verify: true\n"
                + "users:\n- name: netconform\n  user:\n    token: "
                + new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8) + "\n"
                + "contexts:\n- name: netconform\n  context: {cluster: lab, user: netconform}\ncurrent-context: netconform\n");
    }

    @AfterAll
    static void removeRbac() {
        if (admin != null) {
            admin.resourceList(applied).delete();
            admin.close();
        }
    }

    @Test
    void aRunAsTheDeployRbacAccountDetectsTheCniWithoutAForbiddenWarning() throws Exception {
        NetconformProcess run = NetconformProcess.start(work, "run", "--kubeconfig", kubeconfig.toString(),
                "--reports", work.resolve("reports").toAbsolutePath().toString(), "--include-tags", "dns",
                "--netshoot-image", "k8s.lab/netshoot:lab", "--nginx-image", "k8s.lab/nginx:lab",
                "--busybox-image", "k8s.lab/busybox:lab");
        int exit = run.await(Duration.ofMinutes(5));
        String out = run.output();
        assertThat(exit).as("exit code of %s; output:\n%s", run, out).isZero();
        assertThat(out).as("a least-privilege run warns about nothing it was denied:\n%s", out)
                .doesNotContainIgnoringCase("forbidden").doesNotContain("could not list").doesNotContain("could not read");
        assertThat(Files.readString(work.resolve("reports/summary.json"))).doesNotContain(
                Files.readString(kubeconfig).lines().filter(l -> l.contains("token:")).findFirst().orElseThrow().split("token: ")[1]);
    }
}
