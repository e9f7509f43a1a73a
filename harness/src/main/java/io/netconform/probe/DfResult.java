package io.netconform.probe;

import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A don't-fragment ping read as a path-MTU observation.
 *
 * @param outcome what happened to the packet
 * @param mtu     the MTU an error named (local route or the hop), when one did
 * @param detail  one line of evidence
 */
public record DfResult(DfOutcome outcome, OptionalInt mtu, String detail) {

    private static final Pattern HOP = Pattern.compile(
            "Frag needed and DF set \\(mtu = (\\d+)\\)|Packet too big: ?mtu ?[=:]? ?(\\d+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern LOCAL = Pattern.compile("message too long, mtu\\s*[=:]\\s*(\\d+)");

    /** Re-reads a {@link Probe#dfPing} result; an exec failure stays an ERROR. */
    public static DfResult of(ProbeResult result) {
        if (result.exitCode() < 0) {
            return new DfResult(DfOutcome.ERROR, OptionalInt.empty(), result.detail());
        }
        return parse(result.exitCode(), result.output());
    }

    static DfResult parse(int exitCode, String output) {
        if (output.contains("invalid option -- 'M'") || output.contains("BusyBox")) {
            return new DfResult(DfOutcome.ERROR, OptionalInt.empty(),
                    "busybox ping cannot set don't-fragment; use netshoot (" + Text.firstLine(output) + ")");
        }
        Matcher hop = HOP.matcher(output);
        // a hop's message outranks the local error that follows it: the kernel learnt the smaller MTU from the hop
        if (hop.find()) {
            String mtu = hop.group(1) != null ? hop.group(1) : hop.group(2);
            return new DfResult(DfOutcome.REFUSED_BY_HOP, OptionalInt.of(Integer.parseInt(mtu)),
                    "a hop needs fragmentation: " + Text.lineMatching(HOP, output).orElseThrow());
        }
        Matcher local = LOCAL.matcher(output);
        if (local.find()) {
            return new DfResult(DfOutcome.REFUSED_LOCALLY, OptionalInt.of(Integer.parseInt(local.group(1))),
                    "the source pod refused it: " + Text.lineMatching(LOCAL, output).orElseThrow());
        }
        Probe.Reading reading = PingProbe.read("DF ping", exitCode, output);
        return switch (reading.verdict()) {
            case ALLOWED -> new DfResult(DfOutcome.PASSED, OptionalInt.empty(), reading.detail());
            case TIMEOUT -> new DfResult(DfOutcome.SILENTLY_DROPPED, OptionalInt.empty(),
                    "no reply and no error (PMTU black hole?): " + reading.detail());
            default -> new DfResult(DfOutcome.ERROR, OptionalInt.empty(), reading.detail());
        };
    }
}
