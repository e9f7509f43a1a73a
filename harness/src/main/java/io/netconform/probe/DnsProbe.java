package io.netconform.probe;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A DNS query with dig or nslookup; the verdict says whether the server answered, {@link DnsResult} says what. */
record DnsProbe(Tool tool, String server, String name, Duration timeout, boolean tcp) implements Probe {

    enum Tool { DIG, NSLOOKUP, BUSYBOX_NSLOOKUP }

    private static final Pattern QUERY_TIME = Pattern.compile(";; Query time: (\\d+) msec");

    DnsProbe {
        if (server == null && tool != Tool.DIG) {
            throw new IllegalArgumentException(tool + " needs a server; only dig +search uses the pod's resolv.conf");
        }
    }

    @Override
    public List<String> command() {
        long t = Text.seconds(timeout);
        List<String> argv = new ArrayList<>();
        switch (tool) {
            case DIG -> {
                argv.add("dig");
                argv.add(server == null ? "+search" : "@" + server);
                argv.addAll(List.of(name, "+time=" + t, "+tries=1"));
                if (tcp) {
                    argv.add("+tcp");
                }
            }
            case NSLOOKUP -> argv.addAll(List.of("nslookup", "-timeout=" + t, "-retry=0", name, server));
            case BUSYBOX_NSLOOKUP -> argv.addAll(List.of("timeout", Long.toString(t), "busybox", "nslookup", name, server));
        }
        return argv;
    }

    @Override
    public Duration budget() {
        return Duration.ofSeconds(Text.seconds(timeout) + 1);
    }

    @Override
    public Reading interpret(int exitCode, String output) {
        DnsResult dns = DnsResult.parse(exitCode, output);
        Map<String, Double> metrics = new HashMap<>();
        metrics.put("addresses", (double) dns.addresses().size());
        Matcher time = QUERY_TIME.matcher(output);
        if (time.find()) {
            metrics.put("query_time_ms", Double.parseDouble(time.group(1)));
        }
        return new Reading(dns.answer().verdict(), dns.answer() + ": " + dns.detail(), metrics);
    }
}
