package io.netconform.policy;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.netconform.policy.PolicyCases.policy;
import static org.assertj.core.api.Assertions.assertThat;

/** {@link Policies#effects}: what the sweep's effect tags say, read with the API server's defaulting. */
class PoliciesTest {

    @Test
    void omittedPolicyTypesIsolateEgressOnlyWhenThereAreEgressRules() {
        assertThat(Policies.of(List.of(policy("""
                metadata: {name: p, namespace: x}
                spec:
                  podSelector: {}
                  ingress: [{from: [{podSelector: {}}]}]
                """))).effects()).containsExactly("ingress-isolated");
        assertThat(Policies.of(List.of(policy("""
                metadata: {name: p, namespace: x}
                spec:
                  podSelector: {}
                  egress: [{to: [{podSelector: {}}]}]
                """))).effects()).containsExactly("egress-isolated", "ingress-isolated");
    }

    @Test
    void aRuleWithoutPeersCountsOnlyInADirectionThePolicyIsolates() {
        assertThat(Policies.of(List.of(policy("""
                metadata: {name: p, namespace: x}
                spec:
                  podSelector: {}
                  policyTypes: [Egress]
                  ingress: [{}]
                  egress: [{ports: [{port: 53, protocol: UDP}]}]
                """))).effects()).containsExactly("egress-isolated", "egress-rule-no-peers");
        assertThat(Policies.of(List.of(policy("""
                metadata: {name: p, namespace: x}
                spec:
                  podSelector: {}
                  policyTypes: [Ingress]
                  ingress: [{from: []}]
                """))).effects()).containsExactly("ingress-isolated", "ingress-rule-no-peers");
    }
}
