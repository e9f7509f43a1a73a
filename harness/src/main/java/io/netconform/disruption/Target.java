package io.netconform.disruption;

import java.util.Objects;

/**
 * One watched path and check, as the prober in the source pod runs it: e.g. pod n1 → pod n2 (cross node), TCP
 * connect to 10.244.1.7:8080.
 *
 * @param id     short and unique within one watch; the prober tags its lines with it
 * @param path   for people: source and destination, e.g. {@code pod n1 → pod n2 (cross node)}
 * @param host   address (or, for DNS, the name looked up)
 * @param port   0 where the check has none (ICMP, DNS)
 * @param source the pod the prober runs in, for the reproduce line
 */
public record Target(String id, String path, Check check, String host, int port, String source) {

    public Target {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(host, "host");
        if (!id.matches("[a-z0-9-]+")) {
            throw new IllegalArgumentException("target id must be lower-case letters, digits and dashes: '" + id + "'");
        }
    }

    /** e.g. {@code pod n1 → pod n2 (cross node) · TCP connect}: the name of this target in every report. */
    public String name() {
        return path + " · " + check.label();
    }

    /** The four prober arguments. */
    String[] proberArgs() {
        return new String[]{id, check.scriptName(), host, Integer.toString(port)};
    }

    @Override
    public String toString() {
        return name() + " (" + host + (port == 0 ? "" : ":" + port) + ")";
    }
}
