package io.netconform.node;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one node's kernel said at one moment: counters that only grow (conntrack statistics, IP/ICMP/TcpExt counters)
 * and settings that should not change during a run (rp_filter, interface and route MTUs, checksum offload of VXLAN
 * devices). Read from one script run in a privileged hostNetwork pod; {@link #parse} is pure, so recorded outputs
 * are enough to test it.
 *
 * @param node        the node
 * @param at          when the script ran (harness clock)
 * @param counters    e.g. {@code conntrack.insert_failed}, {@code kernel.TcpExtIPReversePathFilter}
 * @param settings    e.g. {@code rp_filter.eth0 = 1}, {@code mtu.eth0 = 1500}, {@code offload.vxlan0.tx-checksumming = on}
 * @param unavailable what could not be read, and why (a tool missing from the image)
 */
public record NodeSnapshot(String node, Instant at, Map<String, Long> counters, Map<String, String> settings,
                           List<String> unavailable) {

    public NodeSnapshot {
        counters = Map.copyOf(counters);
        settings = Map.copyOf(settings);
        unavailable = List.copyOf(unavailable);
    }

    /**
     * The script: one section per source, each headed {@code ### name}. {@code conntrack -S} where the tool exists,
     * else the kernel's own per-CPU table; /proc/net/snmp and /proc/net/netstat rather than {@code nstat}, which
     * keeps history files and prints deltas since its last call.
     */
    public static final String SCRIPT = String.join("\n",
            "echo '### conntrack-S'; conntrack -S 2>/dev/null || echo 'conntrack: not found'",
            "echo '### nf_conntrack'; cat /proc/net/stat/nf_conntrack 2>&1",
            "echo '### conntrack_count'; cat /proc/sys/net/netfilter/nf_conntrack_count 2>&1",
            "echo '### conntrack_max'; cat /proc/sys/net/netfilter/nf_conntrack_max 2>&1",
            "echo '### snmp'; cat /proc/net/snmp",
            "echo '### netstat'; cat /proc/net/netstat",
            "echo '### rp_filter'; grep -H . /proc/sys/net/ipv4/conf/*/rp_filter",
            "echo '### links'; ip -o link",
            "echo '### routes'; ip route show table all",
            "for d in $(ip -o link show type vxlan 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1); do",
            "  echo \"### ethtool $d\"; ethtool -k \"$d\" 2>&1 || echo 'ethtool: not found'",
            "done");

    private static final Pattern SECTION = Pattern.compile("(?m)^### (.+)$");
    private static final Pattern KEY_VALUE = Pattern.compile("(\\w+)=(\\d+)");
    private static final Pattern LINK = Pattern.compile("^\\d+: ([^:@\\s]+)(?:@\\S+)?: <[^>]*> mtu (\\d+)");
    private static final Pattern RP_FILTER = Pattern.compile("^/proc/sys/net/ipv4/conf/([^/]+)/rp_filter:(\\d+)$");
    private static final Pattern ROUTE_MTU = Pattern.compile("\\smtu (?:lock )?(\\d+)");
    private static final Pattern FEATURE = Pattern.compile("^\\s*([\\w-]*(?:checksum|csum)[\\w-]*): (on|off)(.*)$");

    /** The conntrack statistics whose growth means dropped or mangled connections. */
    static final List<String> CONNTRACK_STATS = List.of("insert_failed", "drop", "early_drop", "invalid");

    /** The kernel counters that matter for pod networking, as {@code nstat} names them. */
    static final List<String> KERNEL_COUNTERS = List.of("TcpExtIPReversePathFilter", "IpReasmFails", "IpFragFails",
            "IpFragCreates", "IcmpInDestUnreachs", "IcmpOutDestUnreachs", "IcmpMsgInType3", "IcmpMsgOutType3");

    public static NodeSnapshot parse(String node, Instant at, String output) {
        Map<String, String> sections = sections(output);
        Map<String, Long> counters = new LinkedHashMap<>();
        Map<String, String> settings = new LinkedHashMap<>();
        List<String> unavailable = new ArrayList<>();
        Map<String, Long> stats = conntrackStats(sections.getOrDefault("conntrack-S", ""));
        if (stats.isEmpty()) {
            stats = procConntrackStats(sections.getOrDefault("nf_conntrack", ""));
        }
        if (stats.isEmpty()) {
            unavailable.add("conntrack statistics: neither `conntrack -S` nor /proc/net/stat/nf_conntrack readable");
        }
        for (String stat : CONNTRACK_STATS) {
            if (stats.containsKey(stat)) {
                counters.put("conntrack." + stat, stats.get(stat));
            }
        }
        number(sections.get("conntrack_count")).ifPresentOrElse(n -> counters.put("conntrack.count", n),
                () -> unavailable.add("conntrack count: /proc/sys/net/netfilter/nf_conntrack_count not readable"));
        number(sections.get("conntrack_max")).ifPresent(n -> counters.put("conntrack.max", n));
        Map<String, Long> kernel = new LinkedHashMap<>(snmp(sections.getOrDefault("snmp", "")));
        kernel.putAll(snmp(sections.getOrDefault("netstat", "")));
        for (String name : KERNEL_COUNTERS) {
            if (kernel.containsKey(name)) {
                counters.put("kernel." + name, kernel.get(name));
            }
        }
        for (String line : lines(sections.get("rp_filter"))) {
            Matcher m = RP_FILTER.matcher(line);
            if (m.matches()) {
                settings.put("rp_filter." + m.group(1), m.group(2));
            }
        }
        for (String line : lines(sections.get("links"))) {
            Matcher m = LINK.matcher(line);
            if (m.find()) {
                settings.put("mtu." + m.group(1), m.group(2));
            }
        }
        for (String line : lines(sections.get("routes"))) {
            Matcher m = ROUTE_MTU.matcher(line);
            if (m.find()) {
                settings.put("route mtu: " + line.substring(0, m.start()).strip(), m.group(1));
            }
        }
        sections.forEach((name, body) -> {
            if (name.startsWith("ethtool ")) {
                String device = name.substring("ethtool ".length());
                if (body.contains("ethtool: not found")) {
                    unavailable.add("checksum offload of " + device + ": ethtool is not in the image");
                }
                settings.putAll(offload(device, body));
            }
        });
        return new NodeSnapshot(node, at, counters, settings, unavailable);
    }

    static Map<String, String> sections(String output) {
        Map<String, String> sections = new LinkedHashMap<>();
        Matcher m = SECTION.matcher(output);
        String name = null;
        int start = 0;
        while (m.find()) {
            if (name != null) {
                sections.put(name, output.substring(start, m.start()));
            }
            name = m.group(1).strip();
            start = m.end();
        }
        if (name != null) {
            sections.put(name, output.substring(start));
        }
        return sections;
    }

    /** {@code conntrack -S}: one line per CPU of {@code key=value}; the node's figure is the sum. */
    static Map<String, Long> conntrackStats(String text) {
        Map<String, Long> sums = new LinkedHashMap<>();
        for (String line : lines(text)) {
            if (!line.startsWith("cpu=")) {
                continue;
            }
            Matcher m = KEY_VALUE.matcher(line);
            while (m.find()) {
                if (!m.group(1).equals("cpu")) {
                    sums.merge(m.group(1), Long.parseLong(m.group(2)), Long::sum);
                }
            }
        }
        return sums;
    }

    /** /proc/net/stat/nf_conntrack: a header of names, then one row of hex values per CPU; summed, except entries. */
    static Map<String, Long> procConntrackStats(String text) {
        List<String> rows = lines(text);
        Map<String, Long> sums = new LinkedHashMap<>();
        if (rows.isEmpty() || !rows.get(0).startsWith("entries")) {
            return sums;
        }
        String[] names = rows.get(0).trim().split("\\s+");
        for (String row : rows.subList(1, rows.size())) {
            String[] values = row.trim().split("\\s+");
            for (int i = 0; i < Math.min(names.length, values.length); i++) {
                if (values[i].matches("[0-9a-fA-F]+") && !names[i].equals("entries")) {
                    sums.merge(names[i], Long.parseLong(values[i], 16), Long::sum);
                }
            }
        }
        return sums;
    }

    /** /proc/net/snmp and /proc/net/netstat: pairs of lines "Prefix: names…" / "Prefix: values…", named like nstat. */
    static Map<String, Long> snmp(String text) {
        Map<String, Long> counters = new LinkedHashMap<>();
        List<String> rows = lines(text);
        for (int i = 0; i + 1 < rows.size(); i += 2) {
            String[] names = rows.get(i).trim().split("\\s+");
            String[] values = rows.get(i + 1).trim().split("\\s+");
            if (names.length != values.length || !names[0].equals(values[0]) || !names[0].endsWith(":")) {
                continue;
            }
            String prefix = names[0].substring(0, names[0].length() - 1);
            for (int j = 1; j < names.length; j++) {
                if (values[j].matches("-?\\d+")) {
                    counters.put(prefix + names[j], Long.parseLong(values[j]));
                }
            }
        }
        return counters;
    }

    /** {@code ethtool -k}: the checksum-related features, e.g. {@code offload.vxlan0.tx-checksumming = on}. */
    static Map<String, String> offload(String device, String text) {
        Map<String, String> features = new LinkedHashMap<>();
        for (String line : lines(text)) {
            Matcher m = FEATURE.matcher(line);
            if (m.matches()) {
                features.put("offload." + device + "." + m.group(1), m.group(2) + (m.group(3).contains("fixed")
                        ? " [fixed]" : ""));
            }
        }
        return features;
    }

    private static java.util.Optional<Long> number(String text) {
        if (text == null || !text.strip().matches("\\d+")) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(Long.parseLong(text.strip()));
    }

    private static List<String> lines(String text) {
        return text == null ? List.of() : text.lines().filter(l -> !l.isBlank()).toList();
    }
}
