package io.netconform.cni;

/** Whether the cluster's CNI is expected to enforce Kubernetes NetworkPolicy. */
public enum PolicyEnforcement {
    ENFORCED, NOT_ENFORCED, UNKNOWN
}
