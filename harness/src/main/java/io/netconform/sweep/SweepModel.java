package io.netconform.sweep;

import io.netconform.policy.Port;
import io.netconform.policy.Protocol;
import io.netconform.policy.Topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The sweep's one model, deployed once and reused by every case: the upstream e2e x/y/z model (namespaces x, y, z;
 * pods a, b, c in each), every pod serving 80 and 81 on TCP and UDP (and SCTP where the cluster carries it).
 *
 * <p>Besides {@code pod=<name>} and {@code ns=<name>}, pods carry a {@code tier} and namespaces an {@code env}, so
 * selectors have something other than names to match and label-change actions have something to flip. Named ports
 * give the same name different numbers on different pods (b swaps them), which is what tells a CNI that resolves
 * named ports per destination from one that does not.
 */
public final class SweepModel {

    public static final List<String> NAMESPACES = List.of("x", "y", "z");
    public static final List<String> PODS = List.of("a", "b", "c");
    public static final List<Integer> NUMBERS = List.of(80, 81);
    static final Map<String, String> TIER = Map.of("a", "front", "b", "back", "c", "db");
    static final Map<String, String> ENV = Map.of("x", "prod", "y", "prod", "z", "dev");
    /** The port names per protocol: the first names 80 on pods a and c and 81 on pod b, the second the other number. */
    static final Map<Protocol, List<String>> NAMES = Map.of(
            Protocol.TCP, List.of("web", "alt"),
            Protocol.UDP, List.of("uweb", "ualt"),
            Protocol.SCTP, List.of("sweb", "salt"));

    private SweepModel() {
    }

    /** The protocols the model serves: TCP and UDP, plus SCTP when the cluster carries it. */
    public static List<Protocol> protocols(boolean sctp) {
        return sctp ? List.of(Protocol.TCP, Protocol.UDP, Protocol.SCTP) : List.of(Protocol.TCP, Protocol.UDP);
    }

    /** The traffic every case probes: each number on each protocol (unnamed: the identity packets carry). */
    public static List<Port> probedPorts(boolean sctp) {
        List<Port> ports = new ArrayList<>();
        for (Protocol protocol : protocols(sctp)) {
            for (int number : NUMBERS) {
                ports.add(new Port(number, protocol, null));
            }
        }
        return ports;
    }

    public static Topology topology(boolean sctp) {
        List<String> ids = new ArrayList<>();
        NAMESPACES.forEach(ns -> PODS.forEach(pod -> ids.add(ns + "/" + pod)));
        Topology t = Topology.of(ids.toArray(String[]::new));
        for (String ns : NAMESPACES) {
            t = t.withNamespaceLabels(ns, Map.of("env", ENV.get(ns)));
            for (String pod : PODS) {
                String id = ns + "/" + pod;
                t = t.withPodLabels(id, Map.of("tier", TIER.get(pod))).servingOn(id, ports(pod, sctp).toArray(Port[]::new));
            }
        }
        return t;
    }

    /**
     * The model with made-up IPs laid out like a two-node cluster (pods alternate between 10.244.0.0/24 and
     * 10.244.1.0/24), for printing and checking cases without a cluster. ipBlock CIDRs are cut from the pods' IPs, so
     * on a cluster the same seed gives the same cases with that cluster's addresses.
     */
    public static Topology withPlaceholderIps(Topology model) {
        Topology t = model;
        int i = 0;
        for (var id : model.podIds()) {
            t = t.withIp(id.toString(), "10.244." + (i % 2) + "." + (10 + i));
            i++;
        }
        return t;
    }

    static List<Port> ports(String pod, boolean sctp) {
        boolean swapped = pod.equals("b");
        List<Port> ports = new ArrayList<>();
        for (Protocol protocol : protocols(sctp)) {
            List<String> names = NAMES.get(protocol);
            ports.add(new Port(80, protocol, names.get(swapped ? 1 : 0)));
            ports.add(new Port(81, protocol, names.get(swapped ? 0 : 1)));
        }
        return ports;
    }
}
