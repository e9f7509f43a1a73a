package io.netconform.scenarios.multus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.netconform.cluster.PodReadiness;
import io.netconform.cluster.TestPods;
import io.netconform.exec.ExecResult;
import io.netconform.exec.PodRef;
import io.netconform.junit.Capability;
import io.netconform.junit.ConformanceSuite;
import io.netconform.junit.Requires;
import io.netconform.junit.Run;
import io.netconform.junit.Scenario;
import io.netconform.probe.LinkMtu;
import io.netconform.probe.PathMtu;
import io.netconform.probe.Probe;
import io.netconform.probe.ProbeResult;
import io.netconform.probe.Verdict;
import io.netconform.report.BrokenCheck;
import io.netconform.report.CheckFailure;
import io.netconform.report.FailureKind;
import io.netconform.report.Json;
import io.netconform.report.Report;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A secondary pod interface through Multus: two netshoot pods on one node attach a NetworkAttachmentDefinition as
 * {@code net1}; each must have the interface with an address, the MTU the attachment configures (when it configures
 * one), and the pods must reach each other over it, with full-size don't-fragment packets.
 *
 * <p>The attachment is the user's ({@code -Dnetconform.multus.network=namespace/name}) or a node-local bridge with
 * host-local IPAM on 192.168.251.0/24 created in the run's namespace. The bridge plugin leaves its bridge
 * ({@code nc-multus0}) on the node after the run; it carries nothing once the pods are gone.
 */
@ConformanceSuite
@Order(60)
@Tag("multus")
@DisplayName("multus")
class MultusTest {

    /** What one pod shows of its secondary interface. */
    private record Secondary(PodRef pod, List<String> addresses, OptionalInt mtu, Optional<NetworkStatus> status) {
    }

    @Test
    @Requires(Capability.MULTUS)
    @DisplayName("secondary interface: address, MTU and pod-to-pod reachability")
    void secondaryInterface(Scenario scenario) {
        Run run = scenario.run();
        KubernetesClient client = run.cluster().client();
        String ns = run.namespaces().create("multus", "multus", Map.of());
        Attachment attachment = attachment(client, ns);
        Optional<Integer> configuredMtu = configuredMtu(client, attachment);

        // one node: a bridge attachment connects only the pods on the node its bridge lives on
        String node = run.placement().nodes().get(0);
        List<String> names = List.of("multus-a", "multus-b");
        for (String name : names) {
            PodReadiness.create(client, ns, TestPods.onNode(TestPods.netshootClient(run.images(), name)
                    .editMetadata().addToAnnotations(Attachment.NETWORKS_ANNOTATION, attachment.annotation()).endMetadata(),
                    node).build());
        }
        List<PodRef> pods = names.stream().map(n -> new PodRef(ns, n, TestPods.CONTAINER)).toList();
        List<Secondary> seen = new ArrayList<>();
        for (Pod ready : PodReadiness.awaitReady(client, ns, names, run.config().podReadyTimeout())) {
            seen.add(inspect(scenario, ready, attachment, pods));
        }
        Report.attachText(Attachment.INTERFACE + " as the pods see it", seen.toString());

        for (Secondary s : seen) {
            int mtu = s.mtu().orElseThrow();
            if (configuredMtu.isPresent() && mtu != configuredMtu.get()) {
                throw scenario.failure(CheckFailure.of(FailureKind.MTU, s.pod() + ": " + Attachment.INTERFACE
                        + " has MTU " + mtu + ", but attachment " + attachment + " configures " + configuredMtu.get())
                        .reproduce(s.pod().kubectlExec(LinkMtu.sysfsCommand(Attachment.INTERFACE))), pods);
            }
        }
        Secondary from = seen.get(0);
        Secondary to = seen.get(1);
        String peer = to.status().flatMap(st -> st.ips().stream().findFirst()).orElse(to.addresses().get(0));
        String what = "ping over " + Attachment.INTERFACE + " (" + attachment + ") from " + from.pod() + " to " + peer;
        ProbeResult ping = scenario.probeUntil(from.pod(), Probe.ping(peer, 3, scenario.probeTimeout()),
                r -> r.verdict() == Verdict.ALLOWED);
        expectAllowed(scenario, ping, what, FailureKind.UNEXPECTED_DROP, pods);
        int mtu = from.mtu().orElseThrow();
        ProbeResult full = scenario.probe(from.pod(),
                Probe.dfPing(peer, mtu - PathMtu.headerBytes(peer), scenario.probeTimeout()));
        expectAllowed(scenario, full, "don't-fragment ping of a full " + mtu + "-byte packet, " + what, FailureKind.MTU, pods);
        run.say("multus: " + attachment + " on " + node + ": " + from.pod().pod() + " " + from.addresses() + " → "
                + to.pod().pod() + " " + peer + ", MTU " + mtu + ", " + ping.detail());
    }

