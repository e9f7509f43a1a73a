package io.netconform.exec;

import java.time.Duration;
import java.util.Optional;

/**
 * A command kept running in a pod and fed requests line by line on its stdin: one exec for many requests, where each
 * exec costs the API server, the kubelet and the container runtime a process start or more (seconds per round of
 * nine pods on a small node). Opened by {@link Executor#open}.
 */
public interface ExecSession extends AutoCloseable {

    /**
     * Sends {@code line} and returns the output lines up to, not including, the first line equal to {@code end}.
     * Empty when the session ended or {@code timeout} passed first; the session is then closed and stays so.
     */
    Optional<String> request(String line, String end, Duration timeout);

    /** Whether {@link #request} can still be answered. */
    boolean open();

    /** Ends the command's stdin and the exec; never throws. */
    @Override
    void close();
}
