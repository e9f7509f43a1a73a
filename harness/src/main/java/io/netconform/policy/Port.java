package io.netconform.policy;

/**
 * A port a pod serves: number, protocol and an optional name (named ports resolve per pod).
 * Equality ignores nothing: {@code tcp(80)} and {@code tcp(80).named("http")} are different ports.
 */
public record Port(int number, Protocol protocol, String name) {

    public Port {
        if (number < 1 || number > 65535) {
            throw new IllegalArgumentException("port " + number + " is outside 1..65535");
        }
        if (protocol == null) {
            protocol = Protocol.TCP;
        }
    }

    public static Port tcp(int number) {
        return new Port(number, Protocol.TCP, null);
    }

    public static Port udp(int number) {
        return new Port(number, Protocol.UDP, null);
    }

    public static Port sctp(int number) {
        return new Port(number, Protocol.SCTP, null);
    }

    public Port named(String portName) {
        return new Port(number, protocol, portName);
    }

    /** Same number and protocol, whatever the name: the identity traffic sees. */
    public boolean sameTraffic(Port other) {
        return number == other.number && protocol == other.protocol;
    }

    @Override
    public String toString() {
        return protocol + "/" + number;
    }
}
