package io.netconform.disruption;

import io.netconform.exec.ExecResult;
import io.netconform.exec.Executor;
import io.netconform.exec.PodRef;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Flows from one pod to another measured for a fixed time by the prober, in ONE exec (a policy case needs tens of
 * seconds of it, not a pod of its own): each open flow beside new connections on the same path, so a policy change
 * can be judged on both with one clock.
 */
public final class OpenFlows {

    private OpenFlows() {
    }

    /**
     * Starts measuring; the future completes when {@code length} has passed.
     *
     * @throws IllegalStateException (through the future) when the exec itself failed: a harness/API problem
     */
    public static CompletableFuture<List<PathDisruption>> measure(Executor executor, PodRef from, List<Target> targets,
                                                                  Duration interval, Duration length) {
        List<String> command = new ArrayList<>(List.of("timeout", Long.toString(length.toSeconds())));
        command.addAll(Watch.proberCommand(interval, 1, targets));
        return CompletableFuture.supplyAsync(() -> {
            ExecResult result = executor.exec(from, command, length.plusSeconds(15));
            if (result.status() != ExecResult.Status.COMPLETED) {
                throw new IllegalStateException("the prober exec in " + from + " failed (" + result + "): a harness/API "
                        + "problem, not a network verdict");
            }
            ProberFeed feed = new ProberFeed(targets, o -> { }, o -> { });
            result.stdout().lines().forEach(feed::accept);
            return feed.finish();
        });
    }
}
