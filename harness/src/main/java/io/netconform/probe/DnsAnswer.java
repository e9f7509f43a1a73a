package io.netconform.probe;

/**
 * What a DNS query got back. RESOLVED, NODATA, NXDOMAIN, SERVFAIL and REFUSED are all answers from
 * the server (the network let the query through); only TIMEOUT and UNREACHABLE say it did not.
 */
public enum DnsAnswer {
    /** NOERROR with address records. */
    RESOLVED,
    /** NOERROR without records of the asked type. */
    NODATA,
    NXDOMAIN,
    SERVFAIL,
    /** The server answered with rcode REFUSED (not a network refusal). */
    REFUSED,
    /** No answer within the timeout: the query or its reply was dropped. */
    TIMEOUT,
    /** The transport was refused (ICMP port unreachable / TCP RST): nothing listens, or a policy rejects. */
    UNREACHABLE,
    /** The probe could not tell. */
    ERROR;

    Verdict verdict() {
        return switch (this) {
            case RESOLVED, NODATA, NXDOMAIN, SERVFAIL, REFUSED -> Verdict.ALLOWED;
            case TIMEOUT -> Verdict.TIMEOUT;
            case UNREACHABLE -> Verdict.REFUSED;
            case ERROR -> Verdict.ERROR;
        };
    }
}
