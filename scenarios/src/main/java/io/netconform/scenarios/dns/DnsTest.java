package io.netconform.scenarios.dns;

import io.fabric8.kubernetes.api.model.Service;
import io.netconform.exec.PodRef;
import io.netconform.junit.Capability;
import io.netconform.junit.ConformanceSuite;
import io.netconform.junit.Fleet;
import io.netconform.junit.Requires;
import io.netconform.junit.Scenario;
import io.netconform.policy.Port;
import io.netconform.policy.Topology;
import io.netconform.probe.DnsAnswer;
import io.netconform.probe.DnsResult;
import io.netconform.probe.Probe;
import io.netconform.probe.ProbeResult;
import io.netconform.probe.Verdict;
import io.netconform.report.BrokenCheck;
import io.netconform.report.CheckFailure;
import io.netconform.report.FailureKind;
import io.netconform.report.Summary;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.opentest4j.TestAbortedException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * Cluster DNS as pods use it: the DNS service found from the cluster (kube-system/kube-dns, else the pod's
 * resolv.conf — never a hard-coded 10.43.0.10), a Service resolved by short name, namespace-qualified name and FQDN
 * (the search path and ndots), {@code kubernetes.default}, over UDP and TCP, and a missing name answered NXDOMAIN —
 * told apart from a timeout, since {@code dig} exits 0 on NXDOMAIN.
 */
@ConformanceSuite
@Order(14)
@Tag("dns")
@DisplayName("dns")
class DnsTest {

    private static final Pattern NAMESERVER = Pattern.compile("(?m)^nameserver\\s+(\\S+)");

    @TestFactory
    @DisplayName("cluster DNS")
    Stream<DynamicTest> clusterDns(Scenario scenario) {
        Fleet fleet = scenario.fleet();
        Fleet.Member client = fleet.probes().get(0);
        String server = dnsServer(scenario, client.ref());
        String ns = fleet.namespace();
        String fqdn = Fleet.SERVICE + "." + ns + ".svc.cluster.local";
        String service = fleet.serviceIp();
        List<DynamicTest> checks = new ArrayList<>();
        checks.add(lookup(scenario, client, "short name " + Fleet.SERVICE + " via the search path",
                Probe.digSearch(Fleet.SERVICE, scenario.probeTimeout()), "UDP", DnsAnswer.RESOLVED, service));
        checks.add(lookup(scenario, client, "namespace-qualified " + Fleet.SERVICE + "." + ns,
                Probe.digSearch(Fleet.SERVICE + "." + ns, scenario.probeTimeout()), "UDP", DnsAnswer.RESOLVED, service));
        checks.add(lookup(scenario, client, "FQDN " + fqdn + " over UDP",
                Probe.dig(server, fqdn, scenario.probeTimeout(), false), "UDP", DnsAnswer.RESOLVED, service));
        checks.add(lookup(scenario, client, "FQDN " + fqdn + " over TCP",
                Probe.dig(server, fqdn, scenario.probeTimeout(), true), "TCP", DnsAnswer.RESOLVED, service));
        checks.add(lookup(scenario, client, "kubernetes.default via the search path",
                Probe.digSearch("kubernetes.default", scenario.probeTimeout()), "UDP", DnsAnswer.RESOLVED,
                scenario.run().cluster().client().services().inNamespace("default").withName("kubernetes").get()
                        .getSpec().getClusterIP()));
        String missing = "no-such-service-" + scenario.run().id() + "." + ns + ".svc.cluster.local";
        checks.add(lookup(scenario, client, "missing name answers NXDOMAIN (not a timeout)",
                Probe.dig(server, missing, scenario.probeTimeout(), false), "UDP", DnsAnswer.NXDOMAIN, null));
        String external = scenario.run().config().externalDnsName();
        checks.add(external == null
                ? dynamicTest("external name", () -> {
                    throw new TestAbortedException("no --external-dns-name given (nightly clusters are often offline)");
                })
                : lookup(scenario, client, "external name " + external,
                Probe.digSearch(external, scenario.probeTimeout()), "UDP", DnsAnswer.RESOLVED, null));
        return checks.stream();
    }

