package io.netconform.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A DNS query read from dig, BIND nslookup or busybox nslookup output (the format is recognised).
 *
 * @param answer    what came back
 * @param addresses A/AAAA records of a RESOLVED answer, as evidence
 * @param detail    one line of evidence
 */
public record DnsResult(DnsAnswer answer, List<String> addresses, String detail) {

    private static final Pattern DIG_STATUS = Pattern.compile("->>HEADER<<-.*status: (\\w+)");
    private static final Pattern DIG_RECORD = Pattern.compile("^\\S+\\s+\\d+\\s+IN\\s+(?:A|AAAA)\\s+(\\S+)\\s*$",
            Pattern.MULTILINE);
    private static final Pattern CANT_FIND = Pattern.compile("can't find (\\S+?):? (\\w+)");
    private static final Pattern NO_ANSWER = Pattern.compile("Can't find .*: No answer|No answer");
    private static final Pattern NSLOOKUP_ADDRESS = Pattern.compile("^Address(?: \\d+)?:\\s+(\\S+)");
    private static final Pattern IP = Pattern.compile("^[0-9a-fA-F:.]+$");
    // dig +tcp says "failed: network unreachable." for an ICMP net-unreachable, then "no servers could be reached"
    private static final Pattern REFUSED = Pattern.compile(
            "connection refused|network unreachable|host unreachable|no route to host", Pattern.CASE_INSENSITIVE);
    private static final Pattern TIMED_OUT = Pattern.compile("timed out|no servers could be reached");

    public DnsResult {
        addresses = List.copyOf(addresses);
    }

    /** Re-reads a DNS probe's result; an exec failure stays an ERROR. */
    public static DnsResult of(ProbeResult result) {
        if (result.exitCode() < 0) {
            return new DnsResult(DnsAnswer.ERROR, List.of(), result.detail());
        }
        return parse(result.exitCode(), result.output());
    }

    static DnsResult parse(int exitCode, String output) {
        Matcher status = DIG_STATUS.matcher(output);
        if (status.find()) {
            return fromRcode(status.group(1), digAddresses(output), "dig status " + status.group(1));
        }
        // nslookup asks for A and AAAA: one answered with addresses is a resolution, even when the server
        // said NXDOMAIN to the other (dnsmasq does for an A-only name), which also makes nslookup exit 1
        List<String> answered = output.contains("Server:") ? nslookupAddresses(output) : List.of();
        if (!answered.isEmpty()) {
            return new DnsResult(DnsAnswer.RESOLVED, answered, "nslookup: " + String.join(", ", answered)
                    + Text.find(CANT_FIND, output).map(m -> " (the other record type: " + m.group(2) + ")").orElse(""));
        }
        Matcher cantFind = CANT_FIND.matcher(output);
        if (cantFind.find()) {
            return fromRcode(cantFind.group(2), List.of(), "nslookup: server can't find " + cantFind.group(1)
                    + ": " + cantFind.group(2));
        }
        // refused before timed out: dig +tcp to a closed port or unrouted address prints both the refusal and "no servers"
        Optional<String> refused = Text.lineMatching(REFUSED, output);
        if (refused.isPresent()) {
            return new DnsResult(DnsAnswer.UNREACHABLE, List.of(), refused.get());
        }
        Optional<String> timedOut = Text.lineMatching(TIMED_OUT, output);
        if (timedOut.isPresent() || exitCode == 9 || exitCode == 124) {
            return new DnsResult(DnsAnswer.TIMEOUT, List.of(), timedOut.orElse("exit " + exitCode + ", no answer"));
        }
        if (output.contains("Server:")) {
            if (NO_ANSWER.matcher(output).find()) {
                return new DnsResult(DnsAnswer.NODATA, List.of(), "nslookup: no answer");
            }
        }
        List<String> shortAnswer = output.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (exitCode == 0 && !shortAnswer.isEmpty() && shortAnswer.stream().allMatch(l -> IP.matcher(l).matches())) {
            return new DnsResult(DnsAnswer.RESOLVED, shortAnswer, "dig +short: " + String.join(", ", shortAnswer));
        }
        return new DnsResult(DnsAnswer.ERROR, List.of(),
                "unrecognised DNS output (exit " + exitCode + "): " + Text.firstLine(output));
    }

    private static DnsResult fromRcode(String rcode, List<String> addresses, String detail) {
        DnsAnswer answer = switch (rcode.toUpperCase(Locale.ROOT)) {
            case "NOERROR" -> addresses.isEmpty() ? DnsAnswer.NODATA : DnsAnswer.RESOLVED;
            case "NXDOMAIN" -> DnsAnswer.NXDOMAIN;
            case "SERVFAIL" -> DnsAnswer.SERVFAIL;
            case "REFUSED" -> DnsAnswer.REFUSED;
            default -> DnsAnswer.ERROR;
        };
        return new DnsResult(answer, addresses,
                addresses.isEmpty() ? detail : detail + ": " + String.join(", ", addresses));
    }

    private static List<String> digAddresses(String output) {
        int answerSection = output.indexOf(";; ANSWER SECTION:");
        if (answerSection < 0) {
            return List.of();
        }
        int end = output.indexOf("\n\n", answerSection);
        Matcher m = DIG_RECORD.matcher(output.substring(answerSection, end < 0 ? output.length() : end));
        List<String> addresses = new ArrayList<>();
        while (m.find()) {
            addresses.add(m.group(1));
        }
        return addresses;
    }

    /** Addresses after a "Name:" line; the "Address:" before it is the server's own. */
    private static List<String> nslookupAddresses(String output) {
        List<String> addresses = new ArrayList<>();
        boolean inAnswer = false;
        for (String line : output.split("\n")) {
            if (line.startsWith("Name:")) {
                inAnswer = true;
                continue;
            }
            Matcher m = NSLOOKUP_ADDRESS.matcher(line);
            if (inAnswer && m.find()) {
                addresses.add(m.group(1));
            }
        }
        return addresses;
    }
}
