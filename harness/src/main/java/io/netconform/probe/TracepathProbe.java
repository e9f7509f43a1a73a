package io.netconform.probe;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code tracepath -n ip}: the path MTU the kernel discovered hop by hop. */
record TracepathProbe(String ip) implements Probe {

    private static final Pattern RESUME = Pattern.compile("Resume: pmtu (\\d+)(?: hops (\\d+))?(?: back (\\d+))?");
    /** A hop's ICMP unreachable: {@code !N} network, {@code !H} host, {@code !P} protocol, {@code !A} prohibited. */
    private static final Pattern UNREACHABLE = Pattern.compile("^\\s*\\d+:\\s+(\\S+)\\s.*\\s!([NHPA])\\s*$", Pattern.MULTILINE);

    @Override
    public List<String> command() {
        return List.of("tracepath", "-n", ip);
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
