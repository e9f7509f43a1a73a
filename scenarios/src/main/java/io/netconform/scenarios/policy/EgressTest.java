package io.netconform.scenarios.policy;

import io.netconform.junit.PolicySuite;
import io.netconform.junit.Scenario;
import io.netconform.policy.Port;
import io.netconform.policy.Reachability;
import io.netconform.policy.Topology;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

/** Egress allow-lists: by pod label with DNS, and by ipBlock with except. */
@PolicySuite
@Order(17)
@DisplayName("policy: egress")
class EgressTest {

    static final Port DNS = Port.udp(53);
    static final Port SQL = Port.tcp(5432);
    static final Port HTTP = Port.tcp(80);

    @Test
    @DisplayName("allow DNS and the database: the backend reaches the resolver on UDP 53 and the database on 5432")
    void allowDnsAndDatabase(Scenario scenario) {
        Topology topology = Topology.of("app/api", "app/db", "app/cache", "other/db", "kube-system/dns")
                .withPodLabels("app/api", Map.of("app", "backend"))
                .withPodLabels("app/db", Map.of("app", "database"))
                // app/cache: a neighbour serving the same port without the database label
                .withPodLabels("app/cache", Map.of("app", "cache"))
                // other/db: the database label in another namespace, outside a podSelector-only peer
                .withPodLabels("other/db", Map.of("app", "database"))
                // kube-system/dns: a stand-in for kube-dns in the case's own kube-system, so the DNS rule is observed
                // pod to pod; resolution through the cluster's real DNS is the DNS suite's case
                .withPodLabels("kube-system/dns", Map.of("k8s-app", "kube-dns"))
                .serving(SQL, DNS);
        scenario.deploy(topology).apply("egress/dns-and-database.yaml");

        scenario.verify(SQL, Reachability.allAllowed(topology, SQL)
                .denyEgressFrom("app/api")
                .allow("app/api", "app/db"));
        scenario.verify(DNS, Reachability.allAllowed(topology, DNS)
                .denyEgressFrom("app/api")
                .allow("app/api", "kube-system/dns"));
    }

    @Test
    @DisplayName("internet only: ipBlock 0.0.0.0/0 except the private ranges blocks every pod, DNS aside")
    void internetOnly(Scenario scenario) {
        Topology topology = Topology.of("app/browser", "app/server", "other/server", "kube-system/dns")
                .withPodLabels("app/browser", Map.of("internet-access", "true"))
                // app/server: an unlabelled neighbour, whose egress the policy must leave alone
                // kube-system/dns: the one pod the browser may still reach, through the DNS rule, not the ipBlock
                .withPodLabels("kube-system/dns", Map.of("k8s-app", "kube-dns"))
                .serving(HTTP, DNS);
        scenario.deploy(topology);
        // the case rests on pod IPs being private; a cluster with public or CGNAT pod addresses cannot show it
        List<String> notPrivate = scenario.topology().pods().stream().flatMap(p -> p.ips().stream())
                .filter(ip -> ip.contains(".") && !isPrivate(ip)).toList();
        Assumptions.assumeTrue(notPrivate.isEmpty(), () -> "pod IPs " + notPrivate
                + " are outside 10.0.0.0/8, 172.16.0.0/12 and 192.168.0.0/16, which this case excepts");
        scenario.apply("egress/internet-only.yaml");

        scenario.verify(HTTP, Reachability.allAllowed(topology, HTTP)
                .denyEgressFrom("app/browser"));
        scenario.verify(DNS, Reachability.allAllowed(topology, DNS)
                .denyEgressFrom("app/browser")
                .allow("app/browser", "kube-system/dns"));
    }

    private static boolean isPrivate(String ip) {
        try {
            // for IPv4 literals, site-local is exactly RFC 1918: 10/8, 172.16/12, 192.168/16
            return InetAddress.getByName(ip).isSiteLocalAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("pod IP '" + ip + "' is not an address", e);
        }
    }
}
