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
    private final List<String> namespaces;
    private final Encapsulation defaultEncapsulation;
    private final String defaultDetail;
    private final NetworkPolicySupport defaultPolicy;

    /**
     * @param namespaces           where its DaemonSets live; detection lists DaemonSets there
     * @param defaultEncapsulation assumed when it is named by {@code --cni} and nothing is detected
     * @param defaultDetail        how the pieces fit when nothing more is detected, e.g. "flannel VXLAN, calico policy"
     * @param defaultPolicy        whether it enforces NetworkPolicy, and why the harness thinks so
     */
    protected Cni(String name, List<String> namespaces, Encapsulation defaultEncapsulation, String defaultDetail,
                  NetworkPolicySupport defaultPolicy) {
        this.name = name;
        this.namespaces = List.copyOf(namespaces);
        this.defaultEncapsulation = defaultEncapsulation;
        this.defaultDetail = defaultDetail;
        this.defaultPolicy = defaultPolicy;
    }

    /** The name users give to {@code --cni} and reports print, e.g. "calico". */
    public final String name() {
        return name;
    }

    final List<String> namespaces() {
        return namespaces;
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

    final Encapsulation defaultEncapsulation() {
        return defaultEncapsulation;
    }

    final String defaultDetail() {
        return defaultDetail;
    }

    final NetworkPolicySupport defaultPolicy() {
        return defaultPolicy;
    }

    /** The expected pod MTU for an encapsulation it uses, when it exposes no configured MTU. */
    ExpectedMtu expectedMtu(Encapsulation encapsulation, boolean ipv6Underlay) {
        return MtuTable.expected(encapsulation, ipv6Underlay, MtuTable.WIREGUARD_OVERHEAD);
    }

    @Override
    public String toString() {
        return name;
    }
}
