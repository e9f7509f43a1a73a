package io.netconform.probe;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** HTTP GET with curl; the verdict comes from curl's exit code, which names the failure (7 refused, 28 timeout). */
record CurlProbe(String ip, int port, Duration timeout) implements Probe {

    private static final Pattern HTTP_CODE = Pattern.compile("^(\\d{3})$", Pattern.MULTILINE);
    private static final Pattern CURL_ERROR = Pattern.compile("curl: \\(\\d+\\).*");

    @Override
    public List<String> command() {
        return List.of("curl", "-sS", "-m", Long.toString(Text.seconds(timeout)), "-o", "/dev/null", "-w", "%{http_code}",
                "http://" + Text.host(ip) + ":" + port + "/");
    }

    @Override
    public Duration budget() {
        return Duration.ofSeconds(Text.seconds(timeout));
    }

    @Override
    public Reading interpret(int exitCode, String output) {
        String error = Text.find(CURL_ERROR, output).map(Matcher::group).orElse(Text.firstLine(output));
        return switch (exitCode) {
            case 0 -> {
                Matcher code = HTTP_CODE.matcher(output);
                yield code.find()
                        ? new Reading(Verdict.ALLOWED, "HTTP " + code.group(1),
                                Map.of("http_code", Double.parseDouble(code.group(1))))
                        : Reading.unrecognised("curl", exitCode, output);
            }
            case 7 -> Reading.of(Verdict.REFUSED, "curl exit 7: " + error);
            case 28 -> Reading.of(Verdict.TIMEOUT, "curl exit 28: " + error);
            default -> Reading.error("curl exit " + exitCode + ": " + error);
        };
    }
}
