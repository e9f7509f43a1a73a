package io.netconform.node;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The node-evidence parsers on outputs recorded from real kernels: the lab has no VXLAN device, so
 * {@code snapshot-vxlan-netns.txt} is {@link NodeSnapshot#SCRIPT} run in a network namespace with a VXLAN device
 * (ethtool 6.1, conntrack 1.4.7, Linux 6.x); {@code -after} is the same with insert_failed and invalid raised on one
 * CPU and tx checksumming switched back on by hand, as a later snapshot of the same node would show them.
 * {@code snapshot-lab-n2.txt} is the script in a privileged hostNetwork pod on the lab's node n2 (k8s.lab/netshoot:lab,
 * which has no conntrack tool: the kernel's table is read instead).
 */
class NodeSnapshotTest {

    static String resource(String name) throws IOException {
        try (InputStream in = NodeSnapshotTest.class.getResourceAsStream("/node/" + name)) {
            assertThat(in).as("test resource /node/" + name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void readsConntrackKernelCountersMtusRoutesAndVxlanChecksumOffload() throws IOException {
        NodeSnapshot s = NodeSnapshot.parse("n1", Instant.EPOCH, resource("snapshot-vxlan-netns.txt"));

        assertThat(s.counters()).containsKeys("conntrack.insert_failed", "conntrack.drop", "conntrack.invalid",
                "conntrack.count", "conntrack.max", "kernel.TcpExtIPReversePathFilter", "kernel.IpReasmFails",
                "kernel.IpFragFails", "kernel.IcmpInDestUnreachs", "kernel.IcmpOutDestUnreachs");
        assertThat(s.settings()).containsEntry("mtu.vxlan0", "1450").containsEntry("mtu.lo", "65536")
                .containsEntry("route mtu: 10.99.0.0/24 dev vxlan0 scope link", "1400")
                .containsEntry("offload.vxlan0.tx-checksumming", "off")
                .containsEntry("offload.vxlan0.rx-checksumming", "on")
                .containsEntry("offload.vxlan0.tx-checksum-ipv4", "off [fixed]")
                .containsEntry("offload.vxlan0.tx-udp_tnl-csum-segmentation", "off [fixed]")
                .containsKey("rp_filter.all");
        assertThat(s.unavailable()).isEmpty();
    }

    @Test
    void readsTheLabNodeWithoutConntrackToolOrVxlan() throws IOException {
        NodeSnapshot s = NodeSnapshot.parse("n2", Instant.EPOCH, resource("snapshot-lab-n2.txt"));

        assertThat(s.counters()).containsEntry("conntrack.count", 52L).containsEntry("conntrack.max", 262144L)
                .containsEntry("conntrack.insert_failed", 0L).containsKey("kernel.TcpExtIPReversePathFilter");
        assertThat(s.settings()).containsEntry("mtu.eth0", "1500").containsEntry("mtu.cni0", "1450")
                .containsKey("rp_filter.cni0").noneSatisfy((k, v) -> assertThat(k).startsWith("offload."));
        assertThat(s.unavailable()).isEmpty();
    }

    @Test
    void conntrackStatisticsAreSummedOverCpusFromEitherSource() {
        String tool = "cpu=0   \tfound=1 invalid=2 insert=0 insert_failed=5 drop=0 early_drop=0 error=0\n"
                + "cpu=1   \tfound=0 invalid=1 insert=0 insert_failed=32 drop=4 early_drop=0 error=0\n";
        String proc = "entries  clashres found new invalid ignore delete chainlength insert insert_failed drop early_drop\n"
                + "00000010  00000000 00000000 00000000 00000002 00000000 00000000 00000000 00000000 00000005 00000000 00000000\n"
                + "00000010  00000000 00000000 00000000 00000001 00000000 00000000 00000000 00000000 00000020 00000004 00000000\n";

        assertThat(NodeSnapshot.conntrackStats(tool)).containsEntry("insert_failed", 37L).containsEntry("drop", 4L)
                .containsEntry("invalid", 3L);
        assertThat(NodeSnapshot.procConntrackStats(proc)).containsEntry("insert_failed", 37L).containsEntry("drop", 4L)
                .containsEntry("invalid", 3L).doesNotContainKey("entries");
    }

    @Test
    void withoutConntrackToolOrEthtoolTheProcTableIsUsedAndTheGapNamed() {
        String output = "### conntrack-S\nconntrack: not found\n### nf_conntrack\n"
                + "entries  found invalid insert_failed drop early_drop\n0000000a 00000000 00000001 00000002 00000000 00000000\n"
                + "### conntrack_count\n10\n### conntrack_max\n262144\n### ethtool flannel.1\nsh: ethtool: not found\nethtool: not found\n";

        NodeSnapshot s = NodeSnapshot.parse("n2", Instant.EPOCH, output);

        assertThat(s.counters()).containsEntry("conntrack.insert_failed", 2L).containsEntry("conntrack.count", 10L);
        assertThat(s.unavailable()).anySatisfy(u -> assertThat(u).contains("flannel.1").contains("ethtool"));
    }

    @Test
    void flagsGrownRaceCountersAndChangedSettingsAndSaysWhere() throws IOException {
        NodeSnapshot before = NodeSnapshot.parse("n2", Instant.EPOCH, resource("snapshot-vxlan-netns.txt"));
        NodeSnapshot after = NodeSnapshot.parse("n2", Instant.EPOCH, resource("snapshot-vxlan-netns-after.txt"));

        List<NodeChange> changes = NodeChange.between("dns", before, after);

        assertThat(changes).filteredOn(NodeChange::flagged).extracting(NodeChange::describe)
                .anySatisfy(d -> assertThat(d).startsWith("insert_failed +37 on n2 during dns").contains("56903"))
                .anySatisfy(d -> assertThat(d).startsWith("invalid +3 on n2 during dns"))
                .anySatisfy(d -> assertThat(d).startsWith("vxlan0.tx-checksumming off → on on n2 during dns"));
        assertThat(NodeChange.between("dns", before, before)).isEmpty();
    }
}
