package io.netconform.cluster;

import java.util.List;
import java.util.Objects;

/**
 * Test pods did not start, for a reason that is not the network: the run must report this kind of
 * failure by name (a wrong image or a Pod Security rejection is not a CNI bug) and must not wait out
 * a long timeout to find it.
 */
public class PodStartException extends RuntimeException {

    public enum Kind {
        /** ErrImagePull, ImagePullBackOff, InvalidImageName: check the image, the mirror and pull secrets. */
        IMAGE,
        /** CreateContainerConfigError, CreateContainerError: the pod spec or its references are wrong. */
        CONFIG,
        /** The API server refused the pod: Pod Security, PodSecurityPolicy, a webhook, RBAC. */
        ADMISSION,
        /** The scheduler found no node (taints, resources, a node pin to a missing node). */
        UNSCHEDULABLE,
        /** The container exited or crash-looped, or the pod failed (evicted, rejected by the kubelet). */
        CRASH,
        /** Nothing failed visibly, but the pods were not ready in time. */
        TIMEOUT
    }

    private final Kind kind;
    private final String namespace;
    private final List<String> pods;

    public PodStartException(Kind kind, String namespace, List<String> pods, String message) {
        this(kind, namespace, pods, message, null);
    }

    public PodStartException(Kind kind, String namespace, List<String> pods, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.namespace = namespace;
        this.pods = List.copyOf(pods);
    }

    public Kind kind() {
        return kind;
    }

    public String namespace() {
        return namespace;
    }

    /** The pods this is about: one for a failure, all the unready ones for a timeout. */
    public List<String> pods() {
        return pods;
    }
}
