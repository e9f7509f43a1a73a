package io.netconform.probe;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** TCP connect with OpenBSD netcat (netshoot): {@code nc -z -v -w T ip port}. */
record NcProbe(String ip, int port, Duration timeout) implements Probe {

    private static final Pattern SUCCEEDED = Pattern.compile("succeeded!|\\bopen\\b");
    // "Network is unreachable": an ICMP net-unreachable from a router or a REJECT rule, as actively refused as an RST
    private static final Pattern REFUSED = Pattern.compile(
            "Connection refused|No route to host|Host is unreachable|Network is unreachable");
    private static final Pattern TIMED_OUT = Pattern.compile("timed out");

    @Override
    public List<String> command() {
        return List.of("nc", "-z", "-v", "-w", Long.toString(Text.seconds(timeout)), ip, Integer.toString(port));
    }

    @Override
    public Optional<SocketCheck> socketCheck() {
        return Optional.of(new SocketCheck(io.netconform.policy.Protocol.TCP, ip, port, timeout, "-"));
    }

    @Override
    public Duration budget() {
        return Duration.ofSeconds(Text.seconds(timeout));
    }

    @Override
    public Reading interpret(int exitCode, String output) {
        if (output.contains("invalid option -- 'z'")) {
            return Reading.error("this nc has no -z (busybox nc); probe TCP from netshoot: " + Text.firstLine(output));
        }
        if (exitCode == 0 && SUCCEEDED.matcher(output).find()) {
            return Reading.of(Verdict.ALLOWED, "nc: " + Text.firstLine(output));
        }
        Optional<String> refused = Text.lineMatching(REFUSED, output);
        if (refused.isPresent()) {
            return Reading.of(Verdict.REFUSED, "nc: " + refused.get());
        }
        Optional<String> timedOut = Text.lineMatching(TIMED_OUT, output);
        if (timedOut.isPresent()) {
            return Reading.of(Verdict.TIMEOUT, "nc: " + timedOut.get());
        }
        return Reading.unrecognised("nc", exitCode, output);
    }
}
