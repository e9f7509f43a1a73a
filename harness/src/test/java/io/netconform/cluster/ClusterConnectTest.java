package io.netconform.cluster;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeListBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewStatusBuilder;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterConnectTest {

    private static final String TOKEN = "secret-token-abc123-do-not-print-me";
    private static final String SSAR_PATH = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";

    @TempDir
    Path home;
    private final Map<String, String> variables = new HashMap<>();
    private boolean docker;
    private KubernetesMockServer server;

    private Environment env() {
        return new Environment(variables, home, home.resolve("no-service-account"), () -> docker);
    }

    @BeforeEach
    void mockApiServer() {
        server = new KubernetesMockServer(false);
        server.init();
    }

    @AfterEach
    void stop() {
        server.destroy();
    }

    @Test
    void closedPortFailsWithinTheTimeoutNamingTheServerAndNeverTheToken() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path kubeconfig = kubeconfig("https://127.0.0.1:" + port, "lab", "lab");

        long start = System.nanoTime();
        assertThatThrownBy(() -> Cluster.connect(TargetOptions.kubeconfig(kubeconfig, null), env()))
                .isInstanceOf(ClusterException.class)
                .hasMessageContaining("https://127.0.0.1:" + port)
                .hasMessageContaining("Cannot reach")
                .hasMessageContaining(kubeconfig.toString())
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void noClusterAnywhereFailsFastListingEveryWayToGiveOne() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> Cluster.connect(TargetOptions.defaults(), env()))
                .isInstanceOf(ClusterException.class)
                .hasMessageContaining("No Kubernetes cluster")
                .hasMessageContaining("--kubeconfig").hasMessageContaining("KUBECONFIG")
                .hasMessageContaining("~/.kube/config").hasMessageContaining("--context")
                .hasMessageContaining("in-cluster").hasMessageContaining("--embedded k3s|kind")
                .hasMessageContaining("Docker");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void embeddedClustersWithoutDockerSayDockerIsNeeded() {
        for (String kind : Set.of("k3s", "kind")) {
            assertThatThrownBy(() -> Cluster.connect(TargetOptions.embedded(kind), env()))
                    .isInstanceOf(ClusterException.class)
                    .hasMessageContaining("--embedded " + kind + " needs a Docker engine");
        }
    }

    @Test
    void unknownEmbeddedKindIsRejectedByName() {
        assertThatThrownBy(() -> TargetOptions.embedded("minikube"))
                .isInstanceOf(ClusterException.class).hasMessageContaining("'minikube'");
    }

    @Test
    void missingKubeconfigIsNamed() {
        Path missing = home.resolve("nowhere/config");
        assertThatThrownBy(() -> Cluster.connect(TargetOptions.kubeconfig(missing, null), env()))
                .isInstanceOf(ClusterException.class)
                .hasMessage("kubeconfig " + missing + " (from --kubeconfig) does not exist.");
    }

    @Test
    void kubeconfigFromTheEnvironmentThatDoesNotExistIsNamedWithItsSource() {
        Path missing = home.resolve("a");
        variables.put("KUBECONFIG", missing + ":" + home.resolve("b"));
        assertThatThrownBy(() -> Cluster.connect(TargetOptions.defaults(), env()))
                .hasMessage("kubeconfig " + missing + " (from KUBECONFIG) does not exist.");
    }

    @Test
    void unparseableKubeconfigIsNamedWithoutQuotingIt() throws IOException {
        Path broken = Files.writeString(home.resolve("broken"), "users: [ {token: " + TOKEN + "\n  ::: }\n");
        assertThatThrownBy(() -> Cluster.connect(TargetOptions.kubeconfig(broken, null), env()))
                .isInstanceOf(ClusterException.class)
                .hasMessageStartingWith("kubeconfig " + broken + " (from --kubeconfig) cannot be parsed")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN));
    }

    @Test
    void unknownContextListsTheAvailableOnes() throws IOException {
        Path kubeconfig = kubeconfig("https://127.0.0.1:6443", "k8slab", "k8slab");
        assertThatThrownBy(() -> Cluster.connect(TargetOptions.kubeconfig(kubeconfig, "staging"), env()))
                .isInstanceOf(ClusterException.class)
                .hasMessage("kubeconfig " + kubeconfig + " (from --kubeconfig) has no context 'staging' (from "
                        + "--context). Available contexts: k8slab.");
    }

    @Test
    void contextWithoutAnyKubeconfigSaysSo() {
        assertThatThrownBy(() -> Cluster.connect(TargetOptions.kubeconfig(null, "k8slab"), env()))
                .isInstanceOf(ClusterException.class)
                .hasMessageContaining("--context k8slab").hasMessageContaining("there is no kubeconfig");
    }

    @Test
    void kubeconfigListInTheEnvironmentUsesItsFirstFile() throws IOException {
        Path first = kubeconfig("https://first.example:6443", "one", "one");
        variables.put("KUBECONFIG", first + ":" + home.resolve("second"));

        Target target = Targets.resolve(TargetOptions.defaults(), env());

        assertThat(target.description())
                .isEqualTo("kubeconfig " + first + ", context one, server https://first.example:6443");
    }

    @Test
    void homeKubeconfigIsTheDefault() throws IOException {
        Path kubeconfig = Files.createDirectories(home.resolve(".kube")).resolve("config");
        Files.move(kubeconfig("https://home.example:6443", "home", "home"), kubeconfig);

        assertThat(Targets.resolve(TargetOptions.defaults(), env()).serverUrl()).isEqualTo("https://home.example:6443");
    }

    @Test
    void inAPodTheServiceAccountIsUsed() throws IOException {
        Path serviceAccount = Files.createDirectories(home.resolve("sa"));
        Files.writeString(serviceAccount.resolve("token"), TOKEN + "\n");
        Files.writeString(serviceAccount.resolve("namespace"), "netconform");
        variables.put("KUBERNETES_SERVICE_HOST", "10.43.0.1");
        variables.put("KUBERNETES_SERVICE_PORT", "443");

        Target target = Targets.resolve(TargetOptions.defaults(),
                new Environment(variables, home, serviceAccount, () -> false));

        assertThat(target.serverUrl()).isEqualTo("https://10.43.0.1:443");
        assertThat(target.description()).startsWith("in-cluster service account in namespace netconform")
                .doesNotContain(TOKEN);
        assertThat(target.config().getOauthTokenProvider().getToken()).isEqualTo(TOKEN);
    }

    @Test
    void rejectedCredentialsAreReportedWithTheStatus() throws IOException {
        // the mock serves /version itself; a real server answers 401 there too, the first authenticated call here
        server.expect().post().withPath(SSAR_PATH).andReturn(401, new StatusBuilder().withCode(401)
                .withMessage("Unauthorized").build()).always();
        Path kubeconfig = kubeconfig(mockUrl(), "lab", "lab");

        assertThatThrownBy(() -> Cluster.connect(TargetOptions.kubeconfig(kubeconfig, null), env()))
                .isInstanceOf(ClusterException.class)
                .hasMessageContaining("HTTP 401").hasMessageContaining(mockUrl())
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN));
    }

    @Test
    void forbiddenIsReportedWithTheStatus() throws IOException {
        server.expect().post().withPath(SSAR_PATH).andReturn(403, new StatusBuilder().withCode(403)
                .withMessage("selfsubjectaccessreviews.authorization.k8s.io is forbidden: User \"jane\" cannot create "
                        + "resource \"selfsubjectaccessreviews\"").build()).always();
        Path kubeconfig = kubeconfig(mockUrl(), "lab", "lab");

        assertThatThrownBy(() -> Cluster.connect(TargetOptions.kubeconfig(kubeconfig, null), env()))
                .isInstanceOf(ClusterException.class)
                .hasMessageContaining("HTTP 403").hasMessageContaining("User \"jane\" cannot create")
                .hasMessageContaining(mockUrl());
    }

    @Test
    void deniedPermissionsAreNamedOneByOne() throws IOException {
        version("v1.20.2");
        accessReviews(Set.of("create pods/exec", "list daemonsets"));
        Path kubeconfig = kubeconfig(mockUrl(), "lab", "lab");

        assertThatThrownBy(() -> Cluster.connect(TargetOptions.kubeconfig(kubeconfig, null), env()))
                .isInstanceOf(ClusterException.class)
                .hasMessageContaining("lack 2 permission(s)")
                .hasMessageContaining("  - create pods/exec in all namespaces")
                .hasMessageContaining("  - list daemonsets (apps) in all namespaces")
                .hasMessageContaining("deploy/rbac.yaml")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("get pods/exec"));
    }

    @Test
    void aReachableAuthorisedClusterIsDescribed() throws IOException {
        version("v1.31.4+k3s1");
        accessReviews(Set.of());
        server.expect().get().withPath("/api/v1/nodes?limit=1").andReturn(200, new NodeListBuilder()
                .addToItems(new NodeBuilder().withNewMetadata().withName("n1").endMetadata().build()).build())
                .always();
        Path kubeconfig = kubeconfig(mockUrl(), "k8slab", "k8slab");

        try (Cluster cluster = Cluster.connect(TargetOptions.kubeconfig(kubeconfig, "k8slab"), env())) {
            assertThat(cluster.description())
                    .isEqualTo("kubeconfig " + kubeconfig + ", context k8slab, server " + mockUrl());
            assertThat(cluster.serverUrl()).isEqualTo(mockUrl());
            assertThat(cluster.kubernetesVersion()).isEqualTo("v1.31.4+k3s1");
            assertThat(cluster.distribution()).isEqualTo("k3s");
            // fast during the preflight (2 retries), patient with a busy server once it is known to exist
            assertThat(cluster.client().getConfiguration().getRequestRetryBackoffLimit()).isEqualTo(3);
            assertThat(cluster.client().getConfiguration().getRequestRetryBackoffInterval()).isEqualTo(500);
        }
    }

    private void version(String gitVersion) {
        server.setVersionInfo(new VersionInfo.Builder().withMajor("1").withMinor("31").withGitVersion(gitVersion)
                .build());
    }

    /** Answers every SelfSubjectAccessReview "allowed" except for the given "verb resource[/sub]" pairs. */
    private void accessReviews(Set<String> denied) {
        server.expect().post().withPath(SSAR_PATH).andReply(201, request -> {
            SelfSubjectAccessReview review = Serialization.unmarshal(request.getUtf8Body(),
                    SelfSubjectAccessReview.class);
            var attributes = review.getSpec().getResourceAttributes();
            String resource = attributes.getResource()
                    + (attributes.getSubresource() == null || attributes.getSubresource().isEmpty()
                    ? "" : "/" + attributes.getSubresource());
            boolean allowed = !denied.contains(attributes.getVerb() + " " + resource);
            review.setStatus(new SubjectAccessReviewStatusBuilder().withAllowed(allowed).build());
            return review;
        }).always();
    }

    private String mockUrl() {
        return "http://localhost:" + server.getPort();
    }

    private Path kubeconfig(String server, String context, String currentContext) throws IOException {
        return Files.writeString(Files.createTempFile(home, "kubeconfig", ""), """
                apiVersion: v1
                kind: Config
                clusters:
                - name: c
                  cluster:
                    server: %s
                    insecure-skip-tls-verify: true
                contexts:
                - name: %s
                  context:
                    cluster: c
                    user: u
                current-context: %s
                users:
                - name: u
                  user:
                    token: %s
                """.formatted(server, context, currentContext, TOKEN));
    }
}
