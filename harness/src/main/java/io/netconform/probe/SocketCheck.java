package io.netconform.probe;

import io.netconform.policy.Protocol;

import java.time.Duration;

/**
 * What a connect or echo probe does at the socket level, so {@link BatchProber} can run many of them in one process
 * in the pod ({@link SocketBatch}) instead of one nc or socat process each. The probe's own command stays the
 * reproduce line: it is what a person runs by hand.
 *
 * @param protocol TCP (a connect, like {@code nc -z}) or UDP (a token sent that must come back, like the socat echo)
 * @param ip       the destination address, IPv4 or IPv6
 * @param port     the destination port
 * @param timeout  how long to wait for the connect or the echo
 * @param token    what a UDP probe sends and must see echoed; unused for TCP
 */
public record SocketCheck(Protocol protocol, String ip, int port, Duration timeout, String token) {

    public SocketCheck {
        if (protocol == Protocol.SCTP) {
            // perl-base has no SCTP sockets: SCTP stays with socat
            throw new IllegalArgumentException("SCTP cannot be checked in the socket batch");
        }
        if (token == null || token.isBlank() || token.contains(" ")) {
            throw new IllegalArgumentException("a socket check needs a token without spaces, got '" + token + "'");
        }
    }
}
