package io.netconform.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One thing that changed on a node between two snapshots, attributed to what ran in between ({@code phase}: a suite,
 * or "run" for the whole run). {@code flagged}: a change a person should look at — a counter of drops or races that
 * grew, or a setting that changed under the run's feet.
 *
 * @param delta   after − before for counters; 0 for settings
 * @param meaning why it matters, in a few words
 */
public record NodeChange(String node, String phase, String key, String before, String after, long delta,
                         boolean flagged, String meaning) {

    /** Counters whose growth is a finding, and what growth means. */
    static final Map<String, String> FLAGGED = Map.of(
            "conntrack.insert_failed", "conntrack insert races, e.g. parallel DNS A/AAAA over UDP (the 5-second DNS "
                    + "delay, kubernetes#56903)",
            "conntrack.drop", "packets dropped because conntrack could not add an entry (table full)",
            "conntrack.early_drop", "conntrack entries evicted to make room (table full)",
            "conntrack.invalid", "packets conntrack could not match to a flow (asymmetric routing, out-of-window TCP)",
            "kernel.TcpExtIPReversePathFilter", "packets dropped by rp_filter (asymmetric routing)",
            "kernel.IpReasmFails", "IP fragments that could not be reassembled",
            "kernel.IpFragFails", "packets that had to be fragmented but could not be (DF set)");

    static final Map<String, String> INFORMATIVE = Map.of(
            "conntrack.count", "conntrack entries in use",
            "kernel.IcmpInDestUnreachs", "ICMP destination-unreachable received (frag-needed is one of its codes; "
                    + "the kernel does not count it alone)",
            "kernel.IcmpOutDestUnreachs", "ICMP destination-unreachable sent (frag-needed is one of its codes)",
            "kernel.IpFragCreates", "fragments created");

    /** One line a person reads: {@code insert_failed +37 on n2 during dns}. */
    public String describe() {
        String what = key.substring(key.indexOf('.') + 1);
        String change = delta != 0 ? String.format("%+d", delta) : before + " → " + after;
        return what + " " + change + " on " + node + " during " + phase + " (" + meaning + ")";
    }

    /** What changed from {@code before} to {@code after} of one node; settings present in only one are ignored. */
    public static List<NodeChange> between(String phase, NodeSnapshot before, NodeSnapshot after) {
        List<NodeChange> changes = new ArrayList<>();
        after.counters().forEach((key, now) -> {
            Long was = before.counters().get(key);
            if (was == null || was.equals(now) || key.equals("conntrack.max")) {
                return;
            }
            long delta = now - was;
            if (FLAGGED.containsKey(key)) {
                changes.add(new NodeChange(after.node(), phase, key, was.toString(), now.toString(), delta, delta > 0,
                        FLAGGED.get(key)));
            } else if (key.equals("conntrack.count")) {
                Long max = after.counters().get("conntrack.max");
                boolean nearlyFull = max != null && max > 0 && now * 10 >= max * 9;
                changes.add(new NodeChange(after.node(), phase, key, was.toString(), now.toString(), delta, nearlyFull,
                        nearlyFull ? "conntrack table at least 90 % full (max " + max + ")" : INFORMATIVE.get(key)));
            } else {
                changes.add(new NodeChange(after.node(), phase, key, was.toString(), now.toString(), delta, false,
                        INFORMATIVE.getOrDefault(key, key)));
            }
        });
        after.settings().forEach((key, now) -> {
            String was = before.settings().get(key);
            if (was != null && !Objects.equals(was, now)) {
                changes.add(new NodeChange(after.node(), phase, key, was, now, 0, true,
                        "a node setting changed during the run"));
            }
        });
        return changes;
    }
}
