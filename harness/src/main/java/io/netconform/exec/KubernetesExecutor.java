package io.netconform.exec;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.ExecListener;
import io.fabric8.kubernetes.client.dsl.ExecWatch;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs commands in pods through the API server's exec websocket (what {@code kubectl exec} does).
 *
 * <p>The outcome is only {@link ExecResult.Status#COMPLETED} when the API server reported the
 * command's exit status. A websocket that closes without one, a pod or container that is gone, a
 * refused upgrade or any API error is a {@link ExecResult.Status#TRANSPORT_ERROR}, retried a bounded
 * number of times; it never passes for a probe that saw a blocked connection.
 */
public final class KubernetesExecutor implements Executor {

    private final KubernetesClient client;
    private final Executor retrying;
    private final AtomicInteger execCount = new AtomicInteger();

    public KubernetesExecutor(KubernetesClient client) {
        this(client, RetryingExecutor.DEFAULT_RETRIES, RetryingExecutor.DEFAULT_BACKOFF);
    }

    /** @param retries extra attempts after a transport error (0 = none) */
    public KubernetesExecutor(KubernetesClient client, int retries, Duration backoff) {
        this.client = Objects.requireNonNull(client, "client");
        this.retrying = new RetryingExecutor(this::execOnce, retries, backoff);
    }

    @Override
    public ExecResult exec(PodRef pod, List<String> command, Duration timeout) {
        return retrying.exec(pod, command, timeout);
    }

    @Override
    public java.util.Optional<ExecSession> open(PodRef pod, List<String> command) {
        execCount.incrementAndGet();
        LineQueue out = new LineQueue();
        try {
            ExecWatch watch = client.pods().inNamespace(pod.namespace()).withName(pod.pod()).inContainer(pod.container())
                    .redirectingInput()
                    .writingOutput(out)
                    .writingError(java.io.OutputStream.nullOutputStream())
                    .usingListener(new ExecListener() {
                        @Override
                        public void onClose(int code, String reason) {
                            out.end();
                        }

                        @Override
                        public void onFailure(Throwable t, ExecListener.Response failureResponse) {
                            out.end();
                        }
                    })
                    .exec(command.toArray(String[]::new));
            return java.util.Optional.of(new WatchSession(watch, out));
        } catch (KubernetesClientException e) {
            return java.util.Optional.empty();
        }
    }

    /** A kept-open exec: requests go to its stdin, answers are read line by line from its stdout. */
    private static final class WatchSession implements ExecSession {
        private final ExecWatch watch;
        private final LineQueue out;
        private volatile boolean closed;

        WatchSession(ExecWatch watch, LineQueue out) {
            this.watch = watch;
            this.out = out;
        }

        @Override
        public synchronized java.util.Optional<String> request(String line, String end, Duration timeout) {
            if (!open()) {
                return java.util.Optional.empty();
            }
            try {
                java.io.OutputStream in = watch.getInput();
                in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                in.flush();
                java.util.Optional<String> answer = out.readUntil(end, timeout);
                if (answer.isEmpty()) {
                    // late output of an abandoned request must never be read as the next one's answer
                    close();
                }
                return answer;
            } catch (java.io.IOException | RuntimeException e) {
                close();
                return java.util.Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                return java.util.Optional.empty();
            }
        }

        @Override
        public boolean open() {
            return !closed && !out.ended();
        }

        @Override
        public void close() {
            closed = true;
            try {
                watch.close();
            } catch (RuntimeException e) {
                // closing a websocket that already failed: nothing left to release
            }
        }
    }

    /** Exec calls sent to the API server so far, retries included. */
    public int execCount() {
        return execCount.get();
    }

    private ExecResult execOnce(PodRef pod, List<String> command, Duration timeout) {
        execCount.incrementAndGet();
        long start = System.nanoTime();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        AtomicReference<Status> exitStatus = new AtomicReference<>();
        AtomicReference<String> closed = new AtomicReference<>();
        ExecWatch watch = null;
        try {
            watch = client.pods().inNamespace(pod.namespace()).withName(pod.pod()).inContainer(pod.container())
                    .writingOutput(out)
                    .writingError(err)
                    .usingListener(new ExecListener() {
                        @Override
                        public void onExit(int code, Status status) {
                            exitStatus.set(status);
                        }

                        @Override
                        public void onClose(int code, String reason) {
                            closed.set(code + (reason == null || reason.isEmpty() ? "" : " " + reason));
                        }
                    })
                    .exec(command.toArray(String[]::new));
            long remaining = timeout.toNanos() - (System.nanoTime() - start);
            Integer exitCode = watch.exitCode().get(Math.max(remaining, 0), TimeUnit.NANOSECONDS);
            if (exitCode == null) {
                return failed(ExecResult.Status.TRANSPORT_ERROR, pod,
                        "no exit status: the exec websocket closed" + (closed.get() == null ? "" : " (" + closed.get() + ")")
                                + " before the API server reported one", out, err, start);
            }
            if (exitCode < 0) {
                Status status = exitStatus.get();
                return failed(ExecResult.Status.TRANSPORT_ERROR, pod, "the API server reported no exit code"
                        + (status == null ? "" : ": " + status.getReason() + " " + status.getMessage()), out, err, start);
            }
            return ExecResult.completed(exitCode, text(out), text(err), Duration.ofNanos(System.nanoTime() - start));
        } catch (TimeoutException e) {
            return failed(ExecResult.Status.TIMED_OUT, pod,
                    "did not finish within " + timeout.toMillis() + " ms", out, err, start);
        } catch (ExecutionException | CompletionException e) {
            return failed(ExecResult.Status.TRANSPORT_ERROR, pod, describe(e.getCause()), out, err, start);
        } catch (KubernetesClientException e) {
            return failed(ExecResult.Status.TRANSPORT_ERROR, pod, describe(e), out, err, start);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(ExecResult.Status.INTERRUPTED, pod, "netconform itself interrupted the wait for the command"
                    + " (Ctrl-C or a deadline of the harness) after " + (System.nanoTime() - start) / 1_000_000
                    + " ms: neither the network nor the API server reported a failure", out, err, start);
        } finally {
            if (watch != null) {
                // Also ends a timed-out exec's websocket; the process in the container may outlive it.
                watch.close();
            }
        }
    }

    /**
     * fabric8 wraps the server's answer in layers ("An error has occurred." around a handshake
     * failure around the Status): report the innermost HTTP status and the server's own message.
     */
    private static String describe(Throwable failure) {
        KubernetesClientException withStatus = null;
        List<String> messages = new ArrayList<>();
        for (Throwable t = failure; t != null && messages.size() < 10; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof KubernetesClientException k && (k.getCode() > 0 || k.getStatus() != null)) {
                withStatus = k;
            }
            String message = t.getMessage();
            if (message != null && !message.isBlank() && messages.stream().noneMatch(m -> m.contains(message))) {
                messages.add(message);
            }
        }
        if (withStatus != null) {
            int code = withStatus.getCode() > 0 ? withStatus.getCode()
                    : withStatus.getStatus().getCode() == null ? 0 : withStatus.getStatus().getCode();
            String serverMessage = withStatus.getStatus() != null && withStatus.getStatus().getMessage() != null
                    ? withStatus.getStatus().getMessage() : withStatus.getMessage();
            return (code == 404 ? "pod not found (HTTP 404): " : "API error (HTTP " + code + "): ") + serverMessage;
        }
        String text = messages.isEmpty() ? failure.getClass().getSimpleName() : String.join(": ", messages);
        return text.contains("not found") ? "pod not found: " + text : text;
    }

    private static ExecResult failed(ExecResult.Status status, PodRef pod, String why,
                                     ByteArrayOutputStream out, ByteArrayOutputStream err, long start) {
        return ExecResult.failed(status, "exec into " + pod + " (container " + pod.container() + ") failed: " + why,
                text(out), text(err), Duration.ofNanos(System.nanoTime() - start));
    }

    private static String text(ByteArrayOutputStream stream) {
        return stream.toString(StandardCharsets.UTF_8);
    }
}
