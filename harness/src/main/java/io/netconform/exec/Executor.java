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
}
