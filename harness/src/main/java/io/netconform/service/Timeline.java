package io.netconform.service;

import io.netconform.report.BrokenCheck;
import io.netconform.exec.ExecResult;
import io.netconform.exec.Executor;
import io.netconform.exec.PodRef;
import io.netconform.probe.WhoamiProbe;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a client saw while it sent requests in a loop inside its pod: one attempt every ~0.1 s, each stamped with the
 * pod's clock. The loop runs in the pod (one exec), so the spacing of attempts is not the API server's exec
 * round trip, and the harness reads the whole timeline at the end.
 *
 * <p>Used for what only a client that keeps sending can see: how long until every node forwards to a new Service or
 * endpoint, the errors during a rolling restart, and the recovery of a UDP flow whose backend was replaced.
 *
 * @param pod      where the loop ran
 * @param attempts every attempt in order
 * @param command  the exact loop, for the reproduce line
 */
public record Timeline(PodRef pod, List<Attempt> attempts, List<String> command) {

    private static final Pattern LINE = Pattern.compile("^@(\\d+) ?(.*)$");

    public Timeline {
        attempts = List.copyOf(attempts);
        command = List.copyOf(command);
    }

    /** One request: when it started (pod clock, corrected to the harness's), what it printed, the answer if any. */
    public record Attempt(Instant at, String output, Optional<WhoamiProbe.Answer> answer) {
        public boolean answeredBy(String pod) {
            return answer.map(a -> a.pod().equals(pod)).orElse(false);
        }
    }

    /**
     * The loop that runs {@code probe} every ~0.1 s for at most {@code seconds}. It touches {@code marker} once an
     * attempt's output contains {@code readyWhen} (empty: after the first attempt), so the harness can tell that the
     * loop is running — and, for a flow, established — before it changes the cluster; it stops early once an output
     * contains {@code stopWhen} (null: never) or once {@code marker.stop} exists (the harness saying "enough").
     */
    public static List<String> loop(WhoamiProbe probe, int seconds, String marker, String readyWhen, String stopWhen) {
        String script = String.join("\n",
                "end=$(( $(date +%s) + " + seconds + " ))",
                "while [ \"$(date +%s)\" -lt \"$end\" ] && [ ! -e " + marker + ".stop ]; do",
                "  t=$(date +%s%N)",
                "  out=$(" + probe.socatLine() + " 2>&1 | tr '\\n' ' ')",
                "  echo \"@$t $out\"",
                "  case \"$out\" in *" + quoted(readyWhen) + "*) touch " + marker + ";; esac",
                stopWhen == null ? "" : "  case \"$out\" in *" + quoted(stopWhen) + "*) exit 0;; esac",
                "  sleep 0.1",
                "done");
        return List.of("bash", "-c", script);
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("$", "\\$") + "\"";
    }

    /** Reads a loop's output; lines that are not attempts (a shell's complaint) are kept as attempts without answer. */
    public static Timeline parse(PodRef pod, List<String> command, String output, Duration clockOffset) {
        List<Attempt> attempts = new ArrayList<>();
        for (String line : output.split("\n")) {
            Matcher m = LINE.matcher(line.strip());
            if (!m.matches()) {
                continue;
            }
            long ns = Long.parseLong(m.group(1));
            Instant at = Instant.ofEpochSecond(0, ns).minus(clockOffset);
            attempts.add(new Attempt(at, m.group(2).strip(), WhoamiProbe.answer(m.group(2))));
        }
        return new Timeline(pod, attempts, command);
    }

    /** The first attempt at or after {@code from} that shows what was waited for. */
    public Optional<Attempt> first(Instant from, Predicate<Attempt> wanted) {
        return attempts.stream().filter(a -> !a.at().isBefore(from)).filter(wanted).findFirst();
    }

    /** Attempts at or after {@code from} without an answer. */
    public List<Attempt> failures(Instant from) {
        return attempts.stream().filter(a -> !a.at().isBefore(from)).filter(a -> a.answer().isEmpty()).toList();
    }

    public long count(Instant from) {
        return attempts.stream().filter(a -> !a.at().isBefore(from)).count();
    }

    /** The longest run of unanswered attempts at or after {@code from}, from its first to the next answered one. */
    public Duration longestOutage(Instant from) {
        Duration longest = Duration.ZERO;
        Instant start = null;
        for (Attempt a : attempts) {
            if (a.at().isBefore(from)) {
                continue;
            }
            if (a.answer().isEmpty() && start == null) {
                start = a.at();
            } else if (a.answer().isPresent() && start != null) {
                Duration d = Duration.between(start, a.at());
                longest = d.compareTo(longest) > 0 ? d : longest;
                start = null;
            }
        }
        if (start != null && !attempts.isEmpty()) {
            Duration d = Duration.between(start, attempts.get(attempts.size() - 1).at());
            longest = d.compareTo(longest) > 0 ? d : longest;
        }
        return longest;
    }

    /** The timeline as text for the report: one line per attempt, times relative to {@code zero}. */
    public String describe(Instant zero) {
        StringBuilder text = new StringBuilder(pod + ":\n");
        for (Attempt a : attempts) {
            text.append(String.format("%+8.3f s  %s%n", Duration.between(zero, a.at()).toNanos() / 1e9,
                    a.output().isEmpty() ? "(no output)" : a.output()));
        }
        return text.toString();
    }

    public String reproduce() {
        return pod.kubectlExec(command);
    }

    /**
     * How far {@code pod}'s clock is ahead of the harness's: one {@code date +%s%N}, read against the midpoint of the
     * exec; the error is at most half the exec's round trip. Nodes are rarely more than milliseconds apart, but a
     * latency read across two clocks must say how it was corrected.
     */
    public static Duration clockOffset(Executor executor, PodRef pod) {
        Instant sent = Instant.now();
        ExecResult r = executor.exec(pod, List.of("date", "+%s%N"), Duration.ofSeconds(10));
        Instant back = Instant.now();
        if (!r.completed() || r.exitCode() != 0 || !r.stdout().strip().matches("\\d+")) {
            throw BrokenCheck.of("cannot read the clock of " + pod + " (" + r + ")")
                    .reproduce(pod.kubectlExec(List.of("date", "+%s%N")));
        }
        Instant podNow = Instant.ofEpochSecond(0, Long.parseLong(r.stdout().strip()));
        Instant mid = sent.plus(Duration.between(sent, back).dividedBy(2));
        return Duration.between(mid, podNow);
    }
}
