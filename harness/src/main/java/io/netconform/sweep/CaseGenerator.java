package io.netconform.sweep;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.netconform.policy.ClusterPolicy;
import io.netconform.policy.Policies;
import io.netconform.policy.Protocol;
import io.netconform.policy.Topology;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Generates sweep cases over the dimensions of the networking.k8s.io/v1 API, deterministically from a seed: case i
 * of seed s is the same on every machine (given the same model IPs, which ipBlock CIDRs are cut from, and the same
 * tag filters). Every case is tagged with the dimension values it uses; peers and ports are tagged with their
 * direction ({@code egress-port-named}), because CNIs get directions wrong separately.
 */
public final class CaseGenerator {

    /**
     * Dimension → its values. Peer, port and effect values appear in tags prefixed with {@code ingress-} or
     * {@code egress-}; effect tags are read from the drawn policies ({@link #effects}), not drawn themselves.
     */
    public static final Map<String, List<String>> DIMENSIONS = dimensions();

    private static Map<String, List<String>> dimensions() {
        Map<String, List<String>> d = new LinkedHashMap<>();
        d.put("target", List.of("target-all", "target-label", "target-expr", "target-none"));
        d.put("policy types", List.of("types-ingress", "types-egress", "types-both", "types-omitted"));
        d.put("peers", List.of("peer-all", "peer-empty", "peer-pod", "peer-ns", "peer-ns-and-pod", "peer-ns-or-pod",
                "peer-ipblock", "peer-ipblock-except", "no-rules"));
        d.put("ports", List.of("port-none", "port-numeric", "port-named", "port-range", "port-protocol-only"));
        d.put("protocol", List.of("proto-tcp", "proto-udp", "proto-sctp", "proto-omitted"));
        d.put("policies", List.of("single-policy", "multi-policy", "deny-plus-allow"));
        d.put("action", List.of("no-action", "action-pod-label", "action-ns-label", "action-policy-update",
                "action-policy-delete"));
        d.put("effect", List.of("isolated", "rule-no-peers"));
        return java.util.Collections.unmodifiableMap(d);
    }

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private static final int MAX_ATTEMPTS = 2000;

    private final long seed;
    private final Topology model;
    private final Capabilities caps;
    private final List<String> ipv4;
    private final Set<PolicyKind> kinds;
    private final ClusterPolicyCases clusterPolicyCases;

    /** @param model the sweep model, with the pods' IPs (ipBlock peers are cut from them) */
    public CaseGenerator(long seed, Topology model, Capabilities caps) {
        this(seed, model, caps, Set.of(PolicyKind.NETWORK_POLICY));
    }

