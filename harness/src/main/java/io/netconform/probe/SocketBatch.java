package io.netconform.probe;

import io.netconform.exec.ExecResult;
import io.netconform.policy.Protocol;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Runs a pod's TCP connect and UDP echo probes in ONE process inside the pod: a perl script (resource
 * {@code socket-batch.pl}) with non-blocking sockets and select(). The shell {@link BatchScript} starts a tool per probe,
 * and on a small node ~10 ms of process start per probe (plus one per connection on the echo servers) is what
 * loaded the nodes until probes timed out; this costs one process per pod however many probes it carries.
 *
 * <p>perl is in netshoot and is Essential in Debian images (perl-base); where it is missing the script exits
 * {@value #NO_PERL} and the caller falls back to the shell batch.
 */
final class SocketBatch {

    /** The exit code of the wrapper when the pod has no perl. */
    static final int NO_PERL = 96;
    /** Time allowed per probe on top of the longest timeout: setting up a socket is cheap, unlike starting a tool. */
    static final Duration PER_PROBE = Duration.ofMillis(10);

    private static final String MARKER = "@@NP";
    private static final String SCRIPT = io.netconform.exec.PerlScript.load(SocketBatch.class, "socket-batch.pl");
    // the same words nc and socat are read by: an ICMP unreachable or a reject is as refused as a RST
    private static final Pattern REFUSED = Pattern.compile(
            "Connection refused|No route to host|Host is unreachable|Network is unreachable");

    private SocketBatch() {
    }

    /** A probe's outcome as the script reports it. */
    record Outcome(Verdict verdict, String detail, Duration elapsed, String line) {
    }

    /** The argv: a sh wrapper that exits {@value #NO_PERL} without perl, then the script with the checks. */
    static List<String> command(List<SocketCheck> checks, Duration limit) {
        List<String> argv = new ArrayList<>(List.of("sh", "-c",
                "command -v perl >/dev/null 2>&1 || exit " + NO_PERL + "; exec perl -e \"$0\" \"$@\"", SCRIPT,
                Long.toString(Math.max(1, (limit.toMillis() + 999) / 1000))));
        for (int i = 0; i < checks.size(); i++) {
            SocketCheck c = checks.get(i);
            argv.addAll(List.of(Integer.toString(i), c.protocol() == Protocol.TCP ? "tcp" : "udp", c.ip(),
                    Integer.toString(c.port()), Long.toString(Text.seconds(c.timeout())), c.token()));
        }
        return argv;
    }

    /** The outcomes found in the script's output, by index; a probe the script never reported is absent. */
    static Map<Integer, Outcome> parse(ExecResult exec, List<SocketCheck> checks) {
        Map<Integer, Outcome> outcomes = new HashMap<>();
        String stdout = exec.stdout() == null ? "" : exec.stdout();
        for (String line : stdout.split("\n")) {
            String[] f = line.split(" ", 5);
            if (f.length < 4 || !f[0].equals(MARKER) || !f[1].matches("\\d{1,6}")
                    || !f[3].matches("\\d{1,6}\\.\\d{2}")) {
                continue;
            }
            int i = Integer.parseInt(f[1]);
            if (i >= checks.size()) {
                continue;
            }
            SocketCheck check = checks.get(i);
            String why = f.length == 5 ? f[4].trim() : "";
            Duration elapsed = Duration.ofMillis(Math.round(Double.parseDouble(f[3]) * 1000));
            String what = check.protocol() == Protocol.TCP ? "tcp connect" : "udp echo";
            Outcome outcome = switch (f[2]) {
                case "ok" -> new Outcome(Verdict.ALLOWED, what + ": " + why, elapsed, line);
                case "timeout" -> new Outcome(Verdict.TIMEOUT, what + ": timed out after "
                        + Text.seconds(check.timeout()) + " s", elapsed, line);
                case "err" -> new Outcome(REFUSED.matcher(why).find() ? Verdict.REFUSED : Verdict.ERROR,
                        what + ": " + why, elapsed, line);
                default -> null;
            };
            if (outcome != null) {
                outcomes.put(i, outcome);
            }
        }
        return outcomes;
    }
}
