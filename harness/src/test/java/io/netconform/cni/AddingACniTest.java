package io.netconform.cni;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Adding a CNI is one class and a fixture. {@link Antrea} below is the whole of what {@code cni/Antrea.java}
 * would hold; registered with the known CNIs, detection recognises it, takes its expectations, watches its
 * DaemonSet and asks for its reads, with no other file changed.
 */
@EnableKubernetesMockClient(crud = true)
class AddingACniTest {
    KubernetesClient client;

    /** Antrea: OVS datapath, Geneve tunnel unless antrea-agent.conf says otherwise, enforces NetworkPolicy. */
    static final class Antrea extends Cni {
        Antrea() {
            super("antrea", List.of("kube-system"), Encapsulation.GENEVE, "OVS, Geneve tunnel",
                    NetworkPolicySupport.enforced("Antrea's agent enforces policy in OVS"));
        }

        @Override
        boolean runs(DaemonSet ds) {
            return ds.getMetadata().getName().equals("antrea-agent")
                    || Detection.containerNames(ds).contains("antrea-agent");
        }

        @Override
        Draft detect(DaemonSet ds, Detection cluster) {
            Draft d = new Draft(this, Detection.imageVersion(ds, "antrea-agent"), Detection.source(ds));
            String conf = cluster.cluster.configMap(ds.getMetadata().getNamespace(), "antrea-config")
                    .map(cm -> Detection.data(cm, "antrea-agent.conf")).orElse("");
            d.encapsulation = conf.contains("tunnelType: vxlan") ? Encapsulation.VXLAN : Encapsulation.GENEVE;
            d.detail = "OVS, " + d.encapsulation.label() + " tunnel";
            return d;
        }

        @Override
        List<DetectionRead> reads() {
            return List.of(DetectionRead.configMap("antrea-config"));
        }
    }

    private static final List<Cni> WITH_ANTREA = Stream.concat(Cnis.KNOWN.stream(), Stream.of(new Antrea())).toList();

    @Test
    void detectionRecognisesTheNewCniWithItsExpectations() {
        ClusterFixtures cluster = new ClusterFixtures(client);
        cluster.daemonSet("kube-system", "antrea-agent", 2, 2, "antrea-agent=antrea/antrea-agent-ubuntu:v2.2.0",
                "antrea-ovs=antrea/antrea-agent-ubuntu:v2.2.0");
        cluster.configMap("kube-system", "antrea-config", Map.of("antrea-agent.conf", "tunnelType: vxlan\n"));
        cluster.node("n1", "v1.31.4", Map.of(), "10.244.0.0/24");

        CniProfile profile = CniDetector.detect(client, WITH_ANTREA);

        assertThat(profile.name()).isEqualTo("antrea");
        assertThat(profile.version()).isEqualTo("v2.2.0");
        assertThat(profile.encapsulation()).isEqualTo(Encapsulation.VXLAN);
        assertThat(profile.mtu()).isEqualTo(new ExpectedMtu(1450, "table: VXLAN on a 1500 underlay", true));
        assertThat(profile.networkPolicy().enforced()).isTrue();
        assertThat(profile.health().message()).isEqualTo("antrea-agent 2/2 ready, 0 restarts");
        assertThat(profile.warnings()).isEmpty();
    }

    @Test
    void theNewCnisReadsJoinThePreflight() {
        assertThat(Cnis.detectionReads(WITH_ANTREA))
                .contains(new DetectionRead("get", "", "configmaps", null, "antrea-config"))
                .containsAll(Cnis.detectionReads());
    }
}
