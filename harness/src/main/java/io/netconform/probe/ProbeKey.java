package io.netconform.probe;

import io.netconform.policy.IpFamily;
import io.netconform.policy.PodId;
import io.netconform.policy.Port;

import java.util.Objects;

/**
 * What one probe of a batch is about, and the key its result is found by in a {@link Verification}: equal keys are
 * the same probe, so a batch holds each key once. Messages use {@link ProbeRequest#name()}, not the key.
 */
public sealed interface ProbeKey permits ProbeKey.Pair, ProbeKey.Named {

    /** One ordered pair of topology pods on one port over one IP family: a cell of one family's reachability grid. */
    record Pair(PodId from, PodId to, Port port, IpFamily family) implements ProbeKey {
        public Pair {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(port, "port");
            Objects.requireNonNull(family, "family");
        }

        /**
         * Ports compare by traffic (number and protocol): the same traffic is the same probe whatever the port's name,
         * and grids of one port are compared across names ({@code Port.sameTraffic}).
         */
        @Override
        public boolean equals(Object o) {
            return o instanceof Pair p && from.equals(p.from) && to.equals(p.to) && port.sameTraffic(p.port)
                    && family == p.family;
        }

        @Override
        public int hashCode() {
            return Objects.hash(from, to, port.number(), port.protocol(), family);
        }

        @Override
        public String toString() {
            return from + " -> " + to + " " + port + " " + family;
        }
    }

    /**
     * A check that is not a cell of a pod grid (a fleet path, a Service address, a node): its suite's name for it is
     * its identity, and the name its dynamic test shows.
     */
    record Named(String name) implements ProbeKey {
        public Named {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