    /** The user's attachment, which must exist, or the default bridge created in {@code ns}. */
    private static Attachment attachment(KubernetesClient client, String ns) {
        Optional<Attachment> configured = Attachment.configured(System.getProperty(Attachment.PROPERTY));
        if (configured.isPresent()) {
            Attachment a = configured.get();
            if (Attachment.api(client).inNamespace(a.namespace()).withName(a.name()).get() == null) {
                // before any pod: nothing to collect evidence of
                throw CheckFailure.of(FailureKind.INFRA, "-D" + Attachment.PROPERTY + "=" + a
                        + " names a NetworkAttachmentDefinition that does not exist").reproduce(String.join(" ", a.kubectlGet()));
            }
            return a;
        }
        Attachment.api(client).inNamespace(ns).resource(Attachment.defaultBridge(ns)).create();
        return new Attachment(ns, Attachment.DEFAULT_NAME);
    }

    /** The {@code mtu} of the attachment's CNI config, when it sets one; otherwise the plugin picks and nothing is expected. */
    private static Optional<Integer> configuredMtu(KubernetesClient client, Attachment attachment) {
        GenericKubernetesResource nad = Attachment.api(client).inNamespace(attachment.namespace())
                .withName(attachment.name()).get();
        Object config = nad == null ? null : nad.get("spec", "config");
        if (config == null) {
            return Optional.empty();
        }
        try {
            JsonNode mtu = Json.MAPPER.readTree(config.toString()).path("mtu");
            return mtu.canConvertToInt() ? Optional.of(mtu.asInt()) : Optional.empty();
        } catch (JsonProcessingException e) {
            throw CheckFailure.of(FailureKind.INFRA, "attachment " + attachment
                    + " has a spec.config that is not JSON: " + e.getOriginalMessage())
                    .reproduce(String.join(" ", attachment.kubectlGet())).causedBy(e);
        }
    }

    /** net1's addresses, MTU and Multus's status for it; fails naming the pod and the command when any is missing. */
    private static Secondary inspect(Scenario scenario, Pod ready, Attachment attachment, List<PodRef> pods) {
        PodRef ref = new PodRef(ready.getMetadata().getNamespace(), ready.getMetadata().getName(), TestPods.CONTAINER);
        List<String> addrCommand = List.of("ip", "-o", "addr", "show", "dev", Attachment.INTERFACE);
        ExecResult addr = exec(scenario, ref, addrCommand, pods, "list the addresses of " + Attachment.INTERFACE);
        List<String> addresses = NetworkStatus.addresses(addr.stdout());
        if (addresses.isEmpty()) {
            throw scenario.failure(CheckFailure.of(FailureKind.INFRA, ref + ": " + Attachment.INTERFACE + " from "
                    + attachment + " exists but has no global address").reproduce(ref.kubectlExec(addrCommand))
                    .output(addr.output()), pods);
        }
        ExecResult sysfs = exec(scenario, ref, LinkMtu.sysfsCommand(Attachment.INTERFACE), pods,
                "read the MTU of " + Attachment.INTERFACE);
        OptionalInt mtu = LinkMtu.sysfsMtu(sysfs.stdout());
        if (mtu.isEmpty()) {
            // unreadable tool output: nothing was observed about the attachment
            throw scenario.broken(BrokenCheck.of(ref + ": no MTU in the output of "
                    + String.join(" ", LinkMtu.sysfsCommand(Attachment.INTERFACE)))
                    .reproduce(ref.kubectlExec(LinkMtu.sysfsCommand(Attachment.INTERFACE))).output(sysfs.output()), pods);
        }
        List<NetworkStatus> networks = NetworkStatus.parse(ready.getMetadata().getAnnotations()
                .get(Attachment.STATUS_ANNOTATION));
        Optional<NetworkStatus> status = NetworkStatus.onInterface(networks, Attachment.INTERFACE);
        status.ifPresent(st -> st.ips().stream().filter(ip -> !addresses.contains(ip)).findFirst().ifPresent(ip -> {
            throw scenario.failure(CheckFailure.of(FailureKind.INFRA, ref + ": Multus reports " + ip + " on "
                    + Attachment.INTERFACE + " (" + Attachment.STATUS_ANNOTATION + "), but the pod's "
                    + Attachment.INTERFACE + " has " + addresses).reproduce(ref.kubectlExec(addrCommand)), pods);
        }));
        return new Secondary(ref, addresses, mtu, status);
    }

    private static ExecResult exec(Scenario scenario, PodRef pod, List<String> command, List<PodRef> pods, String why) {
        ExecResult result = scenario.run().executor().exec(pod, command, scenario.probeTimeout().plus(Probe.EXEC_MARGIN));
        if (!result.completed() || result.exitCode() != 0) {
            // the exec failed: nothing was observed, so BROKEN, never a verdict on the attachment
            throw scenario.broken(BrokenCheck.of(pod + ": could not " + why + ": expected exit 0, got " + result)
                    .reproduce(pod.kubectlExec(command)).output(result.output()), pods);
        }
        return result;
    }

    private static void expectAllowed(Scenario scenario, ProbeResult result, String what, FailureKind kind,
                                      List<PodRef> pods) {
        if (result.verdict() == Verdict.ALLOWED) {
            return;
        }
        String seen = what + ": expected ALLOWED, got " + result.verdict() + " (" + result.detail() + ")";
        if (result.verdict() == Verdict.ERROR) {
            throw scenario.broken(BrokenCheck.of(seen).reproduce(result.reproduce()).output(result.output()), pods);
        }
        throw scenario.failure(CheckFailure.of(kind, seen).reproduce(result.reproduce()).output(result.output()), pods);
    }
}
