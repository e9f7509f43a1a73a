package io.netconform.probe;

import io.netconform.policy.Port;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The container command of a netshoot server pod: one socat echo listener per port, kept in the
 * foreground with {@code wait} so the pod stays up while any listener runs.
 */
public final class EchoServer {

    private EchoServer() {
    }

    public static List<String> command(List<Port> ports) {
        if (ports.isEmpty()) {
            throw new IllegalArgumentException("an echo server needs at least one port");
        }
        String listeners = ports.stream().map(EchoServer::listener).collect(Collectors.joining("\n"));
        return List.of("sh", "-c", listeners + "\nwait\n");
    }

    private static String listener(Port port) {
        int p = port.number();
        return switch (port.protocol()) {
            case TCP -> "socat TCP-LISTEN:" + p + ",fork,reuseaddr PIPE &";
            case UDP -> "socat UDP-RECVFROM:" + p + ",fork PIPE &";
            // a kernel or CNI without SCTP must not take the TCP/UDP listeners down with it
            case SCTP -> "(socat SCTP-LISTEN:" + p + ",fork,reuseaddr PIPE"
                    + " || echo \"netconform: no SCTP listener on " + p + " (SCTP unavailable?)\" >&2) &";
        };
    }
}