    private static DynamicTest lookup(Scenario scenario, Fleet.Member client, String name, Probe probe,
                                      String transport, DnsAnswer expected, String expectedAddress) {
        return dynamicTest(name, () -> {
            ProbeResult result = observed(scenario, client.ref(), name,
                    scenario.probeUntil(client.ref(), probe, r -> matches(DnsResult.of(r), expected, expectedAddress)));
            DnsResult dns = DnsResult.of(result);
            boolean ok = matches(dns, expected, expectedAddress);
            scenario.run().summary().dns(new Summary.Dns(name, "A", transport,
                    expected + (expectedAddress == null ? "" : " " + expectedAddress),
                    dns.answer() + (dns.addresses().isEmpty() ? "" : " " + dns.addresses()), ok));
            if (!ok) {
                throw scenario.failure(CheckFailure.of(FailureKind.DNS, name + ": expected " + expected
                        + (expectedAddress == null ? "" : " with " + expectedAddress) + ", got " + dns.answer() + " "
                        + dns.addresses() + " (" + dns.detail() + ")").reproduce(result.reproduce()).output(result.output()),
                        List.of(client.ref()));
            }
        });
    }

    @Test
    @Requires(Capability.NETWORK_POLICY)
    @DisplayName("under policy: default-deny egress blocks DNS; allowing UDP 53 to kube-dns restores it")
    void dnsUnderEgressPolicy(Scenario scenario) {
        // a client alone in its namespace, so the egress policies below judge nothing but its DNS traffic
        scenario.deploy(Topology.of("dns-egress/client").serving(Port.tcp(8080)));
        PodRef client = scenario.pod("dns-egress/client");
        String server = dnsServer(scenario, client);
        String name = "kubernetes.default.svc.cluster.local";
        Duration t = scenario.probeTimeout();

        scenario.apply("dns/default-deny-egress.yaml");
        ProbeResult denied = observed(scenario, client, "DNS under default-deny egress",
                scenario.probeUntil(client, Probe.dig(server, name, t, false), r -> DnsResult.of(r).answer() == DnsAnswer.TIMEOUT));
        record(scenario, "under default-deny egress", "UDP", DnsAnswer.TIMEOUT, denied);
        if (DnsResult.of(denied).answer() != DnsAnswer.TIMEOUT) {
            throw scenario.failure(CheckFailure.of(FailureKind.UNEXPECTED_ALLOW, "default-deny egress should block DNS, but "
                    + name + " got " + DnsResult.of(denied).answer()).reproduce(denied.reproduce()), List.of(client));
        }

        scenario.apply("dns/allow-dns.yaml");
        ProbeResult udp = observed(scenario, client, "DNS under allow-dns",
                scenario.probeUntil(client, Probe.dig(server, name, t, false), r -> DnsResult.of(r).answer() == DnsAnswer.RESOLVED));
        record(scenario, "allow-dns (UDP 53 to kube-dns)", "UDP", DnsAnswer.RESOLVED, udp);
        if (DnsResult.of(udp).answer() != DnsAnswer.RESOLVED) {
            throw scenario.failure(CheckFailure.of(FailureKind.DNS, "allowing UDP 53 to kube-dns should restore lookups, but "
                    + name + " got " + DnsResult.of(udp).answer() + " (" + DnsResult.of(udp).detail() + ")")
                    .reproduce(udp.reproduce()), List.of(client));
        }
        // the seed's rule names UDP only: say whether TCP fallback still works, without failing the case for it
        ProbeResult tcp = scenario.probe(client, Probe.dig(server, name, t, true));
        record(scenario, "allow-dns (UDP 53 to kube-dns)", "TCP", DnsResult.of(tcp).answer(), tcp);
        if (tcp.verdict() == Verdict.ERROR) {
            scenario.run().say("NOTE DNS over TCP 53 under the allow-dns policy could not be observed (" + tcp.detail()
                    + "); reproduce: " + tcp.reproduce());
        } else if (DnsResult.of(tcp).answer() != DnsAnswer.RESOLVED) {
            scenario.run().say("NOTE DNS over TCP 53 is still blocked under the allow-dns policy (it names UDP only): "
                    + "lookups with truncated answers will fail; reproduce: " + tcp.reproduce());
        }
    }

