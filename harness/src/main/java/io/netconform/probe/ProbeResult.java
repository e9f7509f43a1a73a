package io.netconform.probe;

import java.time.Duration;
import java.util.Map;

/**
 * The outcome of one probe, with everything a person needs to believe or repeat it.
 *
 * @param verdict   what was observed
 * @param detail    one human line on why this verdict (e.g. "curl exit 28: Connection timed out after 1001 ms")
 * @param output    the raw output the verdict was read from (stdout + stderr)
 * @param exitCode  the command's exit code, or -1 when it has none (exec failure)
 * @param elapsed   how long the probe took inside the pod (or the exec, when it failed)
 * @param reproduce the exact {@code kubectl exec ...} line that repeats the probe
 * @param metrics   numbers read from the output (e.g. rtt_avg_ms, loss_percent, pmtu); empty when none
 */
public record ProbeResult(Verdict verdict, String detail, String output, int exitCode, Duration elapsed,
                          String reproduce, Map<String, Double> metrics) {

    public ProbeResult {
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
        output = output == null ? "" : output;
    }

    @Override
    public String toString() {
        return verdict + " (" + detail + ")";
    }
}
