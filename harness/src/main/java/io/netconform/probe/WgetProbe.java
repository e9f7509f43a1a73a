package io.netconform.probe;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * HTTP GET from a busybox pod: {@code timeout T busybox wget -O - url}. Never {@code wget -T}: Debian's
 * busybox is built without it and segfaults (exit 139), so the coreutils/busybox {@code timeout} wrapper
 * bounds the probe and its exit 124 is the timeout verdict.
 */
record WgetProbe(String ip, int port, Duration timeout) implements Probe {

    private static final Pattern REFUSED = Pattern.compile("Connection refused|No route to host|Host is unreachable");
    private static final Pattern HTTP_ERROR = Pattern.compile("server returned error: HTTP/\\S+ (\\d{3})");

    @Override
    public List<String> command() {
        return List.of("timeout", Long.toString(Text.seconds(timeout)), "busybox", "wget", "-O", "-",
                "http://" + Text.host(ip) + ":" + port + "/");
    }

    @Override
    public Duration budget() {
        return Duration.ofSeconds(Text.seconds(timeout));
    }

    @Override
    public Reading interpret(int exitCode, String output) {
        if (exitCode == 139 || output.contains("Segmentation fault")) {
            return Reading.error("busybox wget crashed (exit " + exitCode + "); Debian's busybox segfaults on -T,"
                    + " bound it with `timeout` instead");
        }
        if (exitCode == 0 && output.contains("written to stdout")) {
            return Reading.of(Verdict.ALLOWED, "wget: written to stdout");
        }
        Optional<String> httpError = Text.lineMatching(HTTP_ERROR, output);
        if (httpError.isPresent()) {
            return Reading.of(Verdict.ALLOWED, "the server answered: " + httpError.get());
        }
        Optional<String> refused = Text.lineMatching(REFUSED, output);
        if (refused.isPresent()) {
            return Reading.of(Verdict.REFUSED, refused.get());
        }
        if (exitCode == 124) {
            return Reading.of(Verdict.TIMEOUT, "no answer within " + Text.seconds(timeout) + " s (timeout exit 124)");
        }
        return Reading.unrecognised("busybox wget", exitCode, output);
    }
}
