package io.netconform.disruption;

/**
 * What one path is measured with. Each check is either a fresh exchange per sample (a new connection, an ICMP
 * echo, a UDP request, a lookup) or one long-lived connection that must keep working: upgrades break the two
 * differently (a restarted agent that flushes conntrack kills established flows while new ones work at once).
 */
public enum Check {
    ICMP("icmp", "ICMP echo", Connection.NEW),
    TCP("tcp", "TCP connect", Connection.NEW),
    UDP("udp", "UDP request/response", Connection.NEW),
    TCP_REUSED("tcp-reused", "TCP long-lived connection", Connection.REUSED),
    /** one UDP socket sending every interval: the same 5-tuple, so the same conntrack entry, all along */
    UDP_REUSED("udp-reused", "UDP long-lived flow", Connection.REUSED),
    HTTP("http", "HTTP, new connection", Connection.NEW),
    DNS("dns", "DNS lookup over UDP", Connection.NEW);

    /** Whether a sample opens a new connection or uses one that was opened before. */
    public enum Connection { NEW, REUSED }

    private final String scriptName;
    private final String label;
    private final Connection connection;

    Check(String scriptName, String label, Connection connection) {
        this.scriptName = scriptName;
        this.label = label;
        this.connection = connection;
    }

    /** The name the prober script knows this check by. */
    public String scriptName() {
        return scriptName;
    }

    public String label() {
        return label;
    }

    public Connection connection() {
        return connection;
    }
}
