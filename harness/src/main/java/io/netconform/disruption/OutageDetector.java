package io.netconform.disruption;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Turns one target's samples into outages. Samples arrive out of order (a probe that times out reports after
 * later ones that succeeded) and possibly twice (a log stream resumed after a transport loss replays lines), so
 * they are judged strictly in sequence order, each at most once.
 *
 * <p>A sample sequence number that never reports is judged by the check's nature: a fresh-connection check
 * that skipped a due time (the pod was starved of CPU) leaves it "not sampled" — neither up nor down; a
 * long-lived connection whose echo never came back was down (reset, closed, or stalled past the timeout).
 *
 * <p>Samples before a target's first success are warm-up (servers and routes settling after the pods start):
 * they are counted, never reported as an outage. A target that never succeeds is reported as such.
 */
final class OutageDetector {

    /** How long after its timeout a fresh-connection sample may still report before it counts as not sampled. */
    static final long LATE_US = 3_000_000;

    private final Target target;
    private final Consumer<Outage> opened;
    private final Consumer<Outage> closed;
    private final TreeMap<Long, Judged> pending = new TreeMap<>();
    private final List<Outage> outages = new ArrayList<>();

    private long t0Us = -1;
    private long intervalUs;
    private int timeoutSeconds;
    private long cursor = -1;
    private long clockUs;
    /** Closes of the long-lived connection since it last worked: the first one says why it went down. */
    private final List<ProberLine.Event> closes = new ArrayList<>();
    private long lastUpUs = Long.MIN_VALUE;

    private boolean everUp;
    private int warmup;
    private Judged lastWarmupFailure;
    private long samples;
    private long failed;
    private long notSampled;
    private long firstUs = -1;
    private long lastUs = -1;
    private Open open;
    /** Due times nobody observed: where the current run of them began, the longest run, the last due time judged. */
    private long blindFromUs = -1;
    private long longestBlindUs;
    private long longestBlindFromUs = -1;
    private long lastJudgedUs = -1;

    private record Judged(long seq, long startUs, Failure failure, String detail, boolean sampled) {
    }

    private static final class Open {
        final long startUs;
        final Failure failure;
        final String detail;
        int samples;

        Open(long startUs, Failure failure, String detail) {
            this.startUs = startUs;
            this.failure = failure;
            this.detail = detail;
        }
    }

    OutageDetector(Target target, Consumer<Outage> opened, Consumer<Outage> closed) {
        this.target = target;
        this.opened = opened;
        this.closed = closed;
    }

    Target target() {
        return target;
    }

    boolean everUp() {
        return everUp;
    }

    /** The prober's start line: the sampling grid. A second start (the pod's prober restarted) is ignored. */
    void start(long t0Us, long intervalUs, int timeoutSeconds) {
        if (this.t0Us >= 0) {
            return;
        }
        this.t0Us = t0Us;
        this.intervalUs = intervalUs;
        this.timeoutSeconds = timeoutSeconds;
    }

    void sample(ProberLine.Sample s) {
        if (t0Us < 0 || s.seq() < Math.max(cursor, 0) || pending.containsKey(s.seq())) {
            return;
        }
        Optional<Failure> failure = ProberLine.classify(target.check(), s.rc(), s.latencyUs(), timeoutSeconds, s.detail());
        pending.put(s.seq(), new Judged(s.seq(), s.startUs(), failure.orElse(null), s.detail(), true));
        if (cursor < 0) {
            // fresh-connection samples start at 0; a long-lived connection starts at its first echo
            cursor = target.check().connection() == Check.Connection.NEW ? 0 : s.seq();
        }
        clock(s.startUs());
    }

    /** A long-lived connection closed: the reason for the echoes it will never return. */
    void event(ProberLine.Event e) {
        if (e.event().equals("closed")) {
            closes.add(e);
        }
        clock(e.nowUs());
    }

    /** The pod's clock moved on: judge what is due. */
    void clock(long nowUs) {
        clockUs = Math.max(clockUs, nowUs);
        advance();
    }

    private void advance() {
        while (cursor >= 0) {
            Judged next = pending.remove(cursor);
            if (next == null) {
                next = missing(cursor);
                if (next == null) {
                    return;
                }
            }
            judge(next);
            cursor++;
        }
    }

