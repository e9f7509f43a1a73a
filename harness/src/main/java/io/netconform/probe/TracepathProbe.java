package io.netconform.probe;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code tracepath [-6] -n ip}: the path MTU the kernel discovered hop by hop. */
record TracepathProbe(String ip) implements Probe {

    private static final Pattern RESUME = Pattern.compile("Resume: pmtu (\\d+)(?: hops (\\d+))?(?: back (\\d+))?");
    /** A hop's ICMP unreachable: {@code !N} network, {@code !H} host, {@code !P} protocol, {@code !A} prohibited. */
    private static final Pattern UNREACHABLE = Pattern.compile("^\\s*\\d+:\\s+(\\S+)\\s.*\\s!([NHPA])\\s*$", Pattern.MULTILINE);

    /** {@code -6} for an IPv6 literal: older iputils tracepath treats IPv6 as a separate program (tracepath6). */
    @Override
    public List<String> command() {
        return Text.isIpv6(ip) ? List.of("tracepath", "-6", "-n", ip) : List.of("tracepath", "-n", ip);
    }

    @Override
    public Duration budget() {
        // tracepath has no overall timeout option; 30 hops is its default limit
        return Duration.ofSeconds(30);
    }

    @Override
    public Reading interpret(int exitCode, String output) {
        Matcher m = RESUME.matcher(output);
        if (!m.find()) {
            return Reading.unrecognised("tracepath", exitCode, output);
        }
        Map<String, Double> metrics = new HashMap<>();
        metrics.put("pmtu", Double.parseDouble(m.group(1)));
        if (m.group(2) != null) {
            metrics.put("hops", Double.parseDouble(m.group(2)));
        }
        boolean reached = output.contains(" reached");
        Matcher unreachable = UNREACHABLE.matcher(output);
        if (!reached && unreachable.find()) {
            return new Reading(Verdict.REFUSED, unreachable.group(1) + " answered unreachable (!" + unreachable.group(2)
                    + ") for " + ip + ", " + m.group().strip(), metrics);
        }
        return new Reading(reached ? Verdict.ALLOWED : Verdict.TIMEOUT,
                (reached ? "reached" : "did not reach") + " " + ip + ", " + m.group().strip(), metrics);
    }
}
