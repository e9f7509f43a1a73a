package io.netconform.scenarios.services;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.netconform.junit.Scenario;
import io.netconform.service.Requires;
import io.netconform.service.ServiceBed;

/**
 * The Service that has a healthCheckNodePort: only type LoadBalancer with externalTrafficPolicy Local gets one. A test
 * must not buy a cloud load balancer, so it names a load-balancer class no controller serves; where the API server
 * drops that field (before 1.22) and the nodes belong to a cloud provider, the check is skipped instead.
 */
final class HealthCheck {

    static final String NO_CONTROLLER = "netconform.io/no-load-balancer";

    private HealthCheck() {
    }

    static Service loadBalancer(Scenario scenario, ServiceBed bed) {
        // TCP only: a LoadBalancer Service may not mix protocols before the MixedProtocolLBService gate (beta in
        // 1.24); Kubernetes 1.20 refuses it with 422, and the health-check port does not depend on the protocol
        Service lb = bed.create(bed.service("local-lb", ServiceBed.ONE).editSpec().withType("LoadBalancer")
                .removeMatchingFromPorts(port -> "UDP".equals(port.getProtocol()))
                .withExternalTrafficPolicy("Local").withLoadBalancerClass(NO_CONTROLLER).endSpec());
        boolean cloud = scenario.run().cluster().client().nodes().list().getItems().stream().map(Node::getSpec)
                .anyMatch(s -> s.getProviderID() != null && !s.getProviderID().isBlank());
        if (lb.getSpec().getLoadBalancerClass() == null && cloud) {
            scenario.run().cluster().client().services().inNamespace(bed.namespace()).withName("local-lb").delete();
            Requires.that(false, "spec.loadBalancerClass", "a LoadBalancer Service is the only kind with a "
                    + "healthCheckNodePort, the API server (Kubernetes " + scenario.run().cluster().kubernetesVersion()
                    + ") dropped loadBalancerClass, and the nodes have a cloud providerID: a cloud load balancer would "
                    + "be provisioned for a test");
        }
        bed.awaitEndpoints("local-lb", 1);
        return lb;
    }
}
