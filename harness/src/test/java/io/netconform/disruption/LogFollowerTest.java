package io.netconform.disruption;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.netconform.cluster.TestPods;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The log follower against an API server whose log requests misbehave as the lab's did: a request answered only
 * after the follower's patience, and a stream that is an API error and ends at once.
 */
@EnableKubernetesMockClient(crud = true)
class LogFollowerTest {

    static KubernetesClient client;
    static KubernetesMockServer server;
    static final String NS = "nc-follow";

    @BeforeAll
    static void pods() {
        for (String name : List.of("late", "error")) {
            client.pods().inNamespace(NS).resource(new PodBuilder()
                    .withNewMetadata().withName(name).endMetadata()
                    .withNewSpec().addNewContainer().withName(TestPods.CONTAINER).withImage("netshoot").endContainer().endSpec()
                    .withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus("True").endCondition()
                    .addNewContainerStatus().withName(TestPods.CONTAINER).withNewState().withNewRunning().endRunning()
                    .endState().endContainerStatus().endStatus()
                    .build()).create();
        }
    }

    private static String log(String pod) {
        return "/api/v1/namespaces/" + NS + "/pods/" + pod + "/log?pretty=false&container=" + TestPods.CONTAINER + "&follow=true";
    }

    private record Followed(LogFollower follower, List<String> lines, List<String> notices) {
    }

    private static Followed follow(String pod) {
        List<String> lines = new CopyOnWriteArrayList<>();
        List<String> notices = new CopyOnWriteArrayList<>();
        LogFollower follower = new LogFollower(client, NS, pod, lines::add, notices::add, Duration.ofSeconds(1));
        Thread t = new Thread(follower, "follow-" + pod);
        t.setDaemon(true);
        t.start();
        return new Followed(follower, lines, notices);
    }

    @Test
    void aLogRequestLeftUnansweredIsGivenUpAndAskedAgain() {
        // before: fabric8's watchLog() waited for the answer without a deadline, and the watch heard nothing meanwhile
        server.expect().get().delay(4, TimeUnit.SECONDS).withPath(log("late")).andReturn(200, "ncw h 1\n").once();
        server.expect().get().withPath(log("late")).andReturn(200, "ncw h 2\nncw h 3\n").once();
        Followed f = follow("late");

        await().atMost(Duration.ofSeconds(10)).until(() -> f.lines().contains("ncw h 3"));
        f.follower().stop();

        assertThat(f.notices().get(0)).contains("log stream of nc-follow/late lost (no answer to the log request within 1 s)");
        assertThat(f.lines()).containsExactly("ncw h 2", "ncw h 3");
        assertThat(f.follower().resumed()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aStreamThatEndsSaysHowManyLinesItGaveAndItsLastWordsWhenTheyAreNotTheProbers() {
        String status = "{\"kind\":\"Status\",\"status\":\"Failure\",\"message\":\"Get \\\"https://10.213.1.11:10250/"
                + "containerLogs/nc-follow/error/probe?follow=true\\\": dial tcp 10.213.1.11:10250: connect: connection refused\"}";
        server.expect().get().withPath(log("error")).andReturn(200, "ncw h 5\n" + status + "\n").once();
        Followed f = follow("error");

        await().atMost(Duration.ofSeconds(10)).until(() -> !f.notices().isEmpty());
        f.follower().stop();

        assertThat(f.notices().get(0)).contains("lost (the stream ended after 2 lines; last line: {\"kind\":\"Status\"")
                .contains("connect: connection refused");
    }
}
