package io.netconform.junit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class SuiteGateTest {

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Integer> admitted = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    /** A suite that enters, records its rank, and leaves when {@code done} opens. */
    private Future<?> suite(SuiteGate gate, int rank, CountDownLatch done) {
        return threads.submit(() -> {
            gate.enter(rank, "suite " + rank);
            admitted.add(rank);
            try {
                done.await();
            } finally {
                gate.leave();
            }
            return null;
        });
    }

    @Test
    void waitingSuitesGetTheFreedPermitBestRankFirstWhateverTheirArrival() throws Exception {
        SuiteGate gate = new SuiteGate(1, Duration.ZERO);
        CountDownLatch holder = new CountDownLatch(1);
        suite(gate, 0, holder);
        await().until(() -> gate.running() == 1);
        CountDownLatch open = new CountDownLatch(0);
        for (int rank : new int[] {5, 1, 3}) {
            suite(gate, rank, open);
        }
        await().until(() -> gate.waiting() == 3);

        holder.countDown();

        await().until(() -> admitted.size() == 4);
        assertThat(admitted).containsExactly(0, 1, 3, 5);
    }

    @Test
    void neverMoreSuitesRunThanPermits() throws Exception {
        SuiteGate gate = new SuiteGate(2, Duration.ZERO);
        AtomicInteger most = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        List<Future<?>> suites = new ArrayList<>();
        for (int rank = 1; rank <= 5; rank++) {
            int r = rank;
            suites.add(threads.submit(() -> {
                gate.enter(r, "suite " + r);
                most.accumulateAndGet(gate.running(), Math::max);
                release.await();
                gate.leave();
                return null;
            }));
        }
        await().until(() -> gate.running() == 2 && gate.waiting() == 3);
        release.countDown();
        for (Future<?> s : suites) {
            s.get(10, TimeUnit.SECONDS);
        }
        assertThat(most.get()).isEqualTo(2);
        assertThat(gate.running()).isZero();
    }

    @Test
    void suitesArrivingTogetherStartBestRankFirstNotFirstComeFirstServed() throws Exception {
        // the first arrival could run at once (a permit is free): settling holds it until the others have arrived
        SuiteGate gate = new SuiteGate(1, Duration.ofSeconds(3));
        CountDownLatch open = new CountDownLatch(0);
        suite(gate, 9, open);
        await().until(() -> gate.waiting() == 1);
        suite(gate, 1, open);

        await().atMost(Duration.ofSeconds(10)).until(() -> admitted.size() == 2);
        assertThat(admitted).containsExactly(1, 9);
    }

    @Test
    void anInterruptedWaitGivesUpItsPlace() throws Exception {
        SuiteGate gate = new SuiteGate(1, Duration.ZERO);
        CountDownLatch holder = new CountDownLatch(1);
        suite(gate, 0, holder);
        await().until(() -> gate.running() == 1);
        Future<?> waiting = suite(gate, 1, new CountDownLatch(0));
        await().until(() -> gate.waiting() == 1);

        waiting.cancel(true);

        await().until(() -> gate.waiting() == 0);
        holder.countDown();
        await().until(() -> gate.running() == 0);
        assertThat(admitted).containsExactly(0);
    }

    @Test
    void atLeastOnePermit() {
        assertThatThrownBy(() -> new SuiteGate(0)).hasMessageContaining("permits 0");
    }
}
