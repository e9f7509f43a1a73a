package io.netconform.disruption;

import java.util.Optional;

/**
 * One line of the prober's output. Two probers write it, line for line the same: {@code prober.pl}, one perl
 * process with every sample a non-blocking socket, wherever the pod has perl, and {@code prober.sh}, which runs
 * socat, ping, dig and curl per sample, where it has not ({@link Watch#proberCommand} picks). Times are the pod's
 * clock in microseconds since the epoch. Lines that are not the prober's (a shell warning, the perl prober's one
 * stderr notice that it pings per sample without a raw socket, a truncated line after a lost log stream) parse to
 * empty and are counted, never guessed at.
 */
sealed interface ProberLine {

    /** The prober started: sample {@code seq} is due at {@code t0Us + seq * intervalUs}. */
    record Start(long t0Us, long intervalUs, int timeoutSeconds) implements ProberLine {
    }

    /** One sample: the tool's exit code and its last words. */
    record Sample(String id, long seq, long startUs, int rc, long latencyUs, String detail) implements ProberLine {
    }

    /** A long-lived connection opened or closed (with why). */
    record Event(String id, long nowUs, String event, String detail) implements ProberLine {
    }

    /** The pod's clock, once a second. */
    record Heartbeat(long nowUs) implements ProberLine {
    }

    static Optional<ProberLine> parse(String line) {
        if (line == null || !line.startsWith("ncw ")) {
            return Optional.empty();
        }
        String[] f = line.split(" ", 8);
        try {
            return switch (f[1]) {
                case "start" -> f.length >= 5
                        ? Optional.of(new Start(Long.parseLong(f[2]), Long.parseLong(f[3]), Integer.parseInt(f[4])))
                        : Optional.empty();
                case "s" -> f.length >= 7
                        ? Optional.of(new Sample(f[2], Long.parseLong(f[3]), Long.parseLong(f[4]),
                        Integer.parseInt(f[5]), Long.parseLong(f[6]), f.length > 7 ? f[7].trim() : ""))
                        : Optional.empty();
                case "e" -> f.length >= 5
                        ? Optional.of(new Event(f[2], Long.parseLong(f[3]), f[4],
                        line.split(" ", 6).length > 5 ? line.split(" ", 6)[5].trim() : ""))
                        : Optional.empty();
                case "h" -> f.length >= 3 ? Optional.of(new Heartbeat(Long.parseLong(f[2]))) : Optional.empty();
                default -> Optional.empty();
            };
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether a sample of {@code check} succeeded, and if not, why. Exit codes alone lie (socat exits 0 on an
     * empty UDP reply, dig exits 0 on NXDOMAIN), so the tool's words decide together with the code. The perl
     * prober answers in the same codes and words: strerror text ("Connection refused", "No route to host",
     * "timed out") for tcp, udp and icmp, curl's exit codes for http, dig's header ("status: NXDOMAIN",
     * "ANSWER: 1") for dns; so one situation classifies the same whichever prober saw it.
     *
     * @return empty when the sample succeeded
     */
    static Optional<Failure> classify(Check check, int rc, long latencyUs, int timeoutSeconds, String detail) {
        String d = detail == null ? "" : detail.toLowerCase(java.util.Locale.ROOT);
        if (check.connection() == Check.Connection.REUSED) {
            // the echo came back; later than the timeout is a stall all the same
            return latencyUs > timeoutSeconds * 1_000_000L ? Optional.of(Failure.STALL) : Optional.empty();
        }
        if (check == Check.DNS) {
            // the header's answer count, not the answer section: dig's warnings may push that past the cut line
            if (d.contains("status: noerror") && d.matches(".*answer: [1-9].*")) {
                return Optional.empty();
            }
            if (d.contains("timed out") || d.contains("no servers could be reached")) {
                return Optional.of(Failure.TIMEOUT);
            }
            if (d.contains("status:")) {
                return Optional.of(Failure.DNS_ERROR);
            }
            return Optional.of(words(d));
        }
        if (check == Check.HTTP) {
            // curl's own exit codes: 28 timeout, 7 could not connect, 52 empty reply, 56 receive failure
            return switch (rc) {
                case 0 -> d.matches(".*http 2\\d\\d.*") ? Optional.empty() : Optional.of(Failure.HTTP_ERROR);
                case 28 -> Optional.of(Failure.TIMEOUT);
                case 52, 56 -> Optional.of(Failure.RESET);
                case 7 -> Optional.of(d.contains("unreachable") || d.contains("no route") ? Failure.UNREACHABLE
                        : d.contains("timed out") ? Failure.TIMEOUT : Failure.REFUSED);
                default -> Optional.of(words(d));
            };
        }
        if (rc == 0) {
            return check == Check.UDP && !d.contains("echo ok") ? Optional.of(Failure.TIMEOUT) : Optional.empty();
        }
        return Optional.of(words(d));
    }

    private static Failure words(String d) {
        if (d.contains("unreachable") || d.contains("no route to host")) {
            return Failure.UNREACHABLE;
        }
        if (d.contains("refused")) {
            return Failure.REFUSED;
        }
        if (d.contains("reset") || d.contains("broken pipe") || d.contains("connection closed")) {
            return Failure.RESET;
        }
        if (d.contains("timed out") || d.contains("timeout") || d.contains("0 received") || d.contains("no echo")
                || d.contains("operation now in progress")) {
            return Failure.TIMEOUT;
        }
        if (d.contains("could not resolve") || d.contains("name or service not known")) {
            return Failure.DNS_ERROR;
        }
        return Failure.ERROR;
    }
}