    /** @param kinds what the cases hold; NetworkPolicy alone gives the same cases as before ClusterNetworkPolicy existed */
    public CaseGenerator(long seed, Topology model, Capabilities caps, Set<PolicyKind> kinds) {
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("--kinds: name at least one kind");
        }
        this.seed = seed;
        this.model = model;
        this.caps = caps;
        this.ipv4 = model.pods().stream().flatMap(p -> p.ips().stream()).filter(ip -> ip.indexOf(':') < 0).toList();
        this.kinds = Set.copyOf(kinds);
        this.clusterPolicyCases = new ClusterPolicyCases(caps, ipv4);
    }

    /** Every tag a case can carry (with direction prefixes), for validating --include / --exclude. */
    public static Set<String> allTags() {
        Set<String> tags = new TreeSet<>();
        DIMENSIONS.forEach((dimension, values) -> {
            for (String v : values) {
                if (dimension.equals("peers") || dimension.equals("ports") || dimension.equals("effect")) {
                    tags.add("ingress-" + v);
                    tags.add("egress-" + v);
                } else {
                    tags.add(v);
                }
            }
        });
        ClusterPolicyCases.DIMENSIONS.values().forEach(tags::addAll);
        return tags;
    }

    /** The tags cases of these kinds can carry: cases with cluster policies alone take only relabel actions. */
    public static Set<String> tags(Set<PolicyKind> kinds) {
        Set<String> tags = new TreeSet<>();
        Set<String> clusterPolicyTags = new TreeSet<>();
        ClusterPolicyCases.DIMENSIONS.values().forEach(clusterPolicyTags::addAll);
        if (kinds.contains(PolicyKind.NETWORK_POLICY)) {
            allTags().stream().filter(t -> !clusterPolicyTags.contains(t)).forEach(tags::add);
        }
        if (kinds.contains(PolicyKind.CLUSTER_NETWORK_POLICY)) {
            tags.addAll(clusterPolicyTags);
            tags.addAll(List.of("no-action", SweepCase.ActionKind.POD_LABEL.tag(), SweepCase.ActionKind.NAMESPACE_LABEL.tag()));
        }
        return tags;
    }

    /**
     * Whether a filter term names this tag: exactly, as its value without direction ({@code port-named} matches
     * {@code egress-port-named}) or as a prefix ({@code egress}: every egress peer and port; {@code types}, {@code action}).
     */
    public static boolean matches(String term, String tag) {
        return tag.equals(term) || tag.equals("ingress-" + term) || tag.equals("egress-" + term) || tag.startsWith(term + "-");
    }

    /** Rejects a filter term that names no tag (a typo would otherwise select nothing or everything). */
    public static void checkTerms(String option, List<String> terms) {
        for (String term : terms) {
            if (allTags().stream().noneMatch(tag -> matches(term, tag))) {
                throw new IllegalArgumentException(option + ": '" + term + "' names no sweep tag; tags: " + allTags());
            }
        }
    }

    /**
     * Cases 1..count: case i is the first candidate of its own random stream whose tags include one of
     * {@code include} (when given) and none of {@code exclude}.
     *
     * @throws IllegalArgumentException when no candidate fits the filters
     */
    public List<SweepCase> generate(int count, List<String> include, List<String> exclude) {
        List<SweepCase> cases = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            cases.add(generateCase(i, include, exclude));
        }
        return cases;
    }

    SweepCase generateCase(int number, List<String> include, List<String> exclude) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            SweepCase c = candidate(number, new SplittableRandom(seed * GOLDEN + number * 1_000_003L + attempt));
            boolean in = include.isEmpty() || c.tags().stream().anyMatch(t -> include.stream().anyMatch(term -> matches(term, t)));
            boolean out = c.tags().stream().anyMatch(t -> exclude.stream().anyMatch(term -> matches(term, t)));
            if (in && !out) {
                return c;
            }
        }
        throw new IllegalArgumentException("no generated case has a tag of --include " + include + " and none of --exclude "
                + exclude + " (after " + MAX_ATTEMPTS + " candidates; " + String.join("; ", caps.limits("this cluster")) + ")");
    }

    private SweepCase candidate(int number, SplittableRandom rnd) {
        Set<String> tags = new TreeSet<>();
        String ns = pick(rnd, SweepModel.NAMESPACES);
        List<NetworkPolicy> policies = new ArrayList<>();
        boolean clusterPolicies = kinds.contains(PolicyKind.CLUSTER_NETWORK_POLICY);
        // with ClusterNetworkPolicy every case has some; two in three also NetworkPolicies, for the tier order
        boolean networkPolicies = kinds.contains(PolicyKind.NETWORK_POLICY) && (!clusterPolicies || rnd.nextInt(3) > 0);
        if (networkPolicies) {
            networkPolicies(rnd, ns, policies, tags);
        }
        List<ClusterPolicy> cluster = clusterPolicies ? clusterPolicyCases.generate(rnd, tags, networkPolicies) : List.of();
        SweepCase.Action action = action(rnd, ns, policies, cluster, tags);
        tags.addAll(effects(policies, action));
        return new SweepCase(number, seed, new TreeSet<>(tags), policies, cluster, action);
    }

    /**
     * Tags read from what the case's NetworkPolicies (and an updated one) do, not from how they were drawn: a fault
     * follows the effect, which several drawn shapes share ({@link Policies#effects}: a direction isolated, a rule
     * allowing every peer). On the lab these are the dimensions of no-egress and empty-from-denies, which no drawn tag
     * named. Drawing no randomness, they leave a seed's cases as they were.
     */
    static Set<String> effects(List<NetworkPolicy> policies, SweepCase.Action action) {
        List<NetworkPolicy> all = new ArrayList<>(policies);
        if (action != null && action.policy() != null) {
            all.add(action.policy());
        }
        return Policies.of(all).effects();
    }

    private void networkPolicies(SplittableRandom rnd, String ns, List<NetworkPolicy> policies, Set<String> tags) {
        int shape = rnd.nextInt(4);
        if (shape <= 1) {
            tags.add("single-policy");
            policies.add(policy(rnd, ns, "p1", tags, null));
        } else if (shape == 2) {
            tags.add("multi-policy");
            NetworkPolicy first = policy(rnd, ns, "p1", tags, null);
            policies.add(first);
            // the second selects the same pods (or all of the namespace): their rules must add up, not replace
            LabelSelector same = rnd.nextBoolean() ? first.getSpec().getPodSelector() : new LabelSelector();
            policies.add(policy(rnd, ns, "p2", tags, same));
        } else {
            tags.add("deny-plus-allow");
            policies.add(denyAll(rnd, ns, tags));
            policies.add(policy(rnd, ns, "allow", tags, null));
        }
    }

    private NetworkPolicy denyAll(SplittableRandom rnd, String ns, Set<String> tags) {
        List<String> types = switch (rnd.nextInt(3)) {
            case 0 -> List.of("Ingress");
            case 1 -> List.of("Egress");
            default -> List.of("Ingress", "Egress");
        };
        tags.add("target-all");
        tags.add(types.size() == 2 ? "types-both" : "types-" + types.get(0).toLowerCase());
        return new NetworkPolicyBuilder().withNewMetadata().withName("deny-all").withNamespace(ns).endMetadata()
                .withNewSpec().withNewPodSelector().endPodSelector().withPolicyTypes(types).endSpec().build();
    }

    private NetworkPolicy policy(SplittableRandom rnd, String ns, String name, Set<String> tags, LabelSelector target) {
        LabelSelector podSelector = target != null ? target : target(rnd, tags);
        if (target != null && empty(target)) {
            tags.add("target-all");
        }
        String types = pick(rnd, List.of("ingress", "egress", "both", "omitted"));
        tags.add("types-" + types);
        boolean ingress = !types.equals("egress");
        boolean egress = types.equals("egress") || types.equals("both") || (types.equals("omitted") && rnd.nextBoolean());
        NetworkPolicyBuilder b = new NetworkPolicyBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                .withNewSpec().withPodSelector(podSelector).endSpec();
        if (!types.equals("omitted")) {
            b.editSpec().withPolicyTypes(switch (types) {
                case "ingress" -> List.of("Ingress");
                case "egress" -> List.of("Egress");
                default -> List.of("Ingress", "Egress");
            }).endSpec();
        }
        if (ingress) {
            List<NetworkPolicyIngressRule> rules = new ArrayList<>();
            for (int r = ruleCount(rnd, "ingress", tags, types.equals("omitted")); r > 0; r--) {
                Rule rule = rule(rnd, "ingress", tags);
                rules.add(new NetworkPolicyIngressRule(rule.peers(), rule.ports()));
            }
            b.editSpec().withIngress(rules).endSpec();
        }
        if (egress) {
            List<NetworkPolicyEgressRule> rules = new ArrayList<>();
            for (int r = ruleCount(rnd, "egress", tags, types.equals("omitted")); r > 0; r--) {
                Rule rule = rule(rnd, "egress", tags);
                rules.add(new NetworkPolicyEgressRule(rule.ports(), rule.peers()));
            }
            b.editSpec().withEgress(rules).endSpec();
        }
        return b.build();
    }

    /** 1 or 2 rules; sometimes none (the direction is then closed), except where that would make egress vanish. */
    private static int ruleCount(SplittableRandom rnd, String direction, Set<String> tags, boolean typesOmitted) {
        // with policyTypes omitted, egress exists only through its rules, so it keeps at least one
        if (rnd.nextInt(8) == 0 && !(typesOmitted && direction.equals("egress"))) {
            tags.add(direction + "-no-rules");
            return 0;
        }
        return 1 + rnd.nextInt(2);
    }

    private record Rule(List<NetworkPolicyPeer> peers, List<NetworkPolicyPort> ports) {
    }

    private Rule rule(SplittableRandom rnd, String direction, Set<String> tags) {
        return new Rule(peers(rnd, direction, tags), ports(rnd, direction, tags));
    }

    private List<NetworkPolicyPeer> peers(SplittableRandom rnd, String direction, Set<String> tags) {
        List<String> kinds = new ArrayList<>(List.of("all", "empty", "pod", "ns", "ns-and-pod", "ns-or-pod"));
        if (!ipv4.isEmpty()) {
            kinds.addAll(List.of("ipblock", "ipblock-except"));
        }
        String kind = pick(rnd, kinds);
        tags.add(direction + "-peer-" + kind);
        return switch (kind) {
            case "all" -> null;
            case "empty" -> new ArrayList<>();
            case "pod" -> List.of(peer(podSelector(rnd), null, null));
            case "ns" -> List.of(peer(null, namespaceSelector(rnd), null));
            case "ns-and-pod" -> List.of(peer(podSelector(rnd), namespaceSelector(rnd), null));
            case "ns-or-pod" -> List.of(peer(null, namespaceSelector(rnd), null), peer(podSelector(rnd), null, null));
            case "ipblock" -> List.of(peer(null, null, ipBlock(rnd, false)));
            default -> List.of(peer(null, null, ipBlock(rnd, true)));
        };
    }

    private static boolean empty(LabelSelector s) {
        return (s.getMatchLabels() == null || s.getMatchLabels().isEmpty())
                && (s.getMatchExpressions() == null || s.getMatchExpressions().isEmpty());
    }

    private static NetworkPolicyPeer peer(LabelSelector pods, LabelSelector namespaces, IPBlock block) {
        NetworkPolicyPeer p = new NetworkPolicyPeer();
        p.setPodSelector(pods);
        p.setNamespaceSelector(namespaces);
        p.setIpBlock(block);
        return p;
    }

    private LabelSelector target(SplittableRandom rnd, Set<String> tags) {
        String kind = pick(rnd, List.of("all", "label", "expr", "none"));
        tags.add("target-" + kind);
        return switch (kind) {
            case "all" -> new LabelSelector();
            case "label" -> labels(rnd.nextBoolean() ? "pod" : "tier", rnd.nextBoolean() ? pick(rnd, SweepModel.PODS)
                    : pick(rnd, List.copyOf(new TreeSet<>(SweepModel.TIER.values()))));
            case "expr" -> expression(rnd, "tier", List.copyOf(new TreeSet<>(SweepModel.TIER.values())));
            default -> labels("pod", "nobody");
        };
    }

    static LabelSelector podSelector(SplittableRandom rnd) {
        return switch (rnd.nextInt(4)) {
            case 0 -> labels("pod", pick(rnd, SweepModel.PODS));
            case 1 -> labels("tier", pick(rnd, List.copyOf(new TreeSet<>(SweepModel.TIER.values()))));
            case 2 -> expression(rnd, "pod", SweepModel.PODS);
            default -> new LabelSelector();
        };
    }

    static LabelSelector namespaceSelector(SplittableRandom rnd) {
        return switch (rnd.nextInt(5)) {
            case 0 -> labels("ns", pick(rnd, SweepModel.NAMESPACES));
            case 1 -> labels(Topology.METADATA_NAME_LABEL, pick(rnd, SweepModel.NAMESPACES));
            case 2 -> labels("env", pick(rnd, List.of("prod", "dev")));
            case 3 -> expression(rnd, "env", List.of("prod", "dev", "test"));
            default -> new LabelSelector();
        };
    }

    private static LabelSelector labels(String key, String value) {
        return new LabelSelectorBuilder().addToMatchLabels(key, value).build();
    }

    private static LabelSelector expression(SplittableRandom rnd, String key, List<String> values) {
        String op = pick(rnd, List.of("In", "NotIn", "Exists", "DoesNotExist"));
        LabelSelectorBuilder b = new LabelSelectorBuilder();
        if (op.equals("Exists") || op.equals("DoesNotExist")) {
            return b.addNewMatchExpression().withKey(rnd.nextBoolean() ? key : "missing").withOperator(op).endMatchExpression().build();
        }
        List<String> chosen = new ArrayList<>(new TreeSet<>(List.of(pick(rnd, values), pick(rnd, values))));
        return b.addNewMatchExpression().withKey(key).withOperator(op).withValues(chosen).endMatchExpression().build();
    }

    /**
     * An ipBlock cut from the pods' IPv4 addresses: one pod's /32, or the smallest CIDR covering every pod (all pod
     * CIDRs of the model); with except, that cover minus one pod's /32 or the half of the cover holding some pod.
     */
    private IPBlock ipBlock(SplittableRandom rnd, boolean except) {
        int cover = commonPrefix(ipv4);
        String some = pick(rnd, ipv4);
        IPBlock block = new IPBlock();
        if (!except && rnd.nextBoolean()) {
            block.setCidr(some + "/32");
            return block;
        }
        block.setCidr(network(ipv4.get(0), cover) + "/" + cover);
        if (except) {
            int cut = rnd.nextBoolean() || cover >= 31 ? 32 : cover + 1;
            block.setExcept(List.of(network(some, cut) + "/" + cut));
        }
        return block;
    }

    private List<NetworkPolicyPort> ports(SplittableRandom rnd, String direction, Set<String> tags) {
        List<String> kinds = new ArrayList<>(List.of("none", "numeric", "named", "protocol-only"));
        if (caps.endPort()) {
            kinds.add("range");
        }
        String kind = pick(rnd, kinds);
        tags.add(direction + "-port-" + kind);
        if (kind.equals("none")) {
            return null;
        }
        List<NetworkPolicyPort> ports = new ArrayList<>();
        for (int n = 1 + rnd.nextInt(2); n > 0; n--) {
            Protocol protocol = pick(rnd, SweepModel.protocols(caps.sctp()));
            boolean omitted = protocol == Protocol.TCP && rnd.nextInt(3) == 0;
            tags.add(omitted ? "proto-omitted" : "proto-" + protocol.name().toLowerCase());
            NetworkPolicyPort port = new NetworkPolicyPort();
            port.setProtocol(omitted ? null : protocol.name());
            switch (kind) {
                case "numeric" -> port.setPort(new IntOrString(pick(rnd, SweepModel.NUMBERS)));
                case "named" -> port.setPort(new IntOrString(pick(rnd, SweepModel.NAMES.get(protocol))));
                case "range" -> {
                    port.setPort(new IntOrString(80));
                    port.setEndPort(81);
                }
                default -> {
                    // protocol-only: every port of that protocol; an omitted protocol here would be TCP
                    port.setProtocol(protocol.name());
                    tags.remove("proto-omitted");
                    tags.add("proto-" + protocol.name().toLowerCase());
                }
            }
            ports.add(port);
        }
        return ports;
    }

    /** The actions of a case with NetworkPolicies, in the order the generator has always drawn them. */
    private static final List<SweepCase.ActionKind> NETWORK_POLICY_ACTIONS = List.of(SweepCase.ActionKind.POD_LABEL,
            SweepCase.ActionKind.NAMESPACE_LABEL, SweepCase.ActionKind.POLICY_UPDATE, SweepCase.ActionKind.POLICY_DELETE);

    private SweepCase.Action action(SplittableRandom rnd, String ns, List<NetworkPolicy> policies, List<ClusterPolicy> cluster,
                                    Set<String> tags) {
        if (rnd.nextInt(5) >= 2) {
            tags.add("no-action");
            return null;
        }
        List<SweepCase.ActionKind> kinds = new ArrayList<>(policies.isEmpty() ? List.of(SweepCase.ActionKind.POD_LABEL,
                SweepCase.ActionKind.NAMESPACE_LABEL) : NETWORK_POLICY_ACTIONS);
        if (!cluster.isEmpty()) {
            kinds.add(SweepCase.ActionKind.CLUSTER_POLICY_DELETE);
        }
        SweepCase.ActionKind kind = pick(rnd, kinds);
        // drawn whatever the kind, as it always was: NetworkPolicy-only cases stay what they were for a seed
        NetworkPolicy victim = policies.isEmpty() ? null : pick(rnd, policies);
        return switch (kind) {
            case POD_LABEL, NAMESPACE_LABEL -> impactfulRelabel(rnd, kind, policies, cluster, tags);
            case CLUSTER_POLICY_DELETE -> clusterPolicyDelete(rnd, cluster, tags);
            case POLICY_UPDATE -> {
                tags.add(kind.tag());
                yield new SweepCase.Action(kind, SweepCase.id(victim), Map.of(),
                        policy(rnd, ns, victim.getMetadata().getName(), tags, null));
            }
            case POLICY_DELETE -> {
                tags.add(kind.tag());
                yield new SweepCase.Action(kind, SweepCase.id(victim), Map.of(), null);
            }
        };
    }

    private static SweepCase.Action clusterPolicyDelete(SplittableRandom rnd, List<ClusterPolicy> cluster, Set<String> tags) {
        tags.add(SweepCase.ActionKind.CLUSTER_POLICY_DELETE.tag());
        return new SweepCase.Action(SweepCase.ActionKind.CLUSTER_POLICY_DELETE, pick(rnd, cluster).name(), Map.of(), null);
    }

    /**
     * A relabel the case's policies see, where there is one: drawn among every relabel of the model (each pod to each
     * other tier, each namespace to the other env) that changes the oracle's expectation on some probed port; else
     * among all of them. A relabel no selector notices expects the same grid before and after, so it cannot catch a
     * CNI that ignores label changes (the lab's stale-pod-labels fault went unseen over 40 cases drawn blindly).
     */
    private SweepCase.Action impactfulRelabel(SplittableRandom rnd, SweepCase.ActionKind kind, List<NetworkPolicy> policies,
                                              List<ClusterPolicy> cluster, Set<String> tags) {
        tags.add(kind.tag());
        List<SweepCase.Action> all = new ArrayList<>();
        if (kind == SweepCase.ActionKind.POD_LABEL) {
            for (String ns : SweepModel.NAMESPACES) {
                for (String pod : SweepModel.PODS) {
                    new TreeSet<>(SweepModel.TIER.values()).stream().filter(t -> !t.equals(SweepModel.TIER.get(pod)))
                            .forEach(t -> all.add(new SweepCase.Action(kind, ns + "/" + pod, Map.of("tier", t), null)));
                }
            }
        } else {
            for (String ns : SweepModel.NAMESPACES) {
                all.add(new SweepCase.Action(kind, ns, Map.of("env", SweepModel.ENV.get(ns).equals("prod") ? "dev" : "prod"),
                        null));
            }
        }
        List<io.netconform.policy.Port> ports = SweepModel.probedPorts(caps.sctp());
        io.netconform.policy.PolicyOracle before = new io.netconform.policy.PolicyOracle(model, policies, cluster);
        List<String> expected = ports.stream().map(p -> before.reachability(p).render()).toList();
        List<SweepCase.Action> impactful = all.stream().filter(action -> {
            io.netconform.policy.PolicyOracle after = new io.netconform.policy.PolicyOracle(action.applyTo(model),
                    policies, cluster);
            return !ports.stream().map(p -> after.reachability(p).render()).toList().equals(expected);
        }).toList();
        return pick(rnd, impactful.isEmpty() ? all : impactful);
    }

    static <T> T pick(SplittableRandom rnd, List<T> values) {
        return values.get(rnd.nextInt(values.size()));
    }

    static int commonPrefix(List<String> ips) {
        long first = toLong(ips.get(0));
        int prefix = 32;
        for (String ip : ips) {
            long diff = first ^ toLong(ip);
            prefix = Math.min(prefix, diff == 0 ? 32 : Long.numberOfLeadingZeros(diff) - 32);
        }
        return prefix;
    }

    static String network(String ip, int prefix) {
        long mask = prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
        long n = toLong(ip) & mask;
        return (n >> 24 & 255) + "." + (n >> 16 & 255) + "." + (n >> 8 & 255) + "." + (n & 255);
    }

    private static long toLong(String ip) {
        String[] p = ip.split("\\.");
        return (Long.parseLong(p[0]) << 24) | (Long.parseLong(p[1]) << 16) | (Long.parseLong(p[2]) << 8) | Long.parseLong(p[3]);
    }
}
