package io.netconform.exec;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.server.mock.OutputStreamMessage;
import io.fabric8.kubernetes.client.server.mock.StatusStreamMessage;
import io.fabric8.mockwebserver.http.RecordedRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@EnableKubernetesMockClient(crud = true)
class KubernetesExecutorTest {

    static KubernetesClient client;
    static KubernetesMockServer server;

    private static final String NS = "nc-exec";
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @BeforeAll
    static void pods() {
        for (String name : List.of("a", "b", "c", "d", "e", "f", "g")) {
            client.pods().inNamespace(NS).resource(new PodBuilder()
                    .withNewMetadata().withName(name).endMetadata()
                    .withNewSpec().addNewContainer().withName("probe").withImage("netshoot").endContainer().endSpec()
                    .withNewStatus().withPhase("Running").endStatus()
                    .build()).create();
        }
    }

    @BeforeEach
    void forgetEarlierRequests() throws InterruptedException {
        while (server.takeRequest(10, TimeUnit.MILLISECONDS) != null) {
            // drained: each test counts only its own requests
        }
    }

    private static String execPath(String pod, String query) {
        return "/api/v1/namespaces/" + NS + "/pods/" + pod + "/exec?" + query + "&container=probe&stdout=true&stderr=true";
    }

    private static PodRef pod(String name) {
        return new PodRef(NS, name, "probe");
    }

    @Test
    void zeroExitIsCompletedWithOutput() {
        server.expect().get().withPath(execPath("a", "command=echo&command=hi"))
                .andUpgradeToWebSocket().open(new OutputStreamMessage("hi\n"), new StatusStreamMessage(0)).done().always();
        KubernetesExecutor executor = new KubernetesExecutor(client);

        ExecResult result = executor.exec(pod("a"), List.of("echo", "hi"), TIMEOUT);

        assertThat(result.status()).isEqualTo(ExecResult.Status.COMPLETED);
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("hi\n");
        assertThat(result.duration()).isPositive();
        assertThat(executor.execCount()).isEqualTo(1);
    }

    @Test
    void nonZeroExitIsCompletedAndNotRetried() throws InterruptedException {
        server.expect().get().withPath(execPath("b", "command=nc&command=-z&command=10.0.0.1&command=80"))
                .andUpgradeToWebSocket().open(new OutputStreamMessage("refused\n"), new StatusStreamMessage(7)).done().always();
        KubernetesExecutor executor = new KubernetesExecutor(client);

        ExecResult result = executor.exec(pod("b"), List.of("nc", "-z", "10.0.0.1", "80"), TIMEOUT);

        assertThat(result.status()).isEqualTo(ExecResult.Status.COMPLETED);
        assertThat(result.exitCode()).isEqualTo(7);
        assertThat(result.stdout()).isEqualTo("refused\n");
        assertThat(executor.execCount()).isEqualTo(1);
        assertThat(execRequests("b")).isEqualTo(1);
    }

    @Test
    void websocketClosingWithoutStatusIsTransportErrorRetriedThenReported() throws InterruptedException {
        server.expect().get().withPath(execPath("c", "command=ping"))
                .andUpgradeToWebSocket().open(new OutputStreamMessage("PING 10.0.0.1\n")).done().always();
        KubernetesExecutor executor = new KubernetesExecutor(client, 2, Duration.ofMillis(10));

        ExecResult result = executor.exec(pod("c"), List.of("ping"), TIMEOUT);

        assertThat(result.status()).isEqualTo(ExecResult.Status.TRANSPORT_ERROR);
        assertThat(result.completed()).isFalse();
        assertThat(result.error()).contains("exec into nc-exec/c", "no exit status", "3 attempts");
        assertThat(executor.execCount()).isEqualTo(3);
        assertThat(execRequests("c")).isEqualTo(3);
    }

    @Test
    void forbiddenExecIsTransportErrorWithTheServersWords() throws InterruptedException {
        server.expect().get().withPath(execPath("d", "command=true"))
                .andReturn(403, new StatusBuilder().withCode(403).withReason("Forbidden")
                        .withMessage("pods \"d\" is forbidden: User \"ci\" cannot create resource \"pods/exec\"").build())
                .always();
        KubernetesExecutor executor = new KubernetesExecutor(client, 1, Duration.ofMillis(10));

        ExecResult result = executor.exec(pod("d"), List.of("true"), TIMEOUT);

        assertThat(result.status()).isEqualTo(ExecResult.Status.TRANSPORT_ERROR);
        // fabric8 7.9 keeps only the status code of a refused upgrade, not the server's message
        assertThat(result.error()).contains("exec into nc-exec/d", "403");
        assertThat(execRequests("d")).isEqualTo(2);
    }

