package io.netconform.probe;

import io.netconform.policy.Protocol;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A request to a "whoami" server (the Service backends of the services suite): the server answers
 * {@code whoami <pod> <client address it saw>}, so one probe tells which backend a Service picked and whether
 * the client's source address survived the way there (externalTrafficPolicy Local must preserve it).
 *
 * <p>TCP and UDP over IPv4, with socat; {@code sourcePort} pins the client's UDP source port, so that repeated
 * probes are one conntrack flow (the stale-conntrack case, kubernetes#48370). UDP without an answer is a TIMEOUT:
 * the server always answers, so silence means the datagram or its answer was lost.
 */
public record WhoamiProbe(Protocol protocol, String ip, int port, Duration timeout, Integer sourcePort)
        implements Probe {

    /** The line a whoami server prints: its pod name and the address the client came from. */
    public static final Pattern ANSWER = Pattern.compile("(?m)^whoami (\\S+) (\\S+)\\s*$");

    /** What a whoami server answered: which pod, and the client address it saw. */
    public record Answer(String pod, String peer) {
    }

    public static WhoamiProbe tcp(String ip, int port, Duration timeout) {
        return new WhoamiProbe(Protocol.TCP, ip, port, timeout, null);
    }

    public static WhoamiProbe udp(String ip, int port, Duration timeout) {
        return new WhoamiProbe(Protocol.UDP, ip, port, timeout, null);
    }

    /** UDP from a fixed source port: every probe is the same 5-tuple, so the same conntrack entry. */
    public static WhoamiProbe udpFrom(int sourcePort, String ip, int port, Duration timeout) {
        return new WhoamiProbe(Protocol.UDP, ip, port, timeout, sourcePort);
    }

    public WhoamiProbe {
        if (protocol == Protocol.SCTP) {
            throw new IllegalArgumentException("whoami servers answer TCP and UDP only");
        }
    }

    /** The answer in a probe's output, if the server answered. */
    public static Optional<Answer> answer(String output) {
        Matcher m = ANSWER.matcher(output == null ? "" : output);
        return m.find() ? Optional.of(new Answer(m.group(1), m.group(2))) : Optional.empty();
    }

    /** The socat line alone (no {@code sh -c}), for in-pod loops that run it many times. */
    public String socatLine() {
        long t = Text.seconds(timeout);
        String address = protocol == Protocol.TCP
                ? "TCP4:" + ip + ":" + port + ",connect-timeout=" + t
                : "UDP4:" + ip + ":" + port + (sourcePort == null ? "" : ",sourceport=" + sourcePort + ",reuseaddr");
        return "echo q | socat -t " + t + " -T " + t + " - " + address;
    }

    @Override
    public List<String> command() {
        return List.of("sh", "-c", socatLine());
    }

    @Override
    public Duration budget() {
        return Duration.ofSeconds(2 * Text.seconds(timeout));
    }

    @Override
    public Reading interpret(int exitCode, String output) {
        String tool = "socat " + protocol;
        Optional<Answer> answer = answer(output);
        if (answer.isPresent()) {
            return Reading.of(Verdict.ALLOWED, "answered by " + answer.get().pod() + ", which saw the client as "
                    + answer.get().peer());
        }
        Optional<Reading> failed = SocatEchoProbe.networkFailure(tool, output);
        if (failed.isPresent()) {
            return failed.get();
        }
        if (exitCode == 0 && output.isBlank()) {
            return protocol == Protocol.UDP
                    ? Reading.of(Verdict.TIMEOUT, tool + ": no answer within " + Text.seconds(timeout) + " s")
                    // a TCP connection came up and closed without the server's line: the server is what failed
                    : Reading.error(tool + ": connected but no whoami line; is the whoami server running?");
        }
        return Reading.unrecognised(tool, exitCode, output);
    }
}
