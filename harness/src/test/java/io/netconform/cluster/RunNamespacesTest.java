package io.netconform.cluster;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

@EnableKubernetesMockClient(crud = true)
class RunNamespacesTest {

    static KubernetesClient client;

    @AfterEach
    void emptyTheServer() {
        client.namespaces().list().getItems().forEach(ns -> client.resource(ns).withGracePeriod(0).delete());
    }

    @Test
    void createsLabelledAnnotatedNamespacesAndDeletesThemOnClose() {
        RunId run = new RunId("nc-aaaaaa");
        Instant before = Instant.now();
        String name;
        try (RunNamespaces namespaces = new RunNamespaces(client, run, Duration.ofHours(2))) {
            name = namespaces.create("x", "MultiTierTest.eachTierAcceptsOnlyTheTierInFrontOfIt()",
                    Map.of("ns", "x", "kubernetes.io/metadata.name", "x", RunNamespaces.RUN, "someone-else"));

            assertThat(name).isEqualTo("nc-aaaaaa-x");
            assertThat(namespaces.names()).containsExactly(name);
            Namespace created = client.namespaces().withName(name).get();
            assertThat(created.getMetadata().getLabels()).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "app.kubernetes.io/managed-by", "netconform",
                    "netconform.io/run", "nc-aaaaaa",
                    "netconform.io/test", "MultiTierTest.eachTierAcceptsOnlyTheTierInFrontOfIt",
                    "netconform.io/logical", "x",
                    "kubernetes.io/metadata.name", "nc-aaaaaa-x",
                    "ns", "x",
                    "pod-security.kubernetes.io/enforce", "privileged",
                    "pod-security.kubernetes.io/audit", "privileged",
                    "pod-security.kubernetes.io/warn", "privileged"));
            Instant expires = Instant.parse(created.getMetadata().getAnnotations().get(RunNamespaces.EXPIRES));
            assertThat(expires).isCloseTo(before.plus(Duration.ofHours(2)), within(Duration.ofSeconds(30)));
        }
        assertThat(client.namespaces().withName(name).get()).isNull();
    }

    @Test
    void deletesWhatWasCreatedWhenSetupFailsHalfway() {
        RunId run = new RunId("nc-bbbbbb");
        assertThatThrownBy(() -> {
            try (RunNamespaces namespaces = new RunNamespaces(client, run, Duration.ofHours(1))) {
                namespaces.create("x", "SetupTest.fails", Map.of());
                namespaces.create("y", "SetupTest.fails", Map.of());
                throw new IllegalStateException("pod z never became ready");
            }
        }).hasMessage("pod z never became ready");

        assertThat(client.namespaces().withLabel(RunNamespaces.RUN, "nc-bbbbbb").list().getItems()).isEmpty();
    }

    @Test
    void twoRunsNeverDeleteEachOthersNamespaces() {
        RunNamespaces first = new RunNamespaces(client, new RunId("nc-111111"), Duration.ofHours(1));
        RunNamespaces second = new RunNamespaces(client, new RunId("nc-222222"), Duration.ofHours(1));
        first.create("x", "A.test", Map.of());
        String secondsX = second.create("x", "B.test", Map.of());

        first.close();

        assertThat(names()).containsExactly(secondsX);
        assertThatThrownBy(() -> first.delete(secondsX))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nc-222222-x").hasMessageContaining("not created by run nc-111111");
        second.close();
        assertThat(names()).isEmpty();
    }

    @Test
    void deleteRemovesOneNamespaceAndForgetsIt() {
        try (RunNamespaces namespaces = new RunNamespaces(client, new RunId("nc-cccccc"), Duration.ofHours(1))) {
            String x = namespaces.create("x", "T.t", Map.of());
            String y = namespaces.create("y", "T.t", Map.of());

            namespaces.delete(x);

            assertThat(namespaces.names()).containsExactly(y);
            assertThat(names()).containsExactly(y);
        }
    }

    @Test
    void closeGivesUpOnANamespaceThatStaysTerminatingAndReturns() {
        RunNamespaces namespaces = new RunNamespaces(client, new RunId("nc-dddddd"), Duration.ofHours(1),
                Duration.ofSeconds(2));
        String stuck = namespaces.create("x", "T.t", Map.of());
        // a finalizer nobody removes: the API server keeps the namespace in Terminating
        client.namespaces().withName(stuck).edit(ns -> new NamespaceBuilder(ns)
                .editMetadata().addToFinalizers("example.com/never-done").endMetadata().build());

        long start = System.nanoTime();
        namespaces.close();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(10));
        Namespace left = client.namespaces().withName(stuck).get();
        assertThat(left).isNotNull();
        assertThat(left.getMetadata().getDeletionTimestamp()).isNotNull();
        client.namespaces().withName(stuck).edit(ns -> new NamespaceBuilder(ns)
                .editMetadata().withFinalizers().endMetadata().build());
    }

    @Test
    void gcDeletesOnlyExpiredNamespacesItManages() {
        Instant now = Instant.parse("2026-11-25T12:00:00Z");
        namespace("expired", Map.of(RunNamespaces.MANAGED_BY, "netconform"), "2026-11-25T11:59:59Z");
        namespace("unexpired", Map.of(RunNamespaces.MANAGED_BY, "netconform"), "2026-11-25T12:00:01Z");
        namespace("foreign", Map.of(RunNamespaces.MANAGED_BY, "helm"), "2026-11-25T00:00:00Z");
        namespace("unlabelled", Map.of(), "2026-11-25T00:00:00Z");
        namespace("no-annotation", Map.of(RunNamespaces.MANAGED_BY, "netconform"), null);
        namespace("bad-annotation", Map.of(RunNamespaces.MANAGED_BY, "netconform"), "tomorrow");

        assertThat(RunNamespaces.gc(client, now, true)).containsExactly("expired");
        assertThat(names()).hasSize(6);

        assertThat(RunNamespaces.gc(client, now, false)).containsExactly("expired");
        assertThat(names()).containsExactlyInAnyOrder("unexpired", "foreign", "unlabelled", "no-annotation",
                "bad-annotation");
    }

    @Test
    void gcRemovesWhatAKilledRunLeftBehindOnceItExpires() {
        RunNamespaces killed = new RunNamespaces(client, new RunId("nc-eeeeee"), Duration.ofMinutes(30));
        String left = killed.create("x", "T.t", Map.of());

        assertThat(RunNamespaces.gc(client, Instant.now(), false)).isEmpty();
        assertThat(RunNamespaces.gc(client, Instant.now().plus(Duration.ofHours(1)), false)).containsExactly(left);
        assertThat(names()).isEmpty();
    }

    @Test
    void namesAreDnsLabelsOfAtMost63CharactersAndStayDistinct() {
        RunId run = new RunId("nc-7f3a2b");
        String longA = "Backend_Tier.With Spaces/" + "a".repeat(80);
        String longB = "Backend_Tier.With Spaces/" + "a".repeat(79) + "b";

        assertThat(RunNamespaces.namespaceName(run, "Backend_Tier")).isEqualTo("nc-7f3a2b-backend-tier");
        String a = RunNamespaces.namespaceName(run, longA);
        String b = RunNamespaces.namespaceName(run, longB);
        assertThat(List.of(a, b)).allSatisfy(n -> assertThat(n)
                .hasSizeLessThanOrEqualTo(63).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?").startsWith("nc-7f3a2b-"));
        assertThat(a).isNotEqualTo(b);
        assertThatThrownBy(() -> RunNamespaces.namespaceName(run, "__"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'__'");
    }

    @Test
    void testNamesBecomeValidLabelValues() {
        assertThat(RunNamespaces.labelValue("MyTest#works(Scenario)")).isEqualTo("MyTest_works_Scenario");
        assertThat(RunNamespaces.labelValue("[1] " + "x".repeat(100)))
                .hasSizeLessThanOrEqualTo(63).matches("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
    }

    private static void namespace(String name, Map<String, String> labels, String expires) {
        NamespaceBuilder builder = new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels)
                .endMetadata();
        if (expires != null) {
            builder.editMetadata().addToAnnotations(RunNamespaces.EXPIRES, expires).endMetadata();
        }
        client.namespaces().resource(builder.build()).create();
    }

    private static List<String> names() {
        return client.namespaces().list().getItems().stream().map(ns -> ns.getMetadata().getName()).toList();
    }
}