    @Test
    void serverErrorOnTheExecPathIsTransportErrorRetriedByUs() throws InterruptedException {
        server.expect().get().withPath(execPath("d", "command=false"))
                .andReturn(500, new StatusBuilder().withCode(500).withMessage("etcd is sad").build()).always();
        // fabric8 itself retries 5xx answers with backoff; switched off here to count only our retries
        try (KubernetesClient noRetries = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(client.getConfiguration()).withRequestRetryBackoffLimit(0).build()).build()) {
            KubernetesExecutor executor = new KubernetesExecutor(noRetries, 1, Duration.ofMillis(10));

            ExecResult result = executor.exec(pod("d"), List.of("false"), TIMEOUT);

            assertThat(result.status()).isEqualTo(ExecResult.Status.TRANSPORT_ERROR);
            assertThat(result.error()).contains("exec into nc-exec/d", "2 attempts");
            assertThat(executor.execCount()).isEqualTo(2);
            assertThat(execRequests("d")).isEqualTo(2);
        }
    }

    /** Our own deadline or Ctrl-C stopping the wait is said as such: never a transport error, never retried. */
    @Test
    void anInterruptedWaitIsInterruptedNotATransportError() throws Exception {
        server.expect().get().withPath(execPath("g", "command=sleep&command=30"))
                .andUpgradeToWebSocket().open(new OutputStreamMessage("started\n"))
                .expect("input that never comes").andEmit(new StatusStreamMessage(0)).once().done().always();
        KubernetesExecutor executor = new KubernetesExecutor(client, 3, Duration.ofMillis(10));
        java.util.concurrent.atomic.AtomicReference<ExecResult> result = new java.util.concurrent.atomic.AtomicReference<>();
        Thread waiting = new Thread(() -> result.set(executor.exec(pod("g"), List.of("sleep", "30"), Duration.ofSeconds(30))));
        waiting.start();
        org.awaitility.Awaitility.await("the exec request reached the server").atMost(Duration.ofSeconds(10))
                .until(() -> execRequests("g") >= 1);
        waiting.interrupt();
        waiting.join(10_000);

        assertThat(result.get().status()).isEqualTo(ExecResult.Status.INTERRUPTED);
        assertThat(result.get().error()).contains("netconform itself interrupted", "neither the network nor the API server");
        assertThat(executor.execCount()).as("an interruption is not retried").isEqualTo(1);
    }

    @Test
    void transportErrorThenSuccessReturnsTheCompletedResult() throws InterruptedException {
        server.expect().get().withPath(execPath("e", "command=true"))
                .andUpgradeToWebSocket().open(new OutputStreamMessage("lost\n")).done().once();
        server.expect().get().withPath(execPath("e", "command=true"))
                .andUpgradeToWebSocket().open(new OutputStreamMessage("ok\n"), new StatusStreamMessage(0)).done().always();
        KubernetesExecutor executor = new KubernetesExecutor(client, 2, Duration.ofMillis(10));

        ExecResult result = executor.exec(pod("e"), List.of("true"), TIMEOUT);

        assertThat(result.status()).isEqualTo(ExecResult.Status.COMPLETED);
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("ok\n");
        assertThat(executor.execCount()).isEqualTo(2);
        assertThat(execRequests("e")).isEqualTo(2);
    }

    @Test
    void missingPodIsTransportErrorSayingSo() {
        KubernetesExecutor executor = new KubernetesExecutor(client, 0, Duration.ZERO);

        ExecResult result = executor.exec(pod("gone"), List.of("true"), TIMEOUT);

        assertThat(result.status()).isEqualTo(ExecResult.Status.TRANSPORT_ERROR);
        assertThat(result.error()).contains("exec into nc-exec/gone", "not found");
    }

    @Test
    void slowCommandTimesOutAndIsNotRetried() throws InterruptedException {
        server.expect().get().withPath(execPath("f", "command=sleep&command=10"))
                .andUpgradeToWebSocket().open(new OutputStreamMessage("started\n"))
                .expect("input that never comes").andEmit(new StatusStreamMessage(0)).once().done().always();
        KubernetesExecutor executor = new KubernetesExecutor(client, 2, Duration.ofMillis(10));

        long start = System.nanoTime();
        ExecResult result = executor.exec(pod("f"), List.of("sleep", "10"), Duration.ofMillis(700));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(result.status()).isEqualTo(ExecResult.Status.TIMED_OUT);
        assertThat(result.error()).contains("700 ms");
        assertThat(took).isLessThan(Duration.ofSeconds(4));
        assertThat(executor.execCount()).isEqualTo(1);
        assertThat(execRequests("f")).isEqualTo(1);
    }

    private static int execRequests(String pod) throws InterruptedException {
        int count = 0;
        RecordedRequest request;
        while ((request = server.takeRequest(50, TimeUnit.MILLISECONDS)) != null) {
            if (request.getPath().startsWith("/api/v1/namespaces/" + NS + "/pods/" + pod + "/exec")) {
                count++;
            }
        }
        return count;
    }

    @Test
    void aSessionAnswersRequestsOnOneExecUntilItCloses() throws InterruptedException {
        // the mock answers each stdin line (channel 0) with the agent's lines; the session reads up to the end marker
        server.expect().get().withPath("/api/v1/namespaces/" + NS + "/pods/a/exec?command=agent&container=probe"
                        + "&stdin=true&stdout=true&stderr=true")
                .andUpgradeToWebSocket().open()
                .expect("\u0000run 1\n").andEmit(new OutputStreamMessage("@@NP 0 ok 0.00 connected\n@@END 1\n")).once()
                .expect("\u0000run 2\n").andEmit(new OutputStreamMessage("@@NP 0 timeout 1.00\n")).once()
                .done().always();
        KubernetesExecutor executor = new KubernetesExecutor(client);

        ExecSession session = executor.open(pod("a"), List.of("agent")).orElseThrow();
        assertThat(session.request("run 1", "@@END 1", TIMEOUT)).hasValue("@@NP 0 ok 0.00 connected\n");
        assertThat(session.open()).isTrue();
        // no end marker within the time: empty, and the session is closed for good (late output is never an answer)
        assertThat(session.request("run 2", "@@END 2", Duration.ofMillis(500))).isEmpty();
        assertThat(session.open()).isFalse();
        assertThat(session.request("run 3", "@@END 3", TIMEOUT)).isEmpty();
        assertThat(executor.execCount()).isEqualTo(1);
        session.close();
    }
}
