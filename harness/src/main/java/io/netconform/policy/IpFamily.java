package io.netconform.policy;

/** An IP family; checks run once per family the cluster gives pods. */
public enum IpFamily {
    IPV4("IPv4"), IPV6("IPv6");

    private final String label;

    IpFamily(String label) {
        this.label = label;
    }

    public static IpFamily of(String address) {
        return address.contains(":") ? IPV6 : IPV4;
    }

    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }
}
