package io.netconform.exec;

import java.time.Duration;
import java.util.List;

/**
 * Runs a command in a pod. The seam between probes and whatever carries them: the Kubernetes API
 * (pod exec over a websocket), a scripted network in tests, or network namespaces in the probe lab.
 *
 * <p>Implementations never throw for a failed exec: they return an {@link ExecResult} whose status
 * says what went wrong, so callers cannot mistake an infrastructure failure for a network verdict.
 */
public interface Executor {

    ExecResult exec(PodRef pod, List<String> command, Duration timeout);

    /**
     * Starts {@code command} in the pod with its stdin kept open for {@link ExecSession#request requests}; empty where
     * the transport cannot (the default), or when the exec could not be opened — callers then exec per request.
     */
    default java.util.Optional<ExecSession> open(PodRef pod, List<String> command) {
        return java.util.Optional.empty();
    }
}
