package io.netconform.cni;

import java.util.OptionalInt;

/**
 * The pod MTU the MTU suite should find, where that expectation came from, and whether a different
 * finding is a failure ({@code strict}) or only reported.
 *
 * @param value  the expected pod interface MTU, or {@code null} when nothing supports an expectation
 * @param source e.g. "calico-config veth_mtu", "table: VXLAN on a 1500 underlay", "--expect-mtu"
 */
public record ExpectedMtu(Integer value, String source, boolean strict) {
    /** The smallest MTU IPv4 hosts must accept (RFC 791), and the largest an IPv4 length field can say. */
    public static final int MIN = 576;
    public static final int MAX = 65535;

    public ExpectedMtu {
        if (value == null && strict) {
            throw new IllegalArgumentException("a strict MTU expectation needs a value (source: " + source + ")");
        }
    }

    static ExpectedMtu unknown(String why) {
        return new ExpectedMtu(null, why, false);
    }

    public OptionalInt asOptional() {
        return value == null ? OptionalInt.empty() : OptionalInt.of(value);
    }

    @Override
    public String toString() {
        return value == null
                ? "expected pod MTU unknown (" + source + ")"
                : "expected pod MTU " + value + " (" + source + (strict ? "" : ", not strict") + ")";
    }
}
