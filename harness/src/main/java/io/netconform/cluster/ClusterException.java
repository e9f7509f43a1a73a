package io.netconform.cluster;

import io.netconform.InputException;

/**
 * The cluster cannot be used: no target, unreachable, unauthorised, missing permissions, or a namespace the run
 * needs could not be made. The message is meant for a person (the CLI prints it and exits 2); it names the file,
 * context, server URL or verb at fault, and never carries tokens, keys or kubeconfig contents.
 */
public class ClusterException extends InputException {

    public ClusterException(String message) {
        super(message);
    }

    public ClusterException(String message, Throwable cause) {
        super(message, cause);
    }
}
