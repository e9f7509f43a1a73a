package io.netconform.probe;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** ICMP echo with iputils ping; also reads busybox ping's output format. */
record PingProbe(String ip, int count, Duration timeout) implements Probe {

    /** 0.2 s is the shortest interval iputils allows an unprivileged user. */
    private static final Duration INTERVAL = Duration.ofMillis(200);

    static final Pattern UNREACHABLE = Pattern.compile(
            "Destination (?:unreachable: )?\\w*\\s*unreachable|Packet filtered|prohibited", Pattern.CASE_INSENSITIVE);
    static final Pattern BAD_OPTION = Pattern.compile("invalid option|unrecognized option|usage:", Pattern.CASE_INSENSITIVE);
    static final Pattern NO_PERMISSION = Pattern.compile("Operation not permitted|Permission denied|permission denied");

    PingProbe {
        if (count < 1) {
            throw new IllegalArgumentException("ping count must be at least 1, was " + count);
        }
    }

    @Override
    public List<String> command() {
        List<String> argv = new ArrayList<>(List.of("ping"));
        if (Text.isIpv6(ip)) {
            argv.add("-6");
        }
        argv.addAll(List.of("-c", Integer.toString(count), "-W", Long.toString(Text.seconds(timeout)), "-i", "0.2", ip));
        return argv;
    }

    @Override
    public Duration budget() {
        return Duration.ofSeconds(Text.seconds(timeout)).plus(INTERVAL.multipliedBy(count));
    }

    @Override
    public Reading interpret(int exitCode, String output) {
        return read("ping", exitCode, output);
    }

    /** Shared by every ping flavour: reachability only, whatever the packet size. */
    static Reading read(String tool, int exitCode, String output) {
        if (Text.lineMatching(BAD_OPTION, output).isPresent()) {
            return Reading.error(tool + " rejected its options: " + Text.firstLine(output));
        }
        Optional<String> denied = Text.lineMatching(NO_PERMISSION, output);
        if (denied.isPresent()) {
            return Reading.error(tool + " may not open an ICMP socket (needs CAP_NET_RAW or ping_group_range): "
                    + denied.get());
        }
        Optional<PingStats> stats = PingStats.find(output);
        Optional<String> unreachable = Text.lineMatching(UNREACHABLE, output);
        if (stats.isPresent() && stats.get().received() > 0) {
            return new Reading(Verdict.ALLOWED, tool + ": " + stats.get().summary(), stats.get().metrics());
        }
        if (unreachable.isPresent()) {
            return new Reading(Verdict.REFUSED, tool + ": " + unreachable.get(),
                    stats.map(PingStats::metrics).orElse(java.util.Map.of()));
        }
        if (stats.isPresent() && stats.get().transmitted() > 0 && stats.get().errors() == 0) {
            return new Reading(Verdict.TIMEOUT, tool + ": no reply, " + stats.get().summary(), stats.get().metrics());
        }
        return Reading.unrecognised(tool, exitCode, output);
    }
}
