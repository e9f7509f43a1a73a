package io.netconform.probe;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Outputs the probe lab's real kernel and tools printed that the recorded fixtures did not show, each of
 * which a parser once got wrong. The texts are verbatim from the lab (see {@code ProbesInLabTest}).
 */
class LabFoundParsingTest {

    @Test
    void nslookupWithAnAddressAndNxdomainForTheOtherRecordTypeResolved() {
        // BIND nslookup asks A and AAAA; dnsmasq, authoritative for cluster.local with only an A record,
        // says NXDOMAIN to the AAAA query and nslookup exits 1. Read as NXDOMAIN, a working service
        // name looked missing.
        String output = """
                Server:		10.77.1.53
                Address:	10.77.1.53#53

                Name:	web.default.svc.cluster.local
                Address: 10.77.1.10
                ** server can't find web.default.svc.cluster.local: NXDOMAIN

                """;
        Probe probe = Probe.nslookup("10.77.1.53", "web.default.svc.cluster.local", Duration.ofSeconds(1));

        DnsResult dns = DnsResult.parse(1, output);
        Probe.Reading reading = probe.interpret(1, output);

        assertThat(dns.answer()).as(dns.detail()).isEqualTo(DnsAnswer.RESOLVED);
        assertThat(dns.addresses()).containsExactly("10.77.1.10");
        assertThat(dns.detail()).contains("10.77.1.10", "the other record type: NXDOMAIN");
        assertThat(reading.verdict()).isEqualTo(Verdict.ALLOWED);
    }

    @Test
    void nslookupNxdomainForBothRecordTypesIsStillNxdomain() {
        String output = """
                Server:		10.77.1.53
                Address:	10.77.1.53#53

                ** server can't find missing.default.svc.cluster.local: NXDOMAIN

                """;

        assertThat(DnsResult.parse(1, output).answer()).isEqualTo(DnsAnswer.NXDOMAIN);
    }
}
