package io.netconform.probe;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Outputs a real kernel and real tools printed in network namespaces that the recorded fixtures did not show,
 * each of which a parser once got wrong. The texts are verbatim; {@code ProbesInLabTest} meets the same
 * situations live in the probe lab.
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

    // An address no router has a route for: the router answers ICMP net unreachable at once. Read as
    // "unrecognised" or as a timeout, an actively refused path looked like a broken probe or a silent drop.

    @Test
    void netcatNetworkUnreachableIsRefused() {
        String output = "nc: connect to 10.98.9.9 port 80 (tcp) failed: Network is unreachable\n";

        Probe.Reading reading = Probe.tcpConnect("10.98.9.9", 80, Duration.ofSeconds(1)).interpret(1, output);

        assertThat(reading.verdict()).as(reading.detail()).isEqualTo(Verdict.REFUSED);
        assertThat(reading.detail()).contains("Network is unreachable");
    }

    @Test
    void digOverTcpToAnUnroutedServerIsUnreachableNotATimeout() {
        String output = """
                ;; Connection to 10.98.9.9#53(10.98.9.9) for web failed: network unreachable.
                ;; no servers could be reached
                """;

        DnsResult dns = DnsResult.parse(9, output);

        assertThat(dns.answer()).as(dns.detail()).isEqualTo(DnsAnswer.UNREACHABLE);
        assertThat(dns.detail()).contains("failed: network unreachable");
    }

    @Test
    void digOverUdpToAnUnroutedServerStaysATimeout() {
        // dig over UDP never reports the ICMP error: it only times out, and the parser cannot know better
        String output = """
                ;; communications error to 10.98.9.9#53: timed out

                ; <<>> DiG 9.18.49-1~deb12u3-Debian <<>> @10.98.9.9 web +time=1 +tries=1
                ; (1 server found)
                ;; global options: +cmd
                ;; no servers could be reached
                """;

        assertThat(DnsResult.parse(9, output).answer()).isEqualTo(DnsAnswer.TIMEOUT);
    }

    @Test
    void tracepathStoppedByAnUnreachableHopIsRefused() {
        String output = """
                 1?: [LOCALHOST]                      pmtu 1500
                 1:  10.99.0.2                                             0.055ms !N
                 1:  10.99.0.2                                             0.080ms !N
                     Resume: pmtu 1500\s
                """;

        Probe.Reading reading = Probe.tracepath("10.98.9.9").interpret(0, output);

        assertThat(reading.verdict()).as(reading.detail()).isEqualTo(Verdict.REFUSED);
        assertThat(reading.detail()).contains("10.99.0.2 answered unreachable (!N)");
        assertThat(reading.metrics()).containsEntry("pmtu", 1500.0);
    }

    @Test
    void tracepathThatReachesItsTargetIsAllowedWhateverTheHops() {
        ProbeResult reached = Fixture.load("05b-tracepath-n-mtu1500pod.txt").readWith(Probe.tracepath("10.244.1.10"));

        assertThat(reached.verdict()).isEqualTo(Verdict.ALLOWED);
    }
}
