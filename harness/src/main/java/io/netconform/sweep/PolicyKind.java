package io.netconform.sweep;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The policy kinds a sweep generates ({@code --kinds}). NetworkPolicy alone is the default; with ClusterNetworkPolicy
 * (v1alpha2, Admin and Baseline tiers) every case holds cluster-scoped policies, most of them beside NetworkPolicies,
 * so the tier order Admin → NetworkPolicy → Baseline is what gets checked.
 */
public enum PolicyKind {
    NETWORK_POLICY("networkpolicy"), CLUSTER_NETWORK_POLICY("clusternetworkpolicy");

    private final String option;

    PolicyKind(String option) {
        this.option = option;
    }

    public String option() {
        return option;
    }

    /**
     * {@code networkpolicy,clusternetworkpolicy} (case-insensitive); none given: NetworkPolicy only.
     *
     * @throws IllegalArgumentException naming the value that is no kind
     */
    public static Set<PolicyKind> parse(List<String> values) {
        if (values.isEmpty()) {
            return EnumSet.of(NETWORK_POLICY);
        }
        Set<PolicyKind> kinds = EnumSet.noneOf(PolicyKind.class);
        for (String value : values) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            kinds.add(Arrays.stream(values()).filter(k -> k.option.equals(v)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("--kinds: '" + value + "' is not a policy kind the sweep"
                            + " generates; kinds: " + Arrays.stream(values()).map(PolicyKind::option).toList())));
        }
        return kinds;
    }

    public static String describe(Set<PolicyKind> kinds) {
        return kinds.stream().sorted().map(PolicyKind::option).collect(Collectors.joining(","));
    }
}
