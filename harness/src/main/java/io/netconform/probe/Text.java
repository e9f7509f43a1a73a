package io.netconform.probe;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Small text helpers the parsers share. */
final class Text {

    private Text() {
    }

    /** Whole seconds for tools that only take integers ({@code nc -w}, iputils {@code -W}); never 0, which often means "forever". */
    static long seconds(Duration timeout) {
        long s = (timeout.toMillis() + 999) / 1000;
        return Math.max(1, s);
    }

    static String firstLine(String output) {
        for (String line : output.split("\n")) {
            if (!line.isBlank()) {
                String trimmed = line.strip();
                return trimmed.length() > 160 ? trimmed.substring(0, 160) + "..." : trimmed;
            }
        }
        return "<no output>";
    }

    /** The first line that matches, stripped: the evidence a detail line quotes. */
    static Optional<String> lineMatching(Pattern pattern, String output) {
        for (String line : output.split("\n")) {
            if (pattern.matcher(line).find()) {
                return Optional.of(line.strip());
            }
        }
        return Optional.empty();
    }

    static Optional<Matcher> find(Pattern pattern, String output) {
        Matcher m = pattern.matcher(output);
        return m.find() ? Optional.of(m) : Optional.empty();
    }

    static boolean isIpv6(String ip) {
        return ip.contains(":");
    }

    /** Host part of a URL or socat address: IPv6 literals need brackets. */
    static String host(String ip) {
        return isIpv6(ip) ? "[" + ip + "]" : ip;
    }
}
