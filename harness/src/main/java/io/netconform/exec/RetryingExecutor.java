package io.netconform.exec;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Repeats an exec whose transport failed, a bounded number of times.
 *
 * <p>Only {@link ExecResult.Status#TRANSPORT_ERROR} is retried: a non-zero exit is an observation
 * (the probe ran and saw something) and a timeout already cost the whole budget, so repeating either
 * would hide what happened or double the wait. The last failure is returned with the attempt count,
 * so a flaky API server shows up as such in the report instead of as a network verdict.
 */
public final class RetryingExecutor implements Executor {

    /**
     * A busy API server (an upgrade, a loaded control plane) refuses or drops exec upgrades for seconds at a time:
     * four retries after 0.5, 1, 2 and 4 s ride out about 7.5 s of that and still end a dead pod's probe quickly.
     */
    public static final int DEFAULT_RETRIES = 4;
    public static final Duration DEFAULT_BACKOFF = Duration.ofMillis(500);

    private final Executor delegate;
    private final int retries;
    private final Duration backoff;

    public RetryingExecutor(Executor delegate) {
        this(delegate, DEFAULT_RETRIES, DEFAULT_BACKOFF);
    }

    /**
     * @param retries extra attempts after the first (0 = no retry)
     * @param backoff pause before the first retry; doubled before each further one
     */
    public RetryingExecutor(Executor delegate, int retries, Duration backoff) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        if (retries < 0) {
            throw new IllegalArgumentException("retries must be >= 0, was " + retries);
        }
        this.retries = retries;
        this.backoff = Objects.requireNonNull(backoff, "backoff");
    }

    @Override
    public ExecResult exec(PodRef pod, List<String> command, Duration timeout) {
        long start = System.nanoTime();
        ExecResult result = delegate.exec(pod, command, timeout);
        int attempts = 1;
        Duration pause = backoff;
        while (result.status() == ExecResult.Status.TRANSPORT_ERROR && attempts <= retries) {
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            pause = pause.multipliedBy(2);
            result = delegate.exec(pod, command, timeout);
            attempts++;
        }
        if (attempts == 1 || result.completed()) {
            return result;
        }
        Duration total = Duration.ofNanos(System.nanoTime() - start);
        String error = result.status() == ExecResult.Status.TRANSPORT_ERROR
                ? result.error() + " (" + attempts + " attempts)"
                : result.error() + " (attempt " + attempts + ", after earlier transport errors)";
        return ExecResult.failed(result.status(), error, result.stdout(), result.stderr(), total);
    }

    public int retries() {
        return retries;
    }
}
