package io.netconform.exec;

import java.time.Duration;

/**
 * What one command run in a pod gave back.
 *
 * <p>{@link Status#COMPLETED} means the command ran and reported an exit code: its output can be read
 * as a network observation. Anything else means the harness could not observe: it is an error to
 * retry or report, and never a "blocked" verdict (a broken exec would otherwise pass every deny test).
 */
public record ExecResult(Status status, int exitCode, String stdout, String stderr, Duration duration, String error) {

    public enum Status {
        /** The command ran to its end and its exit code is known. */
        COMPLETED,
        /** The command did not finish within the exec timeout (the harness's, not the probe's). */
        TIMED_OUT,
        /** The exec itself failed: websocket error, missing exit status, pod gone, API error. */
        TRANSPORT_ERROR,
        /**
         * netconform stopped waiting itself (Ctrl-C, or a caller's deadline interrupted the thread): neither the
         * network nor the API server said anything, so it is reported as exactly that, never as a transport error.
         */
        INTERRUPTED
    }

    public static ExecResult completed(int exitCode, String stdout, String stderr, Duration duration) {
        return new ExecResult(Status.COMPLETED, exitCode, stdout, stderr, duration, null);
    }

    public static ExecResult failed(Status status, String error, String stdout, String stderr, Duration duration) {
        if (status == Status.COMPLETED) {
            throw new IllegalArgumentException("a failed exec cannot be COMPLETED");
        }
        return new ExecResult(status, -1, stdout, stderr, duration, error);
    }

    public boolean completed() {
        return status == Status.COMPLETED;
    }

    /** stdout and stderr together, as a person would have seen them on a terminal. */
    public String output() {
        String out = stdout == null ? "" : stdout;
        String err = stderr == null ? "" : stderr;
        if (err.isEmpty()) {
            return out;
        }
        return out.isEmpty() || out.endsWith("\n") ? out + err : out + "\n" + err;
    }

    @Override
    public String toString() {
        return completed()
                ? "exit " + exitCode + " after " + duration.toMillis() + " ms"
                : status + " after " + duration.toMillis() + " ms: " + error;
    }
}
