package io.netconform.sweep;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.netconform.policy.ClusterPolicy;
import io.netconform.policy.Protocol;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2) part of a generated case: one or two policies in the
 * Admin and/or Baseline tier, each with a subject by namespaces or pods and one or two rules per direction (Accept,
 * Deny or Pass; peers by namespaces, pods and, for egress, networks cut from the pods' IPs; protocols by number,
 * range or named port). Only input the upstream CRD accepts is generated ({@link ClusterPolicy#of} checks each), and
 * never two policies of one tier with the same priority (upstream leaves their order undefined). Selectors name the
 * model's labels; applied on a cluster they are ANDed with the run's label, so they only ever select the sweep's pods.
 */
final class ClusterPolicyCases {

    /**
     * Dimension → its tags; each starts with {@code cnp-} ({@code --include cnp} selects them all) but the action,
     * {@code action-cnp-delete}, which sits with the other actions.
     */
    static final Map<String, List<String>> DIMENSIONS = dimensions();

    private static Map<String, List<String>> dimensions() {
        Map<String, List<String>> d = new LinkedHashMap<>();
        d.put("cnp with", List.of("cnp-only", "cnp-with-np"));
        d.put("cnp policies", List.of("cnp-single", "cnp-same-tier", "cnp-both-tiers"));
        d.put("cnp tier", List.of("cnp-tier-admin", "cnp-tier-baseline"));
        d.put("cnp action", List.of("cnp-action-accept", "cnp-action-deny", "cnp-action-pass"));
        d.put("cnp subject", List.of("cnp-subject-namespaces", "cnp-subject-pods"));
        d.put("cnp peers", List.of("cnp-ingress-peer-namespaces", "cnp-ingress-peer-pods", "cnp-egress-peer-namespaces",
                "cnp-egress-peer-pods", "cnp-egress-peer-networks"));
        d.put("cnp ports", List.of("cnp-port-none", "cnp-port-number", "cnp-port-range", "cnp-port-named"));
        d.put("cnp protocol", List.of("cnp-proto-tcp", "cnp-proto-udp", "cnp-proto-sctp"));
        d.put("cnp rules", List.of("cnp-one-rule", "cnp-rule-order"));
        // the action dimension's value for cluster policies (named like the other actions, so --include action has it)
        d.put("cnp change", List.of("action-cnp-delete"));
        return Collections.unmodifiableMap(d);
    }

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final int MAX_PRIORITY = 1000;
    /** Port ranges around the probed 80 and 81: both, only 81, only 80. */
    private static final List<int[]> RANGES = List.of(new int[] {80, 81}, new int[] {81, 90}, new int[] {1, 80});

    private final Capabilities caps;
    private final List<String> ipv4;

    ClusterPolicyCases(Capabilities caps, List<String> ipv4) {
        this.caps = caps;
        this.ipv4 = ipv4;
    }

    /** The case's cluster policies, tagged; {@code withNetworkPolicies}: the case also has NetworkPolicies. */
    List<ClusterPolicy> generate(SplittableRandom rnd, Set<String> tags, boolean withNetworkPolicies) {
        tags.add(withNetworkPolicies ? "cnp-with-np" : "cnp-only");
        List<ClusterPolicy> policies = new ArrayList<>();
        switch (rnd.nextInt(3)) {
            case 0 -> {
                tags.add("cnp-single");
                String tier = CaseGenerator.pick(rnd, List.of("Admin", "Baseline"));
                policies.add(policy(rnd, tier.toLowerCase() + "-1", tier, rnd.nextInt(MAX_PRIORITY + 1), tags));
            }
            case 1 -> {
                // two of one tier: the lower priority number decides first; names need not follow priorities
                tags.add("cnp-same-tier");
                String tier = CaseGenerator.pick(rnd, List.of("Admin", "Baseline"));
                int first = rnd.nextInt(MAX_PRIORITY + 1);
                int second = (first + 1 + rnd.nextInt(MAX_PRIORITY)) % (MAX_PRIORITY + 1);
                policies.add(policy(rnd, tier.toLowerCase() + "-1", tier, first, tags));
                policies.add(policy(rnd, tier.toLowerCase() + "-2", tier, second, tags));
            }
            default -> {
                tags.add("cnp-both-tiers");
                policies.add(policy(rnd, "admin-1", "Admin", rnd.nextInt(MAX_PRIORITY + 1), tags));
                policies.add(policy(rnd, "baseline-1", "Baseline", rnd.nextInt(MAX_PRIORITY + 1), tags));
            }
        }
        return policies;
    }

    private ClusterPolicy policy(SplittableRandom rnd, String name, String tier, int priority, Set<String> tags) {
        tags.add("cnp-tier-" + tier.toLowerCase());
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("tier", tier);
        spec.put("priority", priority);
        spec.put("subject", subject(rnd, tags));
        int directions = rnd.nextInt(3);
        if (directions != 1) {
            spec.put("ingress", rules(rnd, "ingress", tags));
        }
        if (directions != 0) {
            spec.put("egress", rules(rnd, "egress", tags));
        }
        GenericKubernetesResource resource = new GenericKubernetesResourceBuilder().withApiVersion(ClusterPolicy.V1ALPHA2)
                .withKind(ClusterPolicy.CLUSTER_NETWORK_POLICY).withNewMetadata().withName(name).endMetadata()
                .addToAdditionalProperties("spec", spec).build();
        return ClusterPolicy.of(resource);
    }

    private Map<String, Object> subject(SplittableRandom rnd, Set<String> tags) {
        boolean byNamespaces = rnd.nextBoolean();
        tags.add(byNamespaces ? "cnp-subject-namespaces" : "cnp-subject-pods");
        return byNamespaces ? Map.of("namespaces", map(CaseGenerator.namespaceSelector(rnd))) : Map.of("pods", pods(rnd));
    }

    private List<Map<String, Object>> rules(SplittableRandom rnd, String direction, Set<String> tags) {
        int count = 1 + rnd.nextInt(2);
        tags.add(count == 1 ? "cnp-one-rule" : "cnp-rule-order");
        List<Map<String, Object>> rules = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String action = CaseGenerator.pick(rnd, List.of("Accept", "Deny", "Pass"));
            tags.add("cnp-action-" + action.toLowerCase());
            List<Map<String, Object>> protocols = protocols(rnd, tags);
            boolean named = protocols != null && protocols.stream().anyMatch(p -> p.containsKey("destinationNamedPort"));
            Map<String, Object> rule = new LinkedHashMap<>();
            rule.put("name", direction + "-" + i + "-" + action.toLowerCase());
            rule.put("action", action);
            rule.put(direction.equals("ingress") ? "from" : "to", peers(rnd, direction, named, tags));
            if (protocols != null) {
                rule.put("protocols", protocols);
            }
            rules.add(rule);
        }
        return rules;
    }

    /** One or two peers; networks only for egress and never beside a named port (the CRD rejects both). */
    private List<Map<String, Object>> peers(SplittableRandom rnd, String direction, boolean namedPort, Set<String> tags) {
        List<String> kinds = new ArrayList<>(List.of("namespaces", "pods"));
        if (direction.equals("egress") && !namedPort && !ipv4.isEmpty()) {
            kinds.add("networks");
        }
        List<Map<String, Object>> peers = new ArrayList<>();
        for (int n = 1 + rnd.nextInt(2); n > 0; n--) {
            String kind = CaseGenerator.pick(rnd, kinds);
            tags.add("cnp-" + direction + "-peer-" + kind);
            peers.add(switch (kind) {
                case "namespaces" -> Map.of("namespaces", map(CaseGenerator.namespaceSelector(rnd)));
                case "pods" -> Map.of("pods", pods(rnd));
                default -> Map.of("networks", List.of(network(rnd)));
            });
        }
        return peers;
    }

    /** {@code pods: {namespaceSelector, podSelector}}; without namespaceSelector it means every namespace. */
    private Map<String, Object> pods(SplittableRandom rnd) {
        Map<String, Object> pods = new LinkedHashMap<>();
        if (rnd.nextInt(3) > 0) {
            pods.put("namespaceSelector", map(CaseGenerator.namespaceSelector(rnd)));
        }
        pods.put("podSelector", map(CaseGenerator.podSelector(rnd)));
        return pods;
    }

    /** One pod's /32, or the smallest CIDR covering every pod, or the half of it holding some pod. */
    private String network(SplittableRandom rnd) {
        String some = CaseGenerator.pick(rnd, ipv4);
        int cover = CaseGenerator.commonPrefix(ipv4);
        int prefix = switch (rnd.nextInt(3)) {
            case 0 -> 32;
            case 1 -> cover;
            default -> Math.min(32, cover + 1);
        };
        return CaseGenerator.network(some, prefix) + "/" + prefix;
    }

    /** null: every port and protocol; else 1 or 2 entries of one port kind. */
    private List<Map<String, Object>> protocols(SplittableRandom rnd, Set<String> tags) {
        String kind = CaseGenerator.pick(rnd, List.of("none", "number", "range", "named"));
        tags.add("cnp-port-" + kind);
        if (kind.equals("none")) {
            return null;
        }
        List<Map<String, Object>> entries = new ArrayList<>();
        for (int n = 1 + rnd.nextInt(2); n > 0; n--) {
            Protocol protocol = CaseGenerator.pick(rnd, SweepModel.protocols(caps.sctp()));
            tags.add("cnp-proto-" + protocol.name().toLowerCase());
            String key = protocol.name().toLowerCase();
            entries.add(switch (kind) {
                // a named port carries its container port's protocol: uweb is UDP
                case "named" -> Map.of("destinationNamedPort", CaseGenerator.pick(rnd, SweepModel.NAMES.get(protocol)));
                case "number" -> Map.of(key, Map.of("destinationPort", Map.of("number",
                        CaseGenerator.pick(rnd, SweepModel.NUMBERS))));
                default -> {
                    int[] range = CaseGenerator.pick(rnd, RANGES);
                    yield Map.of(key, Map.of("destinationPort", Map.of("range", Map.of("start", range[0], "end", range[1]))));
                }
            });
        }
        return entries;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(LabelSelector selector) {
        return SERIALIZATION.convertValue(selector, Map.class);
    }
}
