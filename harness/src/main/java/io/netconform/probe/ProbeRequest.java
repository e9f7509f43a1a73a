package io.netconform.probe;

import io.netconform.exec.PodRef;

import java.util.Objects;

/**
 * One probe to run from one pod.
 *
 * @param key    the caller's name for it, unique in a batch (e.g. "x/a -> y/b TCP/80")
 * @param source the pod the probe runs in
 * @param probe  what to run
 * @param target a human description of the destination, for messages (e.g. "y/b 10.42.1.7")
 */
public record ProbeRequest(String key, PodRef source, Probe probe, String target) {

    public ProbeRequest {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(probe, "probe");
        target = target == null ? "" : target;
    }

    public String reproduce() {
        return source.kubectlExec(probe.command());
    }
}
