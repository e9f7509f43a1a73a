package io.netconform.cni;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;

import java.util.List;
import java.util.Optional;

/**
 * One CNI the harness knows, in one file: how detection recognises it (its DaemonSets, or other signals),
 * what it reads to learn its configuration, what it promises (NetworkPolicy, encapsulation, the expected pod
 * MTU rule) and what detection must be allowed to read ({@link #reads}, the source of the RBAC preflight and
 * {@code deploy/rbac.yaml}). Its DaemonSets are the ones the health check watches.
 *
 * <p>Adding a CNI is one subclass in this package, one entry in {@link Cnis#KNOWN} and a fixture in
 * {@code CniDetectorTest}; {@code AddingACniTest} shows it with Antrea.
 */
public abstract class Cni {
    private final String name;

    protected Cni(String name) {
        this.name = name;
    }

    /** The name users give to {@code --cni} and reports print, e.g. "calico". */
    public final String name() {
        return name;
    }

    /** Namespaces its DaemonSets live in; detection lists DaemonSets there. */
    List<String> namespaces() {
        return List.of();
    }

    /** The detection signal: whether {@code ds} is this CNI's agent (name or container names). */
    boolean runs(DaemonSet ds) {
        return false;
    }

    /** The profile draft from the first DaemonSet {@link #runs} accepted and the configuration it points to. */
    Draft detect(DaemonSet ds, Detection cluster) {
        throw new UnsupportedOperationException(name + " is not recognised by a DaemonSet");
    }

    /**
     * Recognition when no known CNI runs a DaemonSet (K3s's flannel inside the k3s process, an operator
     * Installation still rolling out); empty when this CNI is not seen that way.
     */
    Optional<Draft> detectWithoutDaemonSet(Detection cluster) {
        return Optional.empty();
    }

    /** What detection reads for this CNI beyond DaemonSets and nodes: its ConfigMaps and custom resources. */
    List<DetectionRead> reads() {
        return List.of();
    }

    /** A word in the names of its pods, for evidence collection; empty when it runs no pods. */
    Optional<String> podNameWord() {
        return Optional.of(name);
    }

    /** The encapsulation assumed when it is named by {@code --cni} and nothing is detected. */
    Encapsulation defaultEncapsulation() {
        return Encapsulation.UNKNOWN;
    }

    /** How the pieces fit when nothing more is detected, e.g. "flannel VXLAN, calico policy". */
    String defaultDetail() {
        return "";
    }

    abstract NetworkPolicySupport defaultPolicy();

    /** The expected pod MTU for an encapsulation it uses, when it exposes no configured MTU. */
    ExpectedMtu expectedMtu(Encapsulation encapsulation, boolean ipv6Underlay) {
        return MtuTable.expected(encapsulation, ipv6Underlay, MtuTable.WIREGUARD_OVERHEAD);
    }

    @Override
    public String toString() {
        return name;
    }
}
