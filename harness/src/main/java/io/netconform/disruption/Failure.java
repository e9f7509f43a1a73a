package io.netconform.disruption;

/** Why a sample failed, as the tool in the pod said it. */
public enum Failure {
    /** no answer within the sample timeout: a drop somewhere on the path */
    TIMEOUT,
    /** actively refused: RST to a SYN, ICMP port unreachable to UDP, no Service endpoint */
    REFUSED,
    /** an established connection was reset or closed */
    RESET,
    /** a long-lived connection stopped answering (its echo came back late or not at all) */
    STALL,
    /** ICMP net/host unreachable, no route */
    UNREACHABLE,
    /** the DNS server answered with an error (SERVFAIL, NXDOMAIN, REFUSED) or the name had no address */
    DNS_ERROR,
    /** the HTTP server answered, but not with 2xx */
    HTTP_ERROR,
    /** anything else the tool printed; the detail says what */
    ERROR
}
