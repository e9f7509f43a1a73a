package io.netconform.bench;

/** A measured quantity: its unit and which direction is better, so a comparison can pick the best value. */
public enum Metric {
    ICMP_RTT("ICMP round trip", "ms", false),
    TCP_CONNECT("TCP connect", "ms", false),
    TCP_REQUEST_RESPONSE("HTTP request/response", "ms", false),
    TCP_THROUGHPUT("TCP throughput, 1 stream", "Mbit/s", true),
    TCP_THROUGHPUT_MULTI("TCP throughput, parallel streams", "Mbit/s", true),
    TCP_RETRANSMITS("TCP retransmits per run", "segments", false),
    UDP_THROUGHPUT("UDP throughput at target rate", "Mbit/s", true),
    UDP_JITTER("UDP jitter", "ms", false),
    UDP_LOSS("UDP loss", "%", false),
    /** Applying a NetworkPolicy until traffic obeys it; measured by the policy suites, not by {@link Benchmark}. */
    POLICY_ENFORCEMENT("policy enforcement latency", "ms", false),
    /** Removing that deny until traffic flows again; apart from enforcement, because datapaths differ. */
    POLICY_REMOVAL("policy removal latency", "ms", false),
    /** New connections blocked by a deny until a connection open before it stops; apart from enforcement, on purpose. */
    POLICY_REVOCATION("open-connection revocation after enforcement", "ms", false),
    /** Pod creation until its first successful probe; measured by the cluster package, not by {@link Benchmark}. */
    POD_NETWORK_READY("pod start to network ready", "ms", false);

    private final String label;
    private final String unit;
    private final boolean higherIsBetter;

    Metric(String label, String unit, boolean higherIsBetter) {
        this.label = label;
        this.unit = unit;
        this.higherIsBetter = higherIsBetter;
    }

    public String label() {
        return label;
    }

    public String unit() {
        return unit;
    }

    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    /** True when {@code a} is better than {@code b} for this metric. */
    public boolean better(double a, double b) {
        return higherIsBetter ? a > b : a < b;
    }
}
