package io.netconform.policy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One cluster-scoped policy of SIG Network's policy API (group {@value #GROUP}), validated as the upstream CRD
 * validates it and compiled once: a v1alpha2 {@code ClusterNetworkPolicy} (tier Admin or Baseline) or a v1alpha1
 * {@code AdminNetworkPolicy} (Admin tier) / {@code BaselineAdminNetworkPolicy} (Baseline tier, the singleton
 * {@code default}). Sources: kubernetes-sigs/network-policy-api {@code apis/v1alpha2/clusternetworkpolicy_types.go},
 * {@code apis/v1alpha1/*_types.go} and {@code config/crd/}.
 *
 * <p>What the oracle needs to know, decided from those sources (each pinned by ClusterPolicyOracleTest):
 * a {@code pods} peer or subject without {@code namespaceSelector} selects pods in every namespace (NamespacedPod:
 * "if empty, it selects all Namespaces"; the CRD requires only podSelector) — unlike a v1 podSelector peer, there
 * is no "own namespace"; a {@code networks} peer covers pod IPs too ("cluster-internal traffic will be checked
 * against the rule as well"); {@code nodes} and {@code domainNames} peers (experimental) match no pod; a
 * destinationNamedPort / namedPort carries the protocol of the container port it names.
 */
public final class ClusterPolicy {

    public static final String GROUP = "policy.networking.k8s.io";
    public static final String V1ALPHA2 = GROUP + "/v1alpha2";
    public static final String V1ALPHA1 = GROUP + "/v1alpha1";
    public static final String CLUSTER_NETWORK_POLICY = "ClusterNetworkPolicy";
    public static final String ADMIN_NETWORK_POLICY = "AdminNetworkPolicy";
    public static final String BASELINE_ADMIN_NETWORK_POLICY = "BaselineAdminNetworkPolicy";

    /** The three kinds and the apiVersion each is read in. */
    static final Map<String, String> KINDS = Map.of(CLUSTER_NETWORK_POLICY, V1ALPHA2,
            ADMIN_NETWORK_POLICY, V1ALPHA1, BASELINE_ADMIN_NETWORK_POLICY, V1ALPHA1);

    public enum Tier {
        /** Before NetworkPolicy: cannot be overridden by namespace owners. */
        ADMIN("Admin"),
        /** After NetworkPolicy: only for pods no NetworkPolicy isolates in that direction. */
        BASELINE("Baseline");

        private final String word;

        Tier(String word) {
            this.word = word;
        }

        @Override
        public String toString() {
            return word;
        }
    }

    /** What a matching rule does. v1alpha1's {@code Allow} is {@link #ACCEPT}; explanations keep the word written. */
    public enum Action { ACCEPT, DENY, PASS }

    /** A rule; {@code ports} empty = every port and protocol. */
    record Rule(String direction, int index, String name, Action action, String actionWord, List<Peer> peers,
                List<CompiledPolicy.PortMatch> ports) {

        boolean portsMatch(Topology.Pod destination, Port traffic) {
            return ports.isEmpty() || ports.stream().anyMatch(p -> p.matches(destination, traffic));
        }

        boolean hasNamedPort() {
            return ports.stream().anyMatch(p -> p.name() != null);
        }

        String label() {
            return name.isEmpty() ? "rule " + direction + "[" + index + "]" : "rule \"" + name + "\"";
        }
    }

    /**
     * One peer (or the subject): pods by namespace (and pod) selector, or CIDRs. {@code pods} null: every pod of the
     * selected namespaces. {@code type} is the field it came from (namespaces, pods, networks, nodes, domainNames).
     */
    record Peer(String type, Selectors.Selector namespaces, Selectors.Selector pods, List<Cidr> networks, String text) {

        boolean matchesPod(Topology.Pod pod, Map<String, String> namespaceLabels) {
            return switch (type) {
                case "networks" -> pod.ips().stream().anyMatch(ip -> matchesAddress(Cidr.parseAddress(ip)));
                case "namespaces", "pods" -> namespaces.matches(namespaceLabels)
                        && (pods == null || pods.matches(pod.labels()));
                default -> false; // nodes, domainNames: never a pod
            };
        }

        boolean matchesAddress(byte[] address) {
            return "networks".equals(type) && networks.stream().anyMatch(c -> c.contains(address));
        }
    }

    /** A validation problem: the field path ({@code spec.ingress[0].action}) and what is wrong with it. */
    static final class Invalid extends IllegalArgumentException {
        final String field;

        Invalid(String field, String message) {
            super(field + ": " + message);
            this.field = field;
        }
    }

    final String kind;
    final String apiVersion;
    final String name;
    final Tier tier;
    final int priority;
    final Peer subject;
    final List<Rule> ingress;
    final List<Rule> egress;
    private final GenericKubernetesResource source;

    private ClusterPolicy(String kind, String apiVersion, String name, Tier tier, int priority, Peer subject,
                          List<Rule> ingress, List<Rule> egress, GenericKubernetesResource source) {
        this.kind = kind;
        this.apiVersion = apiVersion;
        this.name = name;
        this.tier = tier;
        this.priority = priority;
        this.subject = subject;
        this.ingress = ingress;
        this.egress = egress;
        this.source = source;
    }

    public String kind() {
        return kind;
    }

    public String apiVersion() {
        return apiVersion;
    }

    public String name() {
        return name;
    }

    public Tier tier() {
        return tier;
    }

    public int priority() {
        return priority;
    }

    /** The object as read (a copy), for applying it to a cluster. */
    public GenericKubernetesResource resource() {
        return YamlDocuments.SERIALIZATION.clone(source);
    }

    /** "Admin ClusterNetworkPolicy deny-db" — how explanations name it. */
    String title() {
        return tier + " " + kind + " " + name;
    }

    @Override
    public String toString() {
        return title() + (kind.equals(BASELINE_ADMIN_NETWORK_POLICY) ? "" : " (priority " + priority + ")");
    }

    static boolean isClusterKind(String kind) {
        return KINDS.containsKey(kind);
    }

    /**
     * A policy built in code (the sweep's generated ones), validated and compiled as {@link PolicyFiles#loadAll}
     * does for a file.
     *
     * @throws PolicyInputException naming the policy and the invalid field
     */
    public static ClusterPolicy of(GenericKubernetesResource resource) {
        try {
            return compile(resource);
        } catch (Invalid e) {
            throw new PolicyInputException(resource.getKind() + " " + (resource.getMetadata() == null ? ""
                    : resource.getMetadata().getName()) + ": " + e.getMessage(), e);
        }
    }

    /** Validates like the upstream CRD (what it rejects, we reject) and compiles. */
    static ClusterPolicy compile(GenericKubernetesResource resource) {
        String kind = resource.getKind();
        String expectedVersion = KINDS.get(kind);
        if (expectedVersion == null) {
            throw new Invalid("kind", "'" + kind + "' is not one of " + KINDS.keySet());
        }
        if (!expectedVersion.equals(resource.getApiVersion())) {
            throw new Invalid("apiVersion", "'" + resource.getApiVersion() + "': " + kind + " is read as " + expectedVersion
                    + (kind.equals(CLUSTER_NETWORK_POLICY) ? " (v0.2.0; v1alpha1 has AdminNetworkPolicy and"
                    + " BaselineAdminNetworkPolicy instead)" : " (ClusterNetworkPolicy replaces it in v1alpha2)"));
        }
        String name = resource.getMetadata() == null ? null : resource.getMetadata().getName();
        if (name == null || name.isBlank()) {
            throw new Invalid("metadata.name", "is missing");
        }
        if (kind.equals(BASELINE_ADMIN_NETWORK_POLICY) && !"default".equals(name)) {
            // the CRD's rule: self.metadata.name == 'default' (one BANP per cluster)
            throw new Invalid("metadata.name", "'" + name + "': a BaselineAdminNetworkPolicy must be named 'default'"
                    + " (the API allows only one per cluster)");
        }
        Map<String, Object> spec = map(resource.getAdditionalProperties().get("spec"), "spec");
        boolean v1alpha2 = kind.equals(CLUSTER_NETWORK_POLICY);
        boolean baseline = kind.equals(BASELINE_ADMIN_NETWORK_POLICY);
        Set<String> specKeys = v1alpha2 ? Set.of("tier", "priority", "subject", "ingress", "egress")
                : baseline ? Set.of("subject", "ingress", "egress") : Set.of("priority", "subject", "ingress", "egress");
        onlyKeys(spec, specKeys, "spec");
        Tier tier;
        if (v1alpha2) {
            Object t = required(spec, "tier", "spec");
            tier = "Admin".equals(t) ? Tier.ADMIN : "Baseline".equals(t) ? Tier.BASELINE : null;
            if (tier == null) {
                throw new Invalid("spec.tier", quote(t) + " is not a tier (expected Admin or Baseline)");
            }
        } else {
            tier = baseline ? Tier.BASELINE : Tier.ADMIN;
        }
        int priority = 0;
        if (!baseline) {
            priority = integer(required(spec, "priority", "spec"), "spec.priority");
            if (priority < 0 || priority > 1000) {
                throw new Invalid("spec.priority", priority + " is outside 0..1000");
            }
        }
        Peer subject = subject(map(required(spec, "subject", "spec"), "spec.subject"), "spec.subject");
        int maxRules = v1alpha2 ? 25 : 100;
        List<Rule> ingress = rules(kind, spec, "ingress", maxRules);
        List<Rule> egress = rules(kind, spec, "egress", maxRules);
        return new ClusterPolicy(kind, resource.getApiVersion(), name, tier, priority, subject, ingress, egress,
                resource);
    }

    private static Peer subject(Map<String, Object> subject, String where) {
        onlyKeys(subject, Set.of("namespaces", "pods"), where);
        if (subject.size() != 1) {
            throw new Invalid(where, "must set exactly one of namespaces, pods; found " + (subject.isEmpty() ? "none"
                    : String.join(" and ", subject.keySet())));
        }
        return selectorPeer(subject, where);
    }

    private static List<Rule> rules(String kind, Map<String, Object> spec, String direction, int max) {
        List<?> raw = list(spec.get(direction), "spec." + direction);
        if (raw.size() > max) {
            throw new Invalid("spec." + direction, raw.size() + " rules; " + kind + " allows at most " + max);
        }
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            rules.add(rule(kind, direction, i, map(raw.get(i), "spec." + direction + "[" + i + "]")));
        }
        return List.copyOf(rules);
    }

    private static Rule rule(String kind, String direction, int index, Map<String, Object> rule) {
        String where = "spec." + direction + "[" + index + "]";
        boolean v1alpha2 = kind.equals(CLUSTER_NETWORK_POLICY);
        String peersKey = direction.equals("ingress") ? "from" : "to";
        onlyKeys(rule, Set.of("name", "action", peersKey, v1alpha2 ? "protocols" : "ports"), where);
        String name = rule.get("name") == null ? "" : rule.get("name").toString();
        if (name.length() > 100) {
            throw new Invalid(where + ".name", "is " + name.length() + " characters long; at most 100");
        }
        Object word = required(rule, "action", where);
        Map<String, Action> actions = v1alpha2 ? Map.of("Accept", Action.ACCEPT, "Deny", Action.DENY, "Pass", Action.PASS)
                : kind.equals(ADMIN_NETWORK_POLICY) ? Map.of("Allow", Action.ACCEPT, "Deny", Action.DENY, "Pass", Action.PASS)
                : Map.of("Allow", Action.ACCEPT, "Deny", Action.DENY);
        Action action = actions.get(String.valueOf(word));
        if (action == null) {
            String allowed = v1alpha2 ? "Accept, Deny or Pass" : kind.equals(ADMIN_NETWORK_POLICY) ? "Allow, Deny or Pass"
                    : "Allow or Deny (Pass exists only in AdminNetworkPolicy)";
            throw new Invalid(where + ".action", quote(word) + " is not an action of " + kind + " (expected " + allowed + ")");
        }
        List<?> rawPeers = list(required(rule, peersKey, where), where + "." + peersKey);
        if (rawPeers.isEmpty()) {
            throw new Invalid(where + "." + peersKey, "must list at least one peer");
        }
        List<Peer> peers = new ArrayList<>();
        for (int p = 0; p < rawPeers.size(); p++) {
            peers.add(peer(kind, direction, action, map(rawPeers.get(p), where + "." + peersKey + "[" + p + "]"),
                    where + "." + peersKey + "[" + p + "]"));
        }
        List<CompiledPolicy.PortMatch> ports = v1alpha2 ? protocols(rule.get("protocols"), where + ".protocols")
                : anpPorts(rule.get("ports"), where + ".ports");
        Rule compiled = new Rule(direction, index, name, action, String.valueOf(word), List.copyOf(peers), ports);
        if (compiled.hasNamedPort() && peers.stream().anyMatch(p -> !p.type().equals("namespaces") && !p.type().equals("pods"))) {
            throw new Invalid(where, "a named port cannot be combined with networks/nodes/domainNames peers (they have no"
                    + " named ports; the CRD rejects it)");
        }
        return compiled;
    }

    private static Peer peer(String kind, String direction, Action action, Map<String, Object> peer, String where) {
        Set<String> known = direction.equals("ingress") ? Set.of("namespaces", "pods")
                : kind.equals(CLUSTER_NETWORK_POLICY) || kind.equals(ADMIN_NETWORK_POLICY)
                ? Set.of("namespaces", "pods", "networks", "nodes", "domainNames")
                : Set.of("namespaces", "pods", "networks", "nodes");
        onlyKeys(peer, known, where);
        if (peer.size() != 1) {
            throw new Invalid(where, "must set exactly one of " + known.stream().sorted().toList() + "; found "
                    + (peer.isEmpty() ? "none" : String.join(" and ", peer.keySet())));
        }
        String type = peer.keySet().iterator().next();
        switch (type) {
            case "networks" -> {
                List<?> raw = list(peer.get("networks"), where + ".networks");
                if (raw.isEmpty() || raw.size() > 25) {
                    throw new Invalid(where + ".networks", "must list 1..25 CIDRs, got " + raw.size());
                }
                List<Cidr> cidrs = new ArrayList<>();
                for (int i = 0; i < raw.size(); i++) {
                    try {
                        cidrs.add(Cidr.parse(String.valueOf(raw.get(i))));
                    } catch (IllegalArgumentException e) {
                        throw new Invalid(where + ".networks[" + i + "]", e.getMessage());
                    }
                }
                return new Peer(type, null, null, List.copyOf(cidrs), "networks " + cidrs);
            }
            case "nodes" -> {
                Selectors.Selector nodes = selector(peer.get("nodes"), where + ".nodes");
                return new Peer(type, null, null, List.of(), "nodes " + nodes + " (no pod is a node)");
            }
            case "domainNames" -> {
                if (action != Action.ACCEPT) {
                    throw new Invalid(where + ".domainNames", "domainNames peers are only allowed in Accept/Allow rules");
                }
                return new Peer(type, null, null, List.of(), "domainNames " + list(peer.get("domainNames"),
                        where + ".domainNames") + " (no pod is a domain name)");
            }
            default -> {
                return selectorPeer(peer, where);
            }
        }
    }

    /** A {@code namespaces} or {@code pods} entry (peer or subject). */
    private static Peer selectorPeer(Map<String, Object> holder, String where) {
        if (holder.containsKey("namespaces")) {
            Selectors.Selector ns = selector(holder.get("namespaces"), where + ".namespaces");
            return new Peer("namespaces", ns, null, List.of(), "namespaces " + ns
                    + (ns.selectsAll() ? " (all namespaces)" : ""));
        }
        String at = where + ".pods";
        Map<String, Object> pods = map(holder.get("pods"), at);
        onlyKeys(pods, Set.of("namespaceSelector", "podSelector"), at);
        // the CRD requires podSelector; namespaceSelector is optional and, absent or empty, selects every namespace
        Selectors.Selector ns = selector(pods.get("namespaceSelector"), at + ".namespaceSelector");
        Selectors.Selector pod = selector(required(pods, "podSelector", at), at + ".podSelector");
        return new Peer("pods", ns, pod, List.of(), "pods " + pod + (pod.selectsAll() ? " (all pods)" : "")
                + " in namespaces " + ns + (ns.selectsAll() ? " (all namespaces)" : ""));
    }

    private static Selectors.Selector selector(Object raw, String where) {
        Map<String, Object> map = map(raw, where);
        onlyKeys(map, Set.of("matchLabels", "matchExpressions"), where);
        LabelSelector selector;
        try {
            selector = YamlDocuments.SERIALIZATION.convertValue(map, LabelSelector.class);
        } catch (RuntimeException e) {
            throw new Invalid(where, "is not a label selector: " + e.getMessage().lines().findFirst().orElse(""));
        }
        try {
            return Selectors.compile(selector, where);
        } catch (IllegalArgumentException e) {
            throw new Invalid(where, e.getMessage().replace(where + ".", "").replace(where + ": ", ""));
        }
    }

    /** v1alpha2 {@code protocols}: exactly one of tcp/udp/sctp ({@code destinationPort} number or range) or destinationNamedPort. */
    private static List<CompiledPolicy.PortMatch> protocols(Object raw, String where) {
        if (raw == null) {
            return List.of();
        }
        List<?> entries = list(raw, where);
        if (entries.isEmpty() || entries.size() > 25) {
            throw new Invalid(where, "must list 1..25 entries when present, got " + entries.size());
        }
        List<CompiledPolicy.PortMatch> ports = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String at = where + "[" + i + "]";
            Map<String, Object> entry = map(entries.get(i), at);
            onlyKeys(entry, Set.of("tcp", "udp", "sctp", "destinationNamedPort"), at);
            if (entry.size() != 1) {
                throw new Invalid(at, "must set exactly one of tcp, udp, sctp, destinationNamedPort; found "
                        + (entry.isEmpty() ? "none" : String.join(" and ", entry.keySet())));
            }
            String key = entry.keySet().iterator().next();
            if (key.equals("destinationNamedPort")) {
                ports.add(new CompiledPolicy.PortMatch(null, null, null, name(entry.get(key), at + "." + key)));
                continue;
            }
            Protocol protocol = Protocol.parse(key);
            Map<String, Object> attributes = map(entry.get(key), at + "." + key);
            onlyKeys(attributes, Set.of("destinationPort"), at + "." + key);
            if (!attributes.containsKey("destinationPort")) {
                // MinProperties=1 on the protocol struct: {tcp: {}} is rejected upstream
                throw new Invalid(at + "." + key, "needs destinationPort (the CRD rejects an empty " + key + ": {})");
            }
            String portAt = at + "." + key + ".destinationPort";
            Map<String, Object> port = map(attributes.get("destinationPort"), portAt);
            onlyKeys(port, Set.of("number", "range"), portAt);
            if (port.size() != 1) {
                throw new Invalid(portAt, "must set exactly one of number, range");
            }
            if (port.containsKey("number")) {
                int n = portNumber(port.get("number"), portAt + ".number");
                ports.add(new CompiledPolicy.PortMatch(protocol, n, null, null));
            } else {
                ports.add(range(protocol, map(port.get("range"), portAt + ".range"), portAt + ".range"));
            }
        }
        return List.copyOf(ports);
    }

    /** v1alpha1 {@code ports}: exactly one of portNumber {protocol, port}, namedPort, portRange {protocol, start, end}. */
    private static List<CompiledPolicy.PortMatch> anpPorts(Object raw, String where) {
        if (raw == null) {
            return List.of();
        }
        List<?> entries = list(raw, where);
        if (entries.isEmpty() || entries.size() > 100) {
            throw new Invalid(where, "must list 1..100 entries when present, got " + entries.size());
        }
        List<CompiledPolicy.PortMatch> ports = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String at = where + "[" + i + "]";
            Map<String, Object> entry = map(entries.get(i), at);
            onlyKeys(entry, Set.of("portNumber", "namedPort", "portRange"), at);
            if (entry.size() != 1) {
                throw new Invalid(at, "must set exactly one of portNumber, namedPort, portRange; found "
                        + (entry.isEmpty() ? "none" : String.join(" and ", entry.keySet())));
            }
            if (entry.containsKey("namedPort")) {
                ports.add(new CompiledPolicy.PortMatch(null, null, null, name(entry.get("namedPort"), at + ".namedPort")));
            } else if (entry.containsKey("portNumber")) {
                Map<String, Object> number = map(entry.get("portNumber"), at + ".portNumber");
                onlyKeys(number, Set.of("protocol", "port"), at + ".portNumber");
                ports.add(new CompiledPolicy.PortMatch(protocol(number.get("protocol"), at + ".portNumber.protocol"),
                        portNumber(required(number, "port", at + ".portNumber"), at + ".portNumber.port"), null, null));
            } else {
                Map<String, Object> range = map(entry.get("portRange"), at + ".portRange");
                onlyKeys(range, Set.of("protocol", "start", "end"), at + ".portRange");
                ports.add(range(protocol(range.get("protocol"), at + ".portRange.protocol"), range, at + ".portRange"));
            }
        }
        return List.copyOf(ports);
    }

    private static CompiledPolicy.PortMatch range(Protocol protocol, Map<String, Object> range, String where) {
        int start = portNumber(required(range, "start", where), where + ".start");
        int end = portNumber(required(range, "end", where), where + ".end");
        if (start >= end) {
            // the CRD's rule is self.start < self.end: a one-port range is written as a number
            throw new Invalid(where, "start " + start + " must be less than end " + end);
        }
        return new CompiledPolicy.PortMatch(protocol, start, end, null);
    }

    private static Protocol protocol(Object raw, String where) {
        try {
            return Protocol.parse(raw == null ? null : raw.toString());
        } catch (IllegalArgumentException e) {
            throw new Invalid(where, e.getMessage());
        }
    }

    private static String name(Object raw, String where) {
        if (!(raw instanceof String s) || s.isBlank()) {
            throw new Invalid(where, "expected a port name, got " + quote(raw));
        }
        return s;
    }

    private static int portNumber(Object raw, String where) {
        int n = integer(raw, where);
        if (n < 1 || n > 65535) {
            throw new Invalid(where, n + " is outside 1..65535");
        }
        return n;
    }

    private static int integer(Object raw, String where) {
        if (!(raw instanceof Number n) || n.doubleValue() != n.longValue() || Math.abs(n.longValue()) > Integer.MAX_VALUE) {
            throw new Invalid(where, "expected an integer, got " + quote(raw));
        }
        return n.intValue();
    }

    private static Object required(Map<String, Object> map, String key, String where) {
        Object value = map.get(key);
        if (value == null) {
            throw new Invalid(where.isEmpty() ? key : where + "." + key, "is required");
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object raw, String where) {
        if (raw == null) {
            return Map.of();
        }
        if (!(raw instanceof Map)) {
            throw new Invalid(where, "expected a mapping, got " + quote(raw));
        }
        Map<String, Object> result = new LinkedHashMap<>();
        ((Map<Object, Object>) raw).forEach((k, v) -> {
            if (v != null) {
                result.put(String.valueOf(k), v);
            }
        });
        return result;
    }

    private static List<?> list(Object raw, String where) {
        if (raw == null) {
            return List.of();
        }
        if (!(raw instanceof List<?> l)) {
            throw new Invalid(where, "expected a list, got " + quote(raw));
        }
        return l;
    }

    private static void onlyKeys(Map<String, Object> map, Set<String> known, String where) {
        for (String key : map.keySet()) {
            if (!known.contains(key)) {
                throw new Invalid(where + "." + key, "unknown field (expected one of " + known.stream().sorted().toList()
                        + ")");
            }
        }
    }

    private static String quote(Object value) {
        return value == null ? "nothing" : value instanceof String s ? "'" + s + "'" : String.valueOf(value);
    }
}
