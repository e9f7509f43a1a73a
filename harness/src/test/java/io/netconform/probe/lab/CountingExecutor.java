package io.netconform.probe.lab;

import io.netconform.exec.ExecResult;
import io.netconform.exec.Executor;
import io.netconform.exec.PodRef;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Passes every exec through and counts them: how a test proves that a batch really costs one exec per pod. */
final class CountingExecutor implements Executor {

    private final Executor delegate;
    private final AtomicInteger execs = new AtomicInteger();

    CountingExecutor(Executor delegate) {
        this.delegate = delegate;
    }

    @Override
    public ExecResult exec(PodRef pod, List<String> command, Duration timeout) {
        execs.incrementAndGet();
        return delegate.exec(pod, command, timeout);
    }

    int execs() {
        return execs.get();
    }
}
