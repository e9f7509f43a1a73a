package io.netconform.service;

import io.netconform.junit.Run;
import org.opentest4j.TestAbortedException;

/**
 * Capability checks that skip a test naming the capability and why the test needs it ("requires two nodes: ...").
 * One method per capability, so each can become a declarative annotation of the junit package later.
 */
public final class Requires {

    private Requires() {
    }

    /** Skips unless the run sampled at least two nodes. */
    public static void twoNodes(Run run, String why) {
        that(run.placement().multiNode(), "two nodes", why + " (" + run.placement().describe() + ")");
    }

    /** Skips with {@code requires <capability>: <why>} unless {@code met}. */
    public static void that(boolean met, String capability, String why) {
        if (!met) {
            throw new TestAbortedException("requires " + capability + ": " + why);
        }
    }
}