    /**
     * A lookup whose exec failed after its retries (or whose tool printed nothing readable) observed nothing about DNS:
     * the check is BROKEN (infrastructure), never a DNS failure that sends the reader to debug the DNS server.
     */
    private static ProbeResult observed(Scenario scenario, PodRef client, String what, ProbeResult result) {
        if (result.verdict() == Verdict.ERROR) {
            throw scenario.broken(BrokenCheck.of(what + ": could not observe DNS (" + result.detail() + ")")
                    .reproduce(result.reproduce()).output(result.output()), List.of(client));
        }
        return result;
    }

    private static void record(Scenario scenario, String query, String transport, DnsAnswer expected, ProbeResult result) {
        DnsResult dns = DnsResult.of(result);
        scenario.run().summary().dns(new Summary.Dns(query, "A", transport, expected.name(),
                dns.answer() + (dns.addresses().isEmpty() ? "" : " " + dns.addresses()), dns.answer() == expected));
    }

    private static boolean matches(DnsResult dns, DnsAnswer expected, String expectedAddress) {
        return dns.answer() == expected && (expectedAddress == null || dns.addresses().contains(expectedAddress));
    }

    /**
     * The cluster DNS service: kube-system/kube-dns (its ClusterIP), else the nameserver the kubelet wrote into the
     * pod's resolv.conf. A cluster with neither fails every DNS check with that reason, before any lookup.
     */
    static String dnsServer(Scenario scenario, PodRef client) {
        Service kubeDns = scenario.run().cluster().client().services().inNamespace("kube-system").withName("kube-dns").get();
        if (kubeDns != null && kubeDns.getSpec().getClusterIP() != null && !"None".equals(kubeDns.getSpec().getClusterIP())) {
            return kubeDns.getSpec().getClusterIP();
        }
        List<String> cat = List.of("cat", "/etc/resolv.conf");
        var resolv = scenario.run().executor().exec(client, cat, scenario.probeTimeout().plusSeconds(5));
        if (!resolv.completed()) {
            throw scenario.broken(BrokenCheck.of("cannot read the pod's resolv.conf to find the cluster DNS server: "
                    + resolv).reproduce(client.kubectlExec(cat)), List.of(client));
        }
        Matcher m = NAMESERVER.matcher(resolv.stdout());
        String fromPod = m.find() ? m.group(1) : null;
        if (fromPod == null) {
            throw scenario.failure(CheckFailure.of(FailureKind.DNS, "no cluster DNS service: kube-system/kube-dns does not"
                    + " exist and the pod's resolv.conf names no nameserver").reproduce(client.kubectlExec(cat)), List.of(client));
        }
        ProbeResult probe = observed(scenario, client, "the DNS server " + fromPod + " from resolv.conf", scenario.probe(client,
                Probe.dig(fromPod, "kubernetes.default.svc.cluster.local", scenario.probeTimeout(), false)));
        DnsResult answer = DnsResult.of(probe);
        if (answer.answer() == DnsAnswer.TIMEOUT || answer.answer() == DnsAnswer.UNREACHABLE) {
            throw scenario.failure(CheckFailure.of(FailureKind.DNS, "no cluster DNS service: kube-system/kube-dns does not"
                    + " exist, and the nameserver in the pods' resolv.conf (" + fromPod + ") does not answer ("
                    + answer.answer() + ")").reproduce(probe.reproduce()), List.of(client));
        }
        return fromPod;
    }
}
