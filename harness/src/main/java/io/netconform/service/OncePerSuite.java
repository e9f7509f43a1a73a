package io.netconform.service;

import java.util.function.Supplier;

/**
 * What a suite deploys on its first test and removes after its last (JUnit's {@code @AfterAll} calls
 * {@link #close}): pod start-up dominates these suites' time, so their tests share one set of pods.
 */
public final class OncePerSuite<T extends AutoCloseable> implements AutoCloseable {

    private T value;

    public synchronized T get(Supplier<T> create) {
        if (value == null) {
            value = create.get();
        }
        return value;
    }

    @Override
    public synchronized void close() throws Exception {
        if (value != null) {
            value.close();
            value = null;
        }
    }
}
