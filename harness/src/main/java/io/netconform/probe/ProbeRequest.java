package io.netconform.probe;

import io.netconform.exec.PodRef;

import java.util.Objects;

/**
 * One probe to run from one pod.
 *
 * @param key    what the probe is about; unique in a batch, and how its result is found
 * @param name   the human name messages use (e.g. "x/a -> y/b")
 * @param source the pod the probe runs in
 * @param probe  what to run
 * @param target a human description of the destination, for messages (e.g. "y/b 10.42.1.7")
 */
public record ProbeRequest(ProbeKey key, String name, PodRef source, Probe probe, String target) {

    public ProbeRequest {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(probe, "probe");
        name = name == null ? key.toString() : name;
        target = target == null ? "" : target;
    }

    /** A check named by its suite: the name is its key ({@link ProbeKey.Named}). */
    public ProbeRequest(String name, PodRef source, Probe probe, String target) {
        this(new ProbeKey.Named(name), name, source, probe, target);
    }

    public String reproduce() {
        return source.kubectlExec(probe.command());
    }
}
