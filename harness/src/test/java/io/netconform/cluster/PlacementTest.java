package io.netconform.cluster;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlacementTest {

    private static Node node(String name) {
        return new NodeBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().endSpec().build();
    }

    private static Node controlPlane(String name) {
        return new NodeBuilder(node(name)).editSpec()
                .addNewTaint().withKey("node-role.kubernetes.io/master").withEffect("NoSchedule").endTaint()
                .endSpec().build();
    }

    private static List<Node> workers(int n) {
        return IntStream.range(0, n).mapToObj(i -> node(String.format("w%02d", i))).toList();
    }

    private static Set<String> covered(Placement placement) {
        Set<String> nodes = new HashSet<>();
        placement.pairs().forEach(p -> {
            nodes.add(p.from());
            nodes.add(p.to());
        });
        return nodes;
    }

    @Test
    void singleNodeHasOnlyTheSameNodePair() {
        Placement placement = Placement.choose(List.of(node("solo")));

        assertThat(placement.pairs()).containsExactly(new NodePair("solo", "solo"));
        assertThat(placement.multiNode()).isFalse();
        assertThat(placement.describe()).isEqualTo("1 node: solo; pairs: solo→solo (same)");
    }

    @Test
    void twoNodesGiveOneSameAndOneCrossPair() {
        Placement placement = Placement.choose(List.of(node("n2"), node("n1")));

        assertThat(placement.nodes()).containsExactly("n1", "n2");
        assertThat(placement.pairs()).containsExactly(new NodePair("n1", "n1"), new NodePair("n1", "n2"));
        assertThat(placement.multiNode()).isTrue();
        assertThat(placement.describe()).isEqualTo("2 nodes: n1, n2; pairs: n1→n1 (same), n1→n2 (cross)");
    }

    @Test
    void threeNodesFormARingAndSkipTheControlPlane() {
        List<Node> nodes = new ArrayList<>(List.of(node("c"), controlPlane("cp"), node("a"), node("b")));

        Placement placement = Placement.choose(nodes);

        assertThat(placement.pairs()).containsExactly(new NodePair("a", "a"),
                new NodePair("a", "b"), new NodePair("b", "c"), new NodePair("c", "a"));
        assertThat(placement.nodes()).doesNotContain("cp");
        assertThat(placement.skipped()).containsEntry("cp", "taint node-role.kubernetes.io/master:NoSchedule");
        assertThat(placement.describe()).contains("skipped: cp (taint node-role.kubernetes.io/master:NoSchedule)");
    }

    @Test
    void cordonedNodesAreSkipped() {
        Node cordoned = new NodeBuilder(node("b")).editSpec().withUnschedulable(true).endSpec().build();

        Placement placement = Placement.choose(List.of(node("a"), cordoned));

        assertThat(placement.nodes()).containsExactly("a");
        assertThat(placement.skipped()).containsEntry("b", "cordoned");
    }

    @Test
    void fiftyNodesAreSampledWithinTheBoundAndStillAllCovered() {
        Placement placement = Placement.choose(workers(50), 25);

        assertThat(placement.pairs().stream().filter(p -> !p.sameNode())).hasSize(25);
        assertThat(covered(placement)).hasSize(50);
        assertThat(placement.nodes()).hasSize(50);
    }

    @Test
    void fiftyNodesWithTheDefaultBoundCoverAsManyAsItAllowsAndSaySo() {
        Placement placement = Placement.choose(workers(50));

        assertThat(placement.pairs().stream().filter(p -> !p.sameNode())).hasSize(Placement.DEFAULT_MAX_CROSS_PAIRS);
        assertThat(covered(placement)).hasSize(2 * Placement.DEFAULT_MAX_CROSS_PAIRS);
        assertThat(placement.describe()).contains("34 of 50 schedulable nodes not probed");
    }

    @Test
    void aGenerousBoundClosesTheRing() {
        Placement placement = Placement.choose(workers(50), 100);

        assertThat(placement.pairs().stream().filter(p -> !p.sameNode())).hasSize(50);
        assertThat(placement.pairs()).contains(new NodePair("w49", "w00"));
    }

    @Test
    void theChoiceDoesNotDependOnTheOrderTheApiListedNodes() {
        List<Node> shuffled = new ArrayList<>(workers(50));
        Collections.shuffle(shuffled, new Random(7));

        assertThat(Placement.choose(shuffled, 12).pairs()).isEqualTo(Placement.choose(workers(50), 12).pairs());
    }

    @Test
    void noUsableNodeIsAnErrorListingWhy() {
        assertThatThrownBy(() -> Placement.choose(List.of(controlPlane("cp1"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cp1 (taint node-role.kubernetes.io/master:NoSchedule)");
    }
}
