package io.netconform.scenarios.services;

import io.fabric8.kubernetes.api.model.Pod;
import io.netconform.cluster.PodReadiness;
import io.netconform.cluster.TestPods;
import io.netconform.junit.Scenario;
import io.netconform.probe.ProbeResult;
import io.netconform.probe.ProbedPair;
import io.netconform.probe.Verdict;
import io.netconform.probe.Verification;
import io.netconform.service.Backends;
import io.netconform.service.Requires;
import io.netconform.service.ServiceBed;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A whoami pod mapping a port of its node (hostPort) to itself. hostPort is implemented by the CNI chain, not by
 * Kubernetes: without the {@code portmap} plugin the field is accepted and silently does nothing (flannel#890).
 *
 * @param pod  the pod's name
 * @param node its node
 * @param port the node port it maps
 */
record HostPort(String pod, String node, int port) {

    static HostPort deploy(Scenario scenario, ServiceBed bed) {
        String node = bed.endpoint().node();
        int port = bed.nodePort(2);
        Pod pod = TestPods.onNode(Backends.withHostPort(Backends.whoami(scenario.run().images(), "hostport-" + node,
                Backends.TCP, Backends.UDP), port), node).build();
        PodReadiness.create(scenario.run().cluster().client(), bed.namespace(), pod);
        PodReadiness.awaitReady(scenario.run().cluster().client(), bed.namespace(),
                List.of(pod.getMetadata().getName()), scenario.run().config().podReadyTimeout());
        return new HostPort(pod.getMetadata().getName(), node, port);
    }

    /**
     * When no client got an answer and every probe observed a drop or a refusal (not an exec error), the CNI chain
     * does not implement hostPort at all: that is a capability, reported as such, not a broken path.
     */
    void requireSupported(Verification v) {
        List<ProbeResult> results = v.pairs().stream().map(ProbedPair::result).toList();
        boolean none = results.stream().noneMatch(r -> r.verdict() == Verdict.ALLOWED || r.verdict() == Verdict.ERROR);
        Requires.that(!none, "hostPort support in the CNI chain", "not supported by this CNI chain: port " + port
                + " on " + node + " answered no client although pod " + pod + " is ready and listens ("
                + results.stream().map(ProbeResult::detail).distinct().collect(Collectors.joining("; "))
                + "); hostPort needs the portmap plugin in the node's CNI configuration (flannel#890)\n  reproduce: "
                + results.get(0).reproduce());
    }
}
