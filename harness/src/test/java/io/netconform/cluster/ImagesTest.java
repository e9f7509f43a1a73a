package io.netconform.cluster;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImagesTest {

    @Test
    void defaultsArePinned() {
        assertThat(Images.defaults().asMap()).containsExactly(
                org.assertj.core.api.Assertions.entry("netshoot", "docker.io/nicolaka/netshoot:v0.13"),
                org.assertj.core.api.Assertions.entry("nginx", "docker.io/library/nginx:1.27"),
                org.assertj.core.api.Assertions.entry("busybox", "docker.io/library/busybox:1.36"));
    }

    @Test
    void mirrorReplacesDockerHubAndKeepsThePath() {
        Images images = Images.defaults().withRegistry("registry.local:5000/mirror/");

        assertThat(images.netshoot()).isEqualTo("registry.local:5000/mirror/nicolaka/netshoot:v0.13");
        assertThat(images.nginx()).isEqualTo("registry.local:5000/mirror/library/nginx:1.27");
        assertThat(images.busybox()).isEqualTo("registry.local:5000/mirror/library/busybox:1.36");
    }

    @Test
    void overrideWinsOverTheMirrorWhicheverComesFirst() {
        Images before = Images.defaults().with("netshoot", "k8s.lab/netshoot:lab").withRegistry("mirror.example");
        Images after = Images.defaults().withRegistry("mirror.example").with("netshoot", "k8s.lab/netshoot:lab");

        assertThat(before).isEqualTo(after);
        assertThat(before.netshoot()).isEqualTo("k8s.lab/netshoot:lab");
        assertThat(before.nginx()).isEqualTo("mirror.example/library/nginx:1.27");
    }

    @Test
    void acceptsDigestsAndLocalRegistries() {
        Images images = Images.defaults()
                .with("nginx", "localhost:5000/nginx@sha256:" + "a".repeat(64))
                .with("busybox", "busybox");

        assertThat(images.nginx()).endsWith("@sha256:" + "a".repeat(64));
        assertThat(images.busybox()).isEqualTo("busybox");
    }

    @Test
    void rejectsBadReferencesNamingTheValue() {
        assertThatThrownBy(() -> Images.defaults().with("netshoot", "Nicolaka/Netshoot:latest"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'Nicolaka/Netshoot:latest'");
        assertThatThrownBy(() -> Images.defaults().with("nginx", "nginx:"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'nginx:'");
        assertThatThrownBy(() -> Images.defaults().with("nginx", "two words"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'two words'");
        assertThatThrownBy(() -> Images.defaults().with("curl", "curlimages/curl:8"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'curl'").hasMessageContaining("netshoot");
        assertThatThrownBy(() -> Images.defaults().withRegistry("https://mirror.example"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'https://mirror.example'");
    }

    @Test
    void pullSecretsAreKeptAndValidated() {
        assertThat(Images.defaults().withPullSecrets(List.of("mirror-creds")).pullSecrets()).containsExactly("mirror-creds");
        assertThatThrownBy(() -> Images.defaults().withPullSecrets(List.of("Mirror_Creds")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'Mirror_Creds'");
    }
}
