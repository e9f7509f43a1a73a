package io.netconform.policy;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Predicts, from a {@link Topology}, NetworkPolicies (networking.k8s.io/v1) and cluster-scoped policies
 * ({@link ClusterPolicy}: ClusterNetworkPolicy v1alpha2, AdminNetworkPolicy / BaselineAdminNetworkPolicy v1alpha1),
 * which flows a conforming CNI allows, and explains each verdict. Pure: no cluster.
 *
 * <p>Each direction decides on its own (the source's egress, the destination's ingress; a flow needs both), in
 * tiers (network-policy-api apis/v1alpha2 {@code Tier}, site-src/api-overview.md): the Admin tier's policies that
 * select the pod, by priority (lower first; equal priorities are undefined upstream — here: by name), rules in
 * order, the first matching rule decides: Accept/Allow allows this direction (NetworkPolicy and Baseline are not
 * consulted for it — the other end's rules still apply), Deny blocks, Pass skips the rest of the Admin tier. Then
 * NetworkPolicy: if one isolates the pod in this direction, their union decides, and Baseline is not consulted
 * for that direction (the isolation is itself the decision). Otherwise the Baseline tier in the same way (Pass:
 * the rest of Baseline is skipped, so the default applies), then the default: allowed.
 *
 * <p>The v1 semantics it implements: a pod is isolated in a direction when any policy of its own
 * namespace selects it with that policyType (policyTypes omitted: Ingress, plus Egress when the spec has
 * egress rules); an isolated pod accepts only what the union of those policies' rules allows; a flow
 * needs both the source's egress and the destination's ingress. Within one peer namespaceSelector and
 * podSelector are ANDed, peers are ORed; a podSelector-only peer means the policy's namespace. No
 * {@code from}/{@code to} means anywhere, no {@code ports} means every port. Named ports resolve against
 * the destination pod; a pod without an IP never matches an ipBlock. Traffic from a pod to itself is
 * out of scope (CNIs disagree, and the spec says a pod cannot block itself).
 *
 * <p>Selections and peers are evaluated once per construction as bit sets over the pods, so a whole
 * matrix costs pods² bit tests plus, per pod, the rules of the policies that select it.
 */
public final class PolicyOracle {

    private final Topology topology;
    private final List<Topology.Pod> pods;
    private final Map<PodId, Integer> index = new HashMap<>();
    private final List<IndexedPolicy> policies = new ArrayList<>();
    private final int[][] ingressPolicies;
    private final int[][] egressPolicies;
    private final List<List<String>> ingressIsolators = new ArrayList<>();
    private final List<List<String>> egressIsolators = new ArrayList<>();
    private final List<String> ingressDenied = new ArrayList<>();
    private final List<Explanation> ingressOpen = new ArrayList<>();
    private final List<Explanation> egressOpen = new ArrayList<>();
    private final List<String> egressDenied = new ArrayList<>();

    /**
     * {@code allowedBy[k]}: the description of peer k admitting a flow ({@code allowedBy[0]} for a rule without peers),
     * built once: predict explains every flow of a 600-pod model, and the same few hundred strings would otherwise be
     * rebuilt hundreds of thousands of times.
     */
    private record IndexedRule(CompiledPolicy.Rule rule, BitSet[] peerPods, BitSet anyPeerPods, String[] allowedBy) {

        IndexedRule(CompiledPolicy.Rule rule, BitSet[] peerPods, BitSet anyPeerPods) {
            this(rule, peerPods, anyPeerPods, rule.anyPeer() ? new String[]{rule.describe(null)}
                    : rule.peers().stream().map(rule::describe).toArray(String[]::new));
        }
    }

    private record IndexedPolicy(CompiledPolicy policy, List<IndexedRule> ingress, List<IndexedRule> egress) {
    }

    /** A cluster policy with its rules' peers as bit sets over the pods ({@code peerPods[k]} for peer k). */
    private record IndexedClusterRule(ClusterPolicy.Rule rule, BitSet[] peerPods) {
    }

    private record IndexedClusterPolicy(ClusterPolicy policy, List<IndexedClusterRule> ingress,
                                        List<IndexedClusterRule> egress) {
    }

    /** What one tier decided for a direction: the deciding rule's action (null: no rule matched) and the step. */
    private record TierOutcome(ClusterPolicy.Action action, String step) {
    }

    private final List<IndexedClusterPolicy> clusterPolicies = new ArrayList<>();
    /** Per pod, the indexes into {@link #clusterPolicies} (sorted by tier order) that select it, per tier/direction. */
    private final int[][] adminIngress;
    private final int[][] adminEgress;
    private final int[][] baselineIngress;
    private final int[][] baselineEgress;

    /**
     * @throws PolicyInputException when a policy is invalid (bad selector operator, CIDR, port…), naming it
     */
    public PolicyOracle(Topology topology, List<NetworkPolicy> networkPolicies) {
        this(topology, networkPolicies, List.of());
    }

    /**
     * @param clusterPolicies compiled by {@link PolicyFiles#loadAll}; the order among equal priorities is by name
     * @throws PolicyInputException when a NetworkPolicy is invalid, naming it
     */
    public PolicyOracle(Topology topology, List<NetworkPolicy> networkPolicies, List<ClusterPolicy> clusterPolicies) {
        this.topology = topology;
        this.pods = topology.pods();
        for (int i = 0; i < pods.size(); i++) {
            index.put(pods.get(i).id(), i);
        }
        Map<String, List<Integer>> podsByNamespace = new LinkedHashMap<>();
        for (String ns : topology.namespaces()) {
            podsByNamespace.put(ns, new ArrayList<>());
        }
        for (int i = 0; i < pods.size(); i++) {
            podsByNamespace.get(pods.get(i).id().namespace()).add(i);
        }
        List<List<Integer>> ingressByPod = new ArrayList<>();
        List<List<Integer>> egressByPod = new ArrayList<>();
        for (int i = 0; i < pods.size(); i++) {
            ingressByPod.add(new ArrayList<>());
            egressByPod.add(new ArrayList<>());
        }
        for (NetworkPolicy networkPolicy : networkPolicies) {
            CompiledPolicy policy;
            try {
                policy = CompiledPolicy.compile(networkPolicy);
            } catch (IllegalArgumentException e) {
                throw new PolicyInputException("invalid NetworkPolicy: " + e.getMessage(), e);
            }
            int p = policies.size();
            policies.add(new IndexedPolicy(policy, indexRules(policy.ingressRules, podsByNamespace),
                    indexRules(policy.egressRules, podsByNamespace)));
            for (int i : podsByNamespace.getOrDefault(policy.namespace, List.of())) {
                if (policy.podSelector.matches(pods.get(i).labels())) {
                    if (policy.ingress) {
                        ingressByPod.get(i).add(p);
                    }
                    if (policy.egress) {
                        egressByPod.get(i).add(p);
                    }
                }
            }
        }
        ingressPolicies = toArrays(ingressByPod);
        egressPolicies = toArrays(egressByPod);
        List<ClusterPolicy> ordered = new ArrayList<>(clusterPolicies);
        ordered.sort(java.util.Comparator.comparing(ClusterPolicy::tier).thenComparingInt(ClusterPolicy::priority)
                .thenComparing(ClusterPolicy::name));
        List<List<Integer>> adminIn = emptyLists();
        List<List<Integer>> adminOut = emptyLists();
        List<List<Integer>> baselineIn = emptyLists();
        List<List<Integer>> baselineOut = emptyLists();
        for (ClusterPolicy policy : ordered) {
            int c = this.clusterPolicies.size();
            this.clusterPolicies.add(new IndexedClusterPolicy(policy, indexClusterRules(policy.ingress),
                    indexClusterRules(policy.egress)));
            boolean admin = policy.tier == ClusterPolicy.Tier.ADMIN;
            for (int i = 0; i < pods.size(); i++) {
                Topology.Pod pod = pods.get(i);
                // host-networked pods are never subjects upstream; the topology models pod-network pods only
                if (policy.subject.matchesPod(pod, topology.namespaceLabels(pod.id().namespace()))) {
                    if (!policy.ingress.isEmpty()) {
                        (admin ? adminIn : baselineIn).get(i).add(c);
                    }
                    if (!policy.egress.isEmpty()) {
                        (admin ? adminOut : baselineOut).get(i).add(c);
                    }
                }
            }
        }
        adminIngress = toArrays(adminIn);
        adminEgress = toArrays(adminOut);
        baselineIngress = toArrays(baselineIn);
        baselineEgress = toArrays(baselineOut);
        for (int i = 0; i < pods.size(); i++) {
            ingressIsolators.add(policyIds(ingressPolicies[i]));
            egressIsolators.add(policyIds(egressPolicies[i]));
            // built once per pod: a blocked-pair summary is otherwise the bulk of explaining a matrix
            ingressDenied.add("isolated for ingress by " + ingressIsolators.get(i) + "; no ingress rule allows ");
            egressDenied.add("isolated for egress by " + egressIsolators.get(i) + "; no egress rule allows ");
            ingressOpen.add(new Explanation(false, List.of(), null, pods.get(i).id()
                    + " is not isolated for ingress (no policy with policyType Ingress selects it)"));
            egressOpen.add(new Explanation(false, List.of(), null, pods.get(i).id()
                    + " is not isolated for egress (no policy with policyType Egress selects it)"));
        }
    }

    public static PolicyOracle of(Topology topology, List<NetworkPolicy> policies) {
        return new PolicyOracle(topology, policies);
    }

    public static PolicyOracle of(Topology topology, Policies policies) {
        return new PolicyOracle(topology, policies.networkPolicies(), policies.clusterPolicies());
    }

    public Topology topology() {
        return topology;
    }

    /** One flow between two distinct pods of the topology. */
    public Prediction predict(PodId from, PodId to, Port port) {
        int f = indexOf(from);
        int t = indexOf(to);
        if (f == t) {
            throw new IllegalArgumentException("traffic from " + from + " to itself is excluded from verdicts");
        }
        return predictAt(f, t, port);
    }

    private Prediction predictAt(int f, int t, Port port) {
        Explanation ingress = explainIngress(t, f, null, port);
        Explanation egress = explainEgress(f, t, null, port);
        return new Prediction(pods.get(f).id(), pods.get(t).id(), port, ingress.allows() && egress.allows(), ingress, egress);
    }

    public Prediction predict(String from, String to, Port port) {
        return predict(PodId.of(from), PodId.of(to), port);
    }

    /**
     * A flow from a pod to an address outside the topology: only the source's egress decides (ipBlock
     * rules; named ports never match, there is no pod to resolve them against). {@code to} is null.
     */
    public Prediction predictEgressTo(PodId from, String ip, Port port) {
        int f = indexOf(from);
        byte[] address = Cidr.parseAddress(ip);
        Explanation egress = explainEgress(f, -1, address, port);
        Explanation ingress = new Explanation(false, List.of(), null,
                ip + " is outside the topology: no ingress policy applies");
        return new Prediction(from, null, port, egress.allows(), ingress, egress);
    }

    /** A flow from an address outside the topology to a pod: only the destination's ingress decides. */
    public Prediction predictIngressFrom(String ip, PodId to, Port port) {
        int t = indexOf(to);
        byte[] address = Cidr.parseAddress(ip);
        Explanation ingress = explainIngress(t, -1, address, port);
        Explanation egress = new Explanation(false, List.of(), null,
                ip + " is outside the topology: no egress policy applies");
        return new Prediction(null, to, port, ingress.allows(), ingress, egress);
    }

    /** Every ordered pair of distinct pods, explained, in grid order (rows = from). */
    public List<Prediction> predictAll(Port port) {
        List<Prediction> all = new ArrayList<>(pods.size() * Math.max(0, pods.size() - 1));
        for (int f = 0; f < pods.size(); f++) {
            for (int t = 0; t < pods.size(); t++) {
                if (f != t) {
                    all.add(predictAt(f, t, port));
                }
            }
        }
        return all;
    }

    /** The predicted matrix for one port: ALLOWED or BLOCKED for every pair of distinct pods. */
    public Reachability reachability(Port port) {
        int n = pods.size();
        BitSet[] ingressFrom = new BitSet[n];
        BitSet[] egressTo = new BitSet[n];
        BitSet everyone = new BitSet(n);
        everyone.set(0, n);
        for (int t = 0; t < n; t++) {
            ingressFrom[t] = ingressPolicies[t].length == 0 ? everyone : new BitSet(n);
            for (int p : ingressPolicies[t]) {
                for (IndexedRule r : policies.get(p).ingress()) {
                    if (r.rule().portsMatch(pods.get(t), port)) {
                        ingressFrom[t].or(r.anyPeerPods());
                    }
                }
            }
        }
        Map<IndexedRule, BitSet> namedPortDestinations = new IdentityHashMap<>();
        for (int f = 0; f < n; f++) {
            egressTo[f] = egressPolicies[f].length == 0 ? everyone : new BitSet(n);
            for (int p : egressPolicies[f]) {
                for (IndexedRule r : policies.get(p).egress()) {
                    if (!r.rule().hasNamedPort()) {
                        if (r.rule().portsMatch(null, port)) {
                            egressTo[f].or(r.anyPeerPods());
                        }
                        continue;
                    }
                    // named ports depend on the destination: keep only destinations that resolve the name
                    BitSet destinations = namedPortDestinations.computeIfAbsent(r, rule -> {
                        BitSet d = new BitSet(n);
                        for (int t = 0; t < n; t++) {
                            if (rule.rule().portsMatch(pods.get(t), port)) {
                                d.set(t);
                            }
                        }
                        return d;
                    });
                    BitSet allowed = (BitSet) r.anyPeerPods().clone();
                    allowed.and(destinations);
                    egressTo[f].or(allowed);
                }
            }
        }
        Reachability reachability = Reachability.allBlocked(topology, port);
        for (int f = 0; f < n; f++) {
            for (int t = 0; t < n; t++) {
                if (f == t) {
                    continue;
                }
                // a cluster policy on either end: walk the tiers for this pair (the bit sets know NetworkPolicy only)
                boolean allowed = clusterTouched(f, t) ? predictAt(f, t, port).allowed()
                        : egressTo[f].get(t) && ingressFrom[t].get(f);
                if (allowed) {
                    reachability.setAt(f, t, Reachability.State.ALLOWED);
                }
            }
        }
        return reachability;
    }

    private boolean clusterTouched(int f, int t) {
        return adminEgress[f].length + baselineEgress[f].length + adminIngress[t].length + baselineIngress[t].length > 0;
    }

    private Explanation explainIngress(int to, int fromPod, byte[] fromAddress, Port port) {
        Explanation networkPolicy = explainIngressNetworkPolicy(to, fromPod, fromAddress, port);
        if (adminIngress[to].length + baselineIngress[to].length == 0) {
            return networkPolicy;
        }
        String other = fromPod >= 0 ? pods.get(fromPod).id().toString() : format(fromAddress);
        return tiers(true, adminIngress[to], baselineIngress[to], networkPolicy, fromPod, fromAddress, pods.get(to),
                port, pods.get(to).id() + " for ingress from " + other);
    }

    private Explanation explainEgress(int from, int toPod, byte[] toAddress, Port port) {
        Explanation networkPolicy = explainEgressNetworkPolicy(from, toPod, toAddress, port);
        if (adminEgress[from].length + baselineEgress[from].length == 0) {
            return networkPolicy;
        }
        String other = toPod >= 0 ? pods.get(toPod).id().toString() : format(toAddress);
        return tiers(false, adminEgress[from], baselineEgress[from], networkPolicy, toPod, toAddress,
                toPod >= 0 ? pods.get(toPod) : null, port, pods.get(from).id() + " for egress to " + other);
    }

    /**
     * Admin → NetworkPolicy → Baseline → default for one direction; {@code otherPod}/{@code otherAddress} is the
     * other end (the source for ingress, the destination for egress).
     */
    private Explanation tiers(boolean ingress, int[] admin, int[] baseline, Explanation networkPolicy, int otherPod,
                              byte[] otherAddress, Topology.Pod destination, Port port, String what) {
        List<String> steps = new ArrayList<>();
        TierOutcome a = walk(ingress, admin, otherPod, otherAddress, destination, port, ClusterPolicy.Tier.ADMIN);
        if (a != null) {
            steps.add(a.step());
            if (a.action() != null && a.action() != ClusterPolicy.Action.PASS) {
                boolean allows = a.action() == ClusterPolicy.Action.ACCEPT;
                return new Explanation(networkPolicy.isolated(), networkPolicy.isolatingPolicies(), allows ? a.step() : null,
                        String.join(" → ", steps), allows, steps);
            }
        }
        if (networkPolicy.isolated()) {
            // isolation is the NetworkPolicy tier's final decision for this direction: Baseline never sees it
            String[] byPolicy = networkPolicy.allowedBy() == null ? null : networkPolicy.allowedBy().split(" ", 2);
            steps.add(byPolicy != null ? "NetworkPolicy " + byPolicy[0] + " allows (" + byPolicy[1] + ")"
                    : "NetworkPolicy " + networkPolicy.summary());
            return new Explanation(true, networkPolicy.isolatingPolicies(), networkPolicy.allowedBy(),
                    String.join(" → ", steps), networkPolicy.allows(), steps);
        }
        steps.add("no NetworkPolicy isolates " + what);
        TierOutcome b = walk(ingress, baseline, otherPod, otherAddress, destination, port, ClusterPolicy.Tier.BASELINE);
        if (b != null) {
            steps.add(b.step());
            if (b.action() != null && b.action() != ClusterPolicy.Action.PASS) {
                boolean allows = b.action() == ClusterPolicy.Action.ACCEPT;
                return new Explanation(false, List.of(), allows ? b.step() : null, String.join(" → ", steps), allows,
                        steps);
            }
        }
        steps.add("allowed by default");
        return new Explanation(false, List.of(), null, String.join(" → ", steps), true, steps);
    }

    /** The first matching rule of a tier's policies (in precedence order), or a "no rule matches" step, or null. */
    private TierOutcome walk(boolean ingress, int[] policyIndexes, int otherPod, byte[] otherAddress,
                             Topology.Pod destination, Port port, ClusterPolicy.Tier tier) {
        if (policyIndexes.length == 0) {
            return null;
        }
        List<String> looked = new ArrayList<>();
        for (int c : policyIndexes) {
            IndexedClusterPolicy policy = clusterPolicies.get(c);
            looked.add(policy.policy().kind + " " + policy.policy().name);
            for (IndexedClusterRule r : ingress ? policy.ingress() : policy.egress()) {
                ClusterPolicy.Rule rule = r.rule();
                if (!rule.portsMatch(destination, port)) {
                    continue;
                }
                for (int k = 0; k < rule.peers().size(); k++) {
                    boolean match = otherPod >= 0 ? r.peerPods()[k].get(otherPod)
                            : rule.peers().get(k).matchesAddress(otherAddress);
                    if (match) {
                        ClusterPolicy.Peer peer = rule.peers().get(k);
                        String ports = rule.ports().isEmpty() ? "" : " on " + rule.ports();
                        return new TierOutcome(rule.action(), policy.policy().title() + " " + rule.label() + " "
                                + rule.actionWord() + " (" + (ingress ? "from " : "to ") + peer.text() + ports + ")");
                    }
                }
            }
        }
        return new TierOutcome(null, tier + ": no rule of " + looked + " matches " + port);
    }

    private List<IndexedClusterRule> indexClusterRules(List<ClusterPolicy.Rule> rules) {
        List<IndexedClusterRule> indexed = new ArrayList<>();
        for (ClusterPolicy.Rule rule : rules) {
            BitSet[] peerPods = new BitSet[rule.peers().size()];
            for (int k = 0; k < peerPods.length; k++) {
                ClusterPolicy.Peer peer = rule.peers().get(k);
                peerPods[k] = new BitSet(pods.size());
                for (int i = 0; i < pods.size(); i++) {
                    if (peer.matchesPod(pods.get(i), topology.namespaceLabels(pods.get(i).id().namespace()))) {
                        peerPods[k].set(i);
                    }
                }
            }
            indexed.add(new IndexedClusterRule(rule, peerPods));
        }
        return indexed;
    }

    private List<List<Integer>> emptyLists() {
        List<List<Integer>> lists = new ArrayList<>();
        for (int i = 0; i < pods.size(); i++) {
            lists.add(new ArrayList<>());
        }
        return lists;
    }

    private Explanation explainIngressNetworkPolicy(int to, int fromPod, byte[] fromAddress, Port port) {
        Topology.Pod destination = pods.get(to);
        if (ingressPolicies[to].length == 0) {
            return ingressOpen.get(to);
        }
        for (int p : ingressPolicies[to]) {
            for (IndexedRule r : policies.get(p).ingress()) {
                String by = allowingPeer(r, fromPod, fromAddress, destination, port);
                if (by != null) {
                    return new Explanation(true, ingressIsolators.get(to), by, () -> "allowed by " + by);
                }
            }
        }
        return new Explanation(true, ingressIsolators.get(to), null, () -> ingressDenied.get(to)
                + (fromPod >= 0 ? pods.get(fromPod).id().toString() : format(fromAddress)) + " on " + port);
    }

    private Explanation explainEgressNetworkPolicy(int from, int toPod, byte[] toAddress, Port port) {
        if (egressPolicies[from].length == 0) {
            return egressOpen.get(from);
        }
        Topology.Pod destination = toPod >= 0 ? pods.get(toPod) : null;
        for (int p : egressPolicies[from]) {
            for (IndexedRule r : policies.get(p).egress()) {
                String by = allowingPeer(r, toPod, toAddress, destination, port);
                if (by != null) {
                    return new Explanation(true, egressIsolators.get(from), by, () -> "allowed by " + by);
                }
            }
        }
        return new Explanation(true, egressIsolators.get(from), null, () -> egressDenied.get(from)
                + (destination != null ? destination.id().toString() : format(toAddress)) + " on " + port);
    }

    /** The description of the rule+peer admitting the other end of the flow, or null. */
    private static String allowingPeer(IndexedRule r, int otherPod, byte[] otherAddress, Topology.Pod destination,
                                       Port port) {
        CompiledPolicy.Rule rule = r.rule();
        if (!rule.portsMatch(destination, port)) {
            return null;
        }
        if (rule.anyPeer()) {
            return r.allowedBy()[0];
        }
        for (int k = 0; k < rule.peers().size(); k++) {
            boolean match = otherPod >= 0 ? r.peerPods()[k].get(otherPod)
                    : rule.peers().get(k).matchesAddress(otherAddress);
            if (match) {
                return r.allowedBy()[k];
            }
        }
        return null;
    }

    private List<IndexedRule> indexRules(List<CompiledPolicy.Rule> rules, Map<String, List<Integer>> podsByNamespace) {
        int n = pods.size();
        List<IndexedRule> indexed = new ArrayList<>();
        for (CompiledPolicy.Rule rule : rules) {
            BitSet[] peerPods = new BitSet[rule.peers().size()];
            BitSet any = new BitSet(n);
            if (rule.anyPeer()) {
                any.set(0, n);
            }
            for (int k = 0; k < peerPods.length; k++) {
                CompiledPolicy.Peer peer = rule.peers().get(k);
                BitSet matched = new BitSet(n);
                podsByNamespace.forEach((ns, members) -> {
                    // decide the namespace once, then only look at its pods
                    boolean candidate = peer.cidr() != null || (peer.namespaceSelector() == null
                            ? ns.equals(peer.ownNamespace())
                            : peer.namespaceSelector().matches(topology.namespaceLabels(ns)));
                    if (candidate) {
                        for (int i : members) {
                            if (peer.matchesPod(pods.get(i), topology.namespaceLabels(ns))) {
                                matched.set(i);
                            }
                        }
                    }
                });
                peerPods[k] = matched;
                any.or(matched);
            }
            indexed.add(new IndexedRule(rule, peerPods, any));
        }
        return indexed;
    }

    private List<String> policyIds(int[] policyIndexes) {
        List<String> ids = new ArrayList<>();
        for (int p : policyIndexes) {
            ids.add(policies.get(p).policy().id);
        }
        return List.copyOf(ids);
    }

    private int indexOf(PodId id) {
        Integer i = index.get(id);
        if (i == null) {
            throw new IllegalArgumentException("pod " + id + " is not in the topology (pods: " + index.keySet() + ")");
        }
        return i;
    }

    private static int[][] toArrays(List<List<Integer>> lists) {
        int[][] arrays = new int[lists.size()][];
        for (int i = 0; i < arrays.length; i++) {
            arrays[i] = lists.get(i).stream().mapToInt(Integer::intValue).toArray();
        }
        return arrays;
    }

    private static String format(byte[] address) {
        try {
            return java.net.InetAddress.getByAddress(address).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
