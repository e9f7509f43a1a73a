package io.netconform.policy;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One NetworkPolicy, validated and turned into predicates once, so that predicting a flow never
 * re-reads the fabric8 model. Validation follows the API server's: what it would reject, we reject.
 */
final class CompiledPolicy {

    final String id;
    final String namespace;
    final Selectors.Selector podSelector;
    final boolean ingress;
    final boolean egress;
    final List<Rule> ingressRules;
    final List<Rule> egressRules;

    /** One ingress or egress rule: no peers = every source/destination, no ports = every port. */
    record Rule(String policyId, String direction, int index, List<Peer> peers, List<PortMatch> ports) {

        boolean anyPeer() {
            return peers.isEmpty();
        }

        boolean anyPort() {
            return ports.isEmpty();
        }

        boolean hasNamedPort() {
            return ports.stream().anyMatch(p -> p.name() != null);
        }

        /** Whether the rule's ports admit this traffic to {@code destination} (null: an address outside the topology). */
        boolean portsMatch(Topology.Pod destination, Port traffic) {
            if (ports.isEmpty()) {
                return true;
            }
            for (PortMatch port : ports) {
                if (port.matches(destination, traffic)) {
                    return true;
                }
            }
            return false;
        }

        String describe(Peer peer) {
            String portText = ports.isEmpty() ? "" : " on " + ports;
            String base = policyId + " " + direction + " rule " + index;
            return peer == null ? base + " (" + (direction.equals("ingress") ? "from" : "to") + " anywhere" + portText + ")"
                    : base + ", peer " + peer.index() + " (" + peer.text() + portText + ")";
        }
    }

    /** One peer: selectors (AND of namespace and pod selector) or an ipBlock. */
    record Peer(int index, Selectors.Selector namespaceSelector, Selectors.Selector podSelector, String ownNamespace,
                Cidr cidr, List<Cidr> except, String text) {

        boolean matchesPod(Topology.Pod pod, Map<String, String> namespaceLabels) {
            if (cidr != null) {
                return pod.ips().stream().anyMatch(ip -> matchesAddress(Cidr.parseAddress(ip)));
            }
            boolean namespaceOk = namespaceSelector == null
                    ? pod.id().namespace().equals(ownNamespace)
                    : namespaceSelector.matches(namespaceLabels);
            return namespaceOk && (podSelector == null || podSelector.matches(pod.labels()));
        }

        boolean matchesAddress(byte[] address) {
            return cidr != null && cidr.contains(address) && except.stream().noneMatch(e -> e.contains(address));
        }
    }

    /**
     * One entry of a rule's ports: protocol, and a number, a number range (endPort) or a named port. A null protocol
     * (ClusterNetworkPolicy destinationNamedPort) takes the protocol of the container port the name resolves to.
     */
    record PortMatch(Protocol protocol, Integer number, Integer endPort, String name) {

        boolean matches(Topology.Pod destination, Port traffic) {
            if (protocol != null && traffic.protocol() != protocol) {
                return false;
            }
            if (name != null) {
                // a named port means "whatever number the destination pod gives this name for this protocol"
                return destination != null && destination.ports().stream().anyMatch(p -> name.equals(p.name())
                        && p.protocol() == traffic.protocol() && p.number() == traffic.number());
            }
            if (number == null) {
                return true;
            }
            return endPort == null ? traffic.number() == number
                    : traffic.number() >= number && traffic.number() <= endPort;
        }

        @Override
        public String toString() {
            if (name != null) {
                return protocol == null ? "port " + name : protocol + "/" + name;
            }
            if (number == null) {
                return protocol + "/*";
            }
            return protocol + "/" + number + (endPort == null ? "" : "-" + endPort);
        }
    }

    private CompiledPolicy(String id, String namespace, Selectors.Selector podSelector, boolean ingress, boolean egress,
                           List<Rule> ingressRules, List<Rule> egressRules) {
        this.id = id;
        this.namespace = namespace;
        this.podSelector = podSelector;
        this.ingress = ingress;
        this.egress = egress;
        this.ingressRules = ingressRules;
        this.egressRules = egressRules;
    }

    /** Validates and compiles; problems are {@link IllegalArgumentException}s naming the field (e.g. spec.ingress[0]). */
    static CompiledPolicy compile(NetworkPolicy policy) {
        return compile(policy, null);
    }

    /** As {@link #compile(NetworkPolicy)}, taking {@code fallbackNamespace} when the policy names none (null: required). */
    static CompiledPolicy compile(NetworkPolicy policy, String fallbackNamespace) {
        if (policy.getMetadata() == null || blank(policy.getMetadata().getName())) {
            throw new IllegalArgumentException("metadata.name is missing");
        }
        String name = policy.getMetadata().getName();
        String namespace = blank(policy.getMetadata().getNamespace()) ? fallbackNamespace
                : policy.getMetadata().getNamespace();
        if (blank(namespace)) {
            throw new IllegalArgumentException("policy " + name + ": metadata.namespace is missing (the oracle must know"
                    + " which namespace's pods it selects; use the logical namespace, e.g. 'backend')");
        }
        String id = namespace + "/" + name;
        NetworkPolicySpec spec = policy.getSpec() == null ? new NetworkPolicySpec() : policy.getSpec();
        Selectors.Selector podSelector = Selectors.compile(spec.getPodSelector(), "policy " + id + ": spec.podSelector");
        List<Rule> ingressRules = new ArrayList<>();
        List<?> ingress = nullToEmpty(spec.getIngress());
        for (int i = 0; i < ingress.size(); i++) {
            var rule = spec.getIngress().get(i);
            ingressRules.add(rule(id, namespace, "ingress", i, nullToEmpty(rule.getFrom()), nullToEmpty(rule.getPorts()),
                    "spec.ingress[" + i + "]", "from"));
        }
        List<Rule> egressRules = new ArrayList<>();
        List<?> egress = nullToEmpty(spec.getEgress());
        for (int i = 0; i < egress.size(); i++) {
            var rule = spec.getEgress().get(i);
            egressRules.add(rule(id, namespace, "egress", i, nullToEmpty(rule.getTo()), nullToEmpty(rule.getPorts()),
                    "spec.egress[" + i + "]", "to"));
        }
        boolean isIngress;
        boolean isEgress;
        List<String> types = nullToEmpty(spec.getPolicyTypes());
        if (types.isEmpty()) {
            // the API server's defaulting: Ingress always, Egress only when there are egress rules
            isIngress = true;
            isEgress = !egressRules.isEmpty();
        } else {
            for (int i = 0; i < types.size(); i++) {
                if (!"Ingress".equals(types.get(i)) && !"Egress".equals(types.get(i))) {
                    throw new IllegalArgumentException("policy " + id + ": spec.policyTypes[" + i + "] is '" + types.get(i)
                            + "', expected Ingress or Egress");
                }
            }
            isIngress = types.contains("Ingress");
            isEgress = types.contains("Egress");
        }
        return new CompiledPolicy(id, namespace, podSelector, isIngress, isEgress, List.copyOf(ingressRules),
                List.copyOf(egressRules));
    }

