package io.netconform.junit;

import java.time.Duration;
import java.util.Comparator;
import java.util.TreeSet;

/**
 * Lets at most {@code permits} suite classes run at once, and lets them in by rank ({@code @Order}: suites ranked by
 * how long they take, longest first — side by side, a run ends when its longest suite does).
 *
 * <p>Why not JUnit's own scheduling: its fork-join executor forks the classes in order, but which end of the queue a
 * worker takes from depends on whether it forked them or steals them; on the lab two, three or one of four workers
 * started from the short end, and a 40 s suite started 70 s into a 110 s run. So {@code netconform run} gives JUnit a
 * thread for every class and this gate decides: every class waits here until it is the best-ranked one waiting and a
 * permit is free. The classes forked together arrive within milliseconds; the first one is let in only once no other
 * has arrived for {@link #SETTLE}, so that it is the best-ranked one and not merely the first thread to run.
 */
final class SuiteGate {

    static final Duration SETTLE = Duration.ofMillis(300);

    private record Ticket(int rank, long arrival, String suite) {
    }

    private final int permits;
    private final Duration settle;
    private final TreeSet<Ticket> waiting = new TreeSet<>(Comparator.comparingInt(Ticket::rank)
            .thenComparingLong(Ticket::arrival));
    private long arrivals;
    private long lastArrivalNanos;
    private boolean settled;
    private int running;

    /** @param permits suites at once; 1 lets them in one after another as JUnit runs them, without settling */
    SuiteGate(int permits) {
        this(permits, permits > 1 ? SETTLE : Duration.ZERO);
    }

    SuiteGate(int permits, Duration settle) {
        if (permits < 1) {
            throw new IllegalArgumentException("permits " + permits + ": expected at least 1");
        }
        this.permits = permits;
        this.settle = settle;
        this.settled = settle.isZero();
    }

    /** Waits until {@code suite} (of {@code rank}) may run. */
    synchronized void enter(int rank, String suite) throws InterruptedException {
        Ticket me = new Ticket(rank, arrivals++, suite);
        waiting.add(me);
        lastArrivalNanos = System.nanoTime();
        notifyAll();
        try {
            while (true) {
                long settling = settled ? 0 : lastArrivalNanos + settle.toNanos() - System.nanoTime();
                if (settling <= 0 && running < permits && waiting.first() == me) {
                    break;
                }
                // woken by arrivals and departures; while settling, also when the settling time is up
                wait(settling > 0 ? Math.max(1, settling / 1_000_000) : 0);
            }
        } finally {
            waiting.remove(me);
        }
        settled = true;
        running++;
        notifyAll();
    }

    /** {@code suite} has ended: its permit goes to the best-ranked suite waiting. */
    synchronized void leave() {
        running--;
        notifyAll();
    }

    synchronized int running() {
        return running;
    }

    synchronized int waiting() {
        return waiting.size();
    }
}
