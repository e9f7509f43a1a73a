package io.netconform.probe;

import io.netconform.policy.Protocol;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Request/response over UDP or SCTP against an echo server (the netshoot server pods run one per port): a unique token goes out and must
 * come back. Only an echo proves UDP got through ({@code nc -zu} reports a filtered port as open).
 */
record SocatEchoProbe(Protocol protocol, String ip, int port, Duration timeout, String token) implements Probe {

    /** What the kernel says when it has no SCTP (no sctp module) or the address family is missing. */
    static final Pattern UNSUPPORTED = Pattern.compile("Protocol not supported|Address family not supported");
    private static final Pattern REFUSED = Pattern.compile(
            "Connection refused|No route to host|Host is unreachable|Network is unreachable");
    private static final Pattern TIMED_OUT = Pattern.compile("timed out");

    static SocatEchoProbe udp(String ip, int port, Duration timeout) {
        return new SocatEchoProbe(Protocol.UDP, ip, port, timeout, newToken());
    }

    static SocatEchoProbe sctp(String ip, int port, Duration timeout) {
        return new SocatEchoProbe(Protocol.SCTP, ip, port, timeout, newToken());
    }

    private static String newToken() {
        return "nc-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }

    /** What socat says when the network refused or dropped it: REFUSED or TIMEOUT with socat's own line. */
    static Optional<Reading> networkFailure(String tool, String output) {
        Optional<String> refused = Text.lineMatching(REFUSED, output);
        if (refused.isPresent()) {
            return Optional.of(Reading.of(Verdict.REFUSED, tool + ": " + refused.get()));
        }
        return Text.lineMatching(TIMED_OUT, output).map(line -> Reading.of(Verdict.TIMEOUT, tool + ": " + line));
    }

    @Override
    public List<String> command() {
        long t = Text.seconds(timeout);
        String address = protocol + ":" + Text.host(ip) + ":" + port;
        if (protocol == Protocol.SCTP) {
            // without connect-timeout an unanswered SCTP INIT waits for the kernel's retries (minutes)
            address += ",connect-timeout=" + t;
        }
        // -t: after stdin's EOF socat would otherwise give the echo only 0.5 s to come back
        return List.of("sh", "-c", "echo " + token + " | socat -t " + t + " -T " + t + " - " + address);
    }

    @Override
    public Optional<SocketCheck> socketCheck() {
        return protocol == Protocol.UDP ? Optional.of(new SocketCheck(protocol, ip, port, timeout, token))
                : Optional.empty();
    }

    @Override
    public Duration budget() {
        return Duration.ofSeconds(2 * Text.seconds(timeout));
    }

    @Override
    public Reading interpret(int exitCode, String output) {
        String tool = "socat " + protocol;
        if (output.contains(token)) {
            return Reading.of(Verdict.ALLOWED, tool + ": token echoed back");
        }
        Optional<String> unsupported = Text.lineMatching(UNSUPPORTED, output);
        if (unsupported.isPresent()) {
            return Reading.error(protocol + " not supported by the kernel/CNI: " + unsupported.get());
        }
        Optional<Reading> failed = networkFailure(tool, output);
        if (failed.isPresent()) {
            return failed.get();
        }
        if (exitCode == 0 && output.isBlank()) {
            return protocol == Protocol.UDP
                    ? Reading.of(Verdict.TIMEOUT, tool + ": no echo within " + Text.seconds(timeout) + " s")
                    // an SCTP association came up, so the network let it through: the server is what failed
                    : Reading.error(tool + ": association set up but nothing echoed; is the echo server running?");
        }
        return Reading.unrecognised(tool, exitCode, output);
    }
}
