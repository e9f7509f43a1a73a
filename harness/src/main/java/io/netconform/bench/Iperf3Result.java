package io.netconform.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.netconform.report.Json;

/**
 * What one {@code iperf3 -J} client run reported.
 *
 * <p>iperf3 exits 0 when it could not connect and puts the reason in the JSON {@code error} field, so
 * success is decided by that field, never by the exit code. A run that failed is a failed measurement
 * carrying the message, never a throughput of zero (zero would rank a broken path as merely slow).
 *
 * <p>TCP figures come from {@code end.sum_sent} / {@code end.sum_received}; UDP figures from
 * {@code end.sum}, which for {@code -u} carries {@code bits_per_second, jitter_ms, lost_packets,
 * packets, lost_percent}. Fields that do not apply to the protocol are {@code null}.
 */
public record Iperf3Result(String error, String protocol, Integer numStreams,
                           Double sentBitsPerSecond, Double receivedBitsPerSecond,
                           Long retransmits, Integer pmtu,
                           Double jitterMs, Long lostPackets, Long packets, Double lostPercent) {

    public static Iperf3Result failed(String error) {
        return new Iperf3Result(error, null, null, null, null, null, null, null, null, null, null);
    }

    public boolean ok() {
        return error == null;
    }

    public boolean udp() {
        return "UDP".equals(protocol);
    }

    /**
     * The throughput that arrived: the receiver's figure for TCP (what the application got), the
     * sender-side {@code end.sum} for UDP (loss is reported beside it, not subtracted).
     */
    public double bitsPerSecond() {
        if (!ok()) {
            throw new IllegalStateException("iperf3 run failed, it has no throughput: " + error);
        }
        return udp() ? sentBitsPerSecond : receivedBitsPerSecond;
    }

    /** Parses the stdout of {@code iperf3 -c … -J}; plain-text output (no {@code -J}) is understood for its error line. */
    public static Iperf3Result parse(String output) {
        String text = output == null ? "" : output.strip();
        if (text.isEmpty()) {
            return failed("iperf3 printed nothing (expected its -J JSON report)");
        }
        if (!text.startsWith("{")) {
            return failed(plainTextError(text));
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return failed("iperf3 output is not valid JSON (" + e.getOriginalMessage() + "): " + abbreviate(text));
        }
        JsonNode error = root.path("error");
        if (error.isTextual() && !error.asText().isBlank()) {
            return failed(error.asText());
        }
        JsonNode end = root.path("end");
        String protocol = root.path("start").path("test_start").path("protocol").asText(null);
        Integer streams = intOrNull(root.path("start").path("test_start").path("num_streams"));
        JsonNode sum = end.path("sum");
        boolean udp = "UDP".equalsIgnoreCase(protocol) || (protocol == null && sum.has("jitter_ms"));
        if (udp) {
            if (!sum.path("bits_per_second").isNumber()) {
                return failed("iperf3 UDP report has no end.sum.bits_per_second: " + abbreviate(text));
            }
            return new Iperf3Result(null, "UDP", streams, sum.path("bits_per_second").asDouble(), null, null, null,
                    doubleOrNull(sum.path("jitter_ms")), longOrNull(sum.path("lost_packets")),
                    longOrNull(sum.path("packets")), doubleOrNull(sum.path("lost_percent")));
        }
        JsonNode sent = end.path("sum_sent");
        JsonNode received = end.path("sum_received");
        if (!sent.path("bits_per_second").isNumber() || !received.path("bits_per_second").isNumber()) {
            return failed("iperf3 TCP report has no end.sum_sent/sum_received bits_per_second: " + abbreviate(text));
        }
        return new Iperf3Result(null, "TCP", streams, sent.path("bits_per_second").asDouble(),
                received.path("bits_per_second").asDouble(), longOrNull(sent.path("retransmits")), pmtu(root),
                null, null, null, null);
    }

    /** The path MTU the kernel reported for the first stream (Linux only; absent elsewhere). */
    private static Integer pmtu(JsonNode root) {
        for (JsonNode interval : root.path("intervals")) {
            for (JsonNode stream : interval.path("streams")) {
                if (stream.path("pmtu").isNumber()) {
                    return stream.path("pmtu").asInt();
                }
            }
        }
        return null;
    }

    private static String plainTextError(String text) {
        for (String line : text.split("\\R")) {
            int at = line.indexOf("error - ");
            if (line.startsWith("iperf3:") && at >= 0) {
                return line.substring(at + "error - ".length()).strip();
            }
        }
        return "iperf3 output is not JSON (was -J given?): " + abbreviate(text);
    }

    private static String abbreviate(String text) {
        String oneLine = text.replaceAll("\\s+", " ");
        return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "…";
    }

    private static Integer intOrNull(JsonNode node) {
        return node.isNumber() ? node.asInt() : null;
    }

    private static Long longOrNull(JsonNode node) {
        return node.isNumber() ? node.asLong() : null;
    }

    private static Double doubleOrNull(JsonNode node) {
        return node.isNumber() ? node.asDouble() : null;
    }
}