    private static Rule rule(String id, String namespace, String direction, int index, List<NetworkPolicyPeer> peers,
                             List<NetworkPolicyPort> ports, String where, String peerField) {
        List<Peer> compiledPeers = new ArrayList<>();
        for (int p = 0; p < peers.size(); p++) {
            compiledPeers.add(peer(p, peers.get(p), namespace, "policy " + id + ": " + where + "." + peerField + "[" + p + "]"));
        }
        List<PortMatch> compiledPorts = new ArrayList<>();
        for (int p = 0; p < ports.size(); p++) {
            compiledPorts.add(port(ports.get(p), "policy " + id + ": " + where + ".ports[" + p + "]"));
        }
        return new Rule(id, direction, index, List.copyOf(compiledPeers), List.copyOf(compiledPorts));
    }

    private static Peer peer(int index, NetworkPolicyPeer peer, String namespace, String where) {
        IPBlock block = peer.getIpBlock();
        if (block != null) {
            if (peer.getNamespaceSelector() != null || peer.getPodSelector() != null) {
                throw new IllegalArgumentException(where + ": ipBlock cannot be combined with podSelector or namespaceSelector");
            }
            if (blank(block.getCidr())) {
                throw new IllegalArgumentException(where + ".ipBlock.cidr is missing");
            }
            Cidr cidr = parseCidr(block.getCidr(), where + ".ipBlock.cidr");
            List<Cidr> except = new ArrayList<>();
            List<String> exceptTexts = nullToEmpty(block.getExcept());
            for (int e = 0; e < exceptTexts.size(); e++) {
                except.add(parseCidr(exceptTexts.get(e), where + ".ipBlock.except[" + e + "]"));
            }
            String text = "ipBlock " + cidr + (except.isEmpty() ? "" : " except " + except);
            return new Peer(index, null, null, namespace, cidr, List.copyOf(except), text);
        }
        if (peer.getNamespaceSelector() == null && peer.getPodSelector() == null) {
            throw new IllegalArgumentException(where + ": a peer must set podSelector, namespaceSelector or ipBlock");
        }
        Selectors.Selector ns = peer.getNamespaceSelector() == null ? null
                : Selectors.compile(peer.getNamespaceSelector(), where + ".namespaceSelector");
        Selectors.Selector pods = peer.getPodSelector() == null ? null
                : Selectors.compile(peer.getPodSelector(), where + ".podSelector");
        String nsText = ns == null ? null : "namespaceSelector " + ns + (ns.selectsAll() ? " (all namespaces)" : "");
        String podText = pods == null ? null : "podSelector " + pods + (pods.selectsAll() ? " (all pods)" : "");
        String text = ns == null ? podText + " in " + namespace : pods == null ? nsText : nsText + " AND " + podText;
        return new Peer(index, ns, pods, namespace, null, List.of(), text);
    }

    private static PortMatch port(NetworkPolicyPort port, String where) {
        Protocol protocol;
        try {
            protocol = Protocol.parse(port.getProtocol());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ".protocol: " + e.getMessage());
        }
        IntOrString value = port.getPort();
        Integer endPort = port.getEndPort();
        Object raw = value == null ? null : value.getValue();
        if (raw == null) {
            if (endPort != null) {
                throw new IllegalArgumentException(where + ": endPort " + endPort + " needs a numeric port");
            }
            return new PortMatch(protocol, null, null, null);
        }
        if (raw instanceof Number number) {
            int n = number.intValue();
            checkRange(where + ".port", n);
            if (endPort != null) {
                checkRange(where + ".endPort", endPort);
                if (endPort < n) {
                    throw new IllegalArgumentException(where + ": endPort " + endPort + " is below port " + n);
                }
            }
            return new PortMatch(protocol, n, endPort, null);
        }
        String name = raw.toString();
        if (name.isBlank()) {
            throw new IllegalArgumentException(where + ".port is an empty name");
        }
        if (endPort != null) {
            throw new IllegalArgumentException(where + ": endPort " + endPort + " cannot follow the named port '" + name + "'");
        }
        return new PortMatch(protocol, null, null, name);
    }

    private static void checkRange(String where, int n) {
        if (n < 1 || n > 65535) {
            throw new IllegalArgumentException(where + " " + n + " is outside 1..65535");
        }
    }

    private static Cidr parseCidr(String text, String where) {
        try {
            return Cidr.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
    }

    private static <T> List<T> nullToEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