    /** The judgement of a sequence number that did not report, or null while it still may. */
    private Judged missing(long seq) {
        long due = t0Us + seq * intervalUs;
        long timeoutUs = timeoutSeconds * 1_000_000L;
        if (target.check().connection() == Check.Connection.REUSED) {
            // one connection echoes in order: a later echo (or the clock past the timeout) means this one is lost
            boolean later = !pending.isEmpty() && pending.firstKey() > seq;
            if (later || clockUs > due + timeoutUs) {
                ProberLine.Event close = closes.stream().filter(c -> c.nowUs() >= lastUpUs).findFirst().orElse(null);
                return new Judged(seq, due, close != null ? closeFailure(close.detail()) : Failure.STALL,
                        close != null ? "connection closed: " + close.detail() : "no echo within " + timeoutSeconds + " s",
                        true);
            }
            return null;
        }
        return clockUs > due + timeoutUs + LATE_US ? new Judged(seq, due, null, "", false) : null;
    }

    private static Failure closeFailure(String why) {
        String w = why.toLowerCase(java.util.Locale.ROOT);
        if (w.contains("refused")) {
            return Failure.REFUSED;
        }
        if (w.contains("timed out")) {
            return Failure.TIMEOUT;
        }
        if (w.contains("unreachable") || w.contains("no route")) {
            return Failure.UNREACHABLE;
        }
        return Failure.RESET;
    }

    private void judge(Judged j) {
        long due = t0Us + j.seq() * intervalUs;
        lastJudgedUs = Math.max(lastJudgedUs, due);
        if (!j.sampled()) {
            notSampled++;
            if (blindFromUs < 0) {
                blindFromUs = due;
            }
            return;
        }
        if (blindFromUs >= 0) {
            blind(blindFromUs, due);
            blindFromUs = -1;
        }
        if (!everUp) {
            if (j.failure() != null) {
                warmup++;
                lastWarmupFailure = j;
                return;
            }
            everUp = true;
        }
        samples++;
        if (firstUs < 0) {
            firstUs = j.startUs();
        }
        lastUs = Math.max(lastUs, j.startUs());
        if (j.failure() == null) {
            lastUpUs = j.startUs();
            closes.removeIf(c -> c.nowUs() < lastUpUs);
            if (open != null) {
                Outage outage = outage(open, j.startUs(), false);
                outages.add(outage);
                open = null;
                closed.accept(outage);
            }
            return;
        }
        failed++;
        if (open == null) {
            open = new Open(j.startUs(), j.failure(), j.detail());
            open.samples++;
            opened.accept(outage(open, j.startUs(), true));
        } else {
            open.samples++;
        }
    }

    private Outage outage(Open o, long endUs, boolean ongoing) {
        return new Outage(target, instant(o.startUs), instant(endUs), o.failure, o.detail, o.samples, ongoing);
    }

    static Instant instant(long epochUs) {
        return Instant.ofEpochSecond(Math.floorDiv(epochUs, 1_000_000L), Math.floorMod(epochUs, 1_000_000L) * 1000L);
    }

    private void blind(long fromUs, long toUs) {
        if (toUs - fromUs > longestBlindUs) {
            longestBlindUs = toUs - fromUs;
            longestBlindFromUs = fromUs;
        }
    }

    /**
     * Ends the measurement at {@code endUs} (the watch's end): an outage still open ends one interval after its last
     * sample, marked ongoing. Sequence numbers that are still pending are left out; but due times that should have
     * been judged by then and were not (nothing was heard from the prober: its log stream stalled, its pod starved)
     * are time the target was not observed, like due times the prober skipped.
     */
    PathDisruption finish(long endUs) {
        if (t0Us >= 0) {
            // a sample may still be in flight for its timeout, and missing ones are judged LATE_US after that
            long settled = endUs - timeoutSeconds * 1_000_000L - LATE_US;
            long from = blindFromUs >= 0 ? blindFromUs : lastJudgedUs >= 0 ? lastJudgedUs + intervalUs : t0Us;
            if (settled > from) {
                blind(from, settled);
            }
        }
        return finish();
    }

    /** Ends the measurement where the prober's output ends (tests that replay a finished prober's output). */
    PathDisruption finish() {
        List<Outage> all = new ArrayList<>(outages);
        if (open != null) {
            all.add(outage(open, lastUs + intervalUs, true));
        }
        String never = everUp ? null : warmup == 0 ? "no sample heard from the prober: its log stream delivered none (see "
                + "the harness/API notices); this says nothing about the network"
                : "never succeeded in " + warmup + " samples; last: " + lastWarmupFailure.failure() + " "
                + lastWarmupFailure.detail();
        if (blindFromUs >= 0 && lastJudgedUs > blindFromUs) {
            blind(blindFromUs, lastJudgedUs + intervalUs);
        }
        return new PathDisruption(target, samples, failed, notSampled, warmup,
                firstUs < 0 ? null : instant(firstUs), lastUs < 0 ? null : instant(lastUs + intervalUs),
                List.copyOf(all), never,
                longestBlindUs <= 0 ? null : new PathDisruption.Blind(instant(longestBlindFromUs), longestBlindUs / 1e6));
    }
}
