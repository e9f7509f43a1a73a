package io.netconform.cni;

import java.util.Objects;

/**
 * What the harness expects of NetworkPolicy on this cluster, and why. Policy suites skip (with the reason)
 * rather than fail on {@link PolicyEnforcement#NOT_ENFORCED}: RKE2's Flannel and bare bridge CNIs accept
 * policies but never enforce them.
 */
public record NetworkPolicySupport(PolicyEnforcement enforcement, String reason) {
    public NetworkPolicySupport {
        Objects.requireNonNull(enforcement, "enforcement");
        Objects.requireNonNull(reason, "reason");
    }

    public static NetworkPolicySupport enforced(String reason) {
        return new NetworkPolicySupport(PolicyEnforcement.ENFORCED, reason);
    }

    public static NetworkPolicySupport notEnforced(String reason) {
        return new NetworkPolicySupport(PolicyEnforcement.NOT_ENFORCED, reason);
    }

    public static NetworkPolicySupport unknown(String reason) {
        return new NetworkPolicySupport(PolicyEnforcement.UNKNOWN, reason);
    }

    public boolean enforced() {
        return enforcement == PolicyEnforcement.ENFORCED;
    }

    @Override
    public String toString() {
        return switch (enforcement) {
            case ENFORCED -> "enforced";
            case NOT_ENFORCED -> "not enforced";
            case UNKNOWN -> "unknown";
        } + " (" + reason + ")";
    }
}
