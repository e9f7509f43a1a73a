package io.netconform.probe;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Commands and parsers for the MTU a pod is configured with (interface and route), as opposed to the path's. */
public final class LinkMtu {

    // "2: eth0@if5: <BROADCAST,...> mtu 1450 qdisc ..." in both `ip link` and `ip addr`, with or without -o / -d
    private static final Pattern LINK = Pattern.compile("^\\d+: ([^:@\\s]+)(?:@\\S+)?: <[^>]*> mtu (\\d+)", Pattern.MULTILINE);
    private static final Pattern ROUTE_MTU = Pattern.compile("\\bmtu (?:lock )?(\\d+)");

    private LinkMtu() {
    }

    public static List<String> linkCommand(String device) {
        return List.of("ip", "-o", "link", "show", "dev", device);
    }

    public static List<String> sysfsCommand(String device) {
        return List.of("cat", "/sys/class/net/" + device + "/mtu");
    }

    public static List<String> routeCommand(String ip) {
        return List.of("ip", "route", "get", ip);
    }

    /** Interface name to MTU, in the order {@code ip link}/{@code ip addr} listed them. */
    public static Map<String, Integer> interfaces(String ipLinkOutput) {
        Map<String, Integer> mtus = new LinkedHashMap<>();
        Matcher m = LINK.matcher(ipLinkOutput);
        while (m.find()) {
            mtus.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        return mtus;
    }

    /** The MTU of the one interface {@code ip -o link show dev X} printed. */
    public static OptionalInt linkMtu(String ipLinkOutput) {
        return interfaces(ipLinkOutput).values().stream().mapToInt(Integer::intValue).findFirst();
    }

    /** {@code cat /sys/class/net/X/mtu}: a single number, anything else is no answer. */
    public static OptionalInt sysfsMtu(String output) {
        String trimmed = output.strip();
        return trimmed.matches("\\d+") ? OptionalInt.of(Integer.parseInt(trimmed)) : OptionalInt.empty();
    }

    /** A route's own MTU ({@code mtu N} or {@code mtu lock N}); empty when the route does not set one. */
    public static OptionalInt routeMtu(String ipRouteOutput) {
        Matcher m = ROUTE_MTU.matcher(ipRouteOutput);
        return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }
}
