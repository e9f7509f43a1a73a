package io.netconform.cluster;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Identifies one run on a shared cluster; every object the run creates carries it as the
 * {@value RunNamespaces#RUN} label, so two runs never touch each other's objects.
 *
 * @param value a DNS label of at most 20 characters, e.g. {@code nc-7f3a2b}
 */
public record RunId(String value) {

    private static final Pattern VALID = Pattern.compile("[a-z0-9]([-a-z0-9]{0,18}[a-z0-9])?");
    private static final SecureRandom RANDOM = new SecureRandom();

    public RunId {
        Objects.requireNonNull(value, "value");
        if (!VALID.matcher(value).matches()) {
            throw new IllegalArgumentException("run id must be a DNS label of 1-20 characters [a-z0-9-], got '"
                    + value + "'");
        }
    }

    /** {@code nc-} and six hex digits: 16.7 million values, short enough to leave room for the logical name. */
    public static RunId random() {
        byte[] bytes = new byte[3];
        RANDOM.nextBytes(bytes);
        return new RunId("nc-" + HexFormat.of().formatHex(bytes));
    }

    @Override
    public String toString() {
        return value;
    }
}
