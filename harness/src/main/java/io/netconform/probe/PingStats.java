package io.netconform.probe;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The statistics block both iputils and busybox ping print at the end. */
record PingStats(int transmitted, int received, int errors, double lossPercent, Double rttMin, Double rttAvg,
                 Double rttMax) {

    private static final Pattern TRANSMITTED = Pattern.compile("(\\d+) packets transmitted, (\\d+) (?:packets )?received");
    private static final Pattern ERRORS = Pattern.compile(", \\+(\\d+) errors");
    private static final Pattern LOSS = Pattern.compile("([\\d.]+)% packet loss");
    // iputils: "rtt min/avg/max/mdev = a/b/c/d ms"; busybox: "round-trip min/avg/max = a/b/c ms"
    private static final Pattern RTT = Pattern.compile(
            "(?:rtt|round-trip) min/avg/max(?:/mdev)? = ([\\d.]+)/([\\d.]+)/([\\d.]+)");

    static Optional<PingStats> find(String output) {
        for (String line : output.split("\n")) {
            Matcher t = TRANSMITTED.matcher(line);
            if (!t.find()) {
                continue;
            }
            Matcher e = ERRORS.matcher(line);
            Matcher l = LOSS.matcher(line);
            Matcher r = RTT.matcher(output);
            boolean rtt = r.find();
            return Optional.of(new PingStats(Integer.parseInt(t.group(1)), Integer.parseInt(t.group(2)),
                    e.find() ? Integer.parseInt(e.group(1)) : 0,
                    l.find() ? Double.parseDouble(l.group(1)) : Double.NaN,
                    rtt ? Double.parseDouble(r.group(1)) : null,
                    rtt ? Double.parseDouble(r.group(2)) : null,
                    rtt ? Double.parseDouble(r.group(3)) : null));
        }
        return Optional.empty();
    }

    Map<String, Double> metrics() {
        Map<String, Double> m = new HashMap<>();
        m.put("transmitted", (double) transmitted);
        m.put("received", (double) received);
        if (!Double.isNaN(lossPercent)) {
            m.put("loss_percent", lossPercent);
        }
        if (rttAvg != null) {
            m.put("rtt_min_ms", rttMin);
            m.put("rtt_avg_ms", rttAvg);
            m.put("rtt_max_ms", rttMax);
        }
        return m;
    }

    String summary() {
        return received + "/" + transmitted + " replies, " + (Double.isNaN(lossPercent) ? "?" : fmt(lossPercent))
                + "% loss" + (rttAvg == null ? "" : ", rtt avg " + rttAvg + " ms");
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
