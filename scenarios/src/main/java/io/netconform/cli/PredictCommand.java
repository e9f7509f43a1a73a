package io.netconform.cli;

import io.netconform.policy.PolicyFiles;
import io.netconform.policy.PolicyInputException;
import io.netconform.policy.PolicyOracle;
import io.netconform.policy.Port;
import io.netconform.policy.Prediction;
import io.netconform.policy.Protocol;
import io.netconform.policy.Reachability;
import io.netconform.policy.Topology;
import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code netconform predict}: what a conforming CNI should allow for a modelled topology and a set of
 * NetworkPolicies, with the reason for every verdict. Offline: no cluster.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Predicts which flows the policies allow between the pods of a model, and why: NetworkPolicy"
                + " (networking.k8s.io/v1), ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2) and"
                + " AdminNetworkPolicy / BaselineAdminNetworkPolicy (v1alpha1), mixed freely, evaluated in tiers"
                + " Admin -> NetworkPolicy -> Baseline -> default allow.",
                "No cluster needed. Exit 0: printed; 2: bad input (file, line and problem on stderr)."})
public class PredictCommand implements Callable<Integer> {

    enum Format { table, json, matrix }

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL.yaml",
            description = "Topology: namespaces with labels, pods with labels, ports and optional IPs.")
    Path model;

    @Option(names = "--policies", required = true, paramLabel = "FILE_OR_DIR",
            description = "A policy YAML file (multi-document, kinds may be mixed) or a directory of *.yaml / *.yml.")
    Path policies;

    @Option(names = "--port", paramLabel = "P", description = "Only this port number.")
    Integer port;

    @Option(names = "--protocol", paramLabel = "TCP|UDP|SCTP", converter = ProtocolConverter.class,
            description = "Only this protocol.")
    Protocol protocol;

    @Option(names = "--format", defaultValue = "table", paramLabel = "table|json|matrix",
            description = {"table: a grid per port plus why each blocked pair is blocked.",
                    "json: every flow with compact explanations (policies and rules by index, see docs/predict-schema.md).",
                    "matrix: only the verdicts, one string per source pod per port, for tools.",
                    "Default: ${DEFAULT-VALUE}."})
    Format format;

    static final class ProtocolConverter implements ITypeConverter<Protocol> {
        @Override
        public Protocol convert(String value) {
            return Protocol.parse(value);
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PolicyOracle oracle = PolicyOracle.of(Topology.fromModelYaml(model), PolicyFiles.loadAll(policies));
        List<Port> ports = servedPorts(oracle.topology());
        if (ports.isEmpty()) {
            throw new PolicyInputException("no pod in " + model + " serves " + (port == null ? "any port" : "port " + port)
                    + (protocol == null ? "" : " on " + protocol) + "; the model's pods serve " + servedPortsUnfiltered(oracle.topology()));
        }
        // buffered: a large model prints hundreds of thousands of lines, and picocli's writer flushes on each
        PrintWriter buffered = new PrintWriter(new BufferedWriter(out, 1 << 16), false);
        switch (format) {
            case json -> PredictJson.flows(oracle, ports, buffered);
            case matrix -> PredictJson.matrix(oracle, ports, buffered);
            case table -> table(oracle, ports, buffered);
        }
        buffered.flush();
        out.flush();
        return 0;
    }

    private static void table(PolicyOracle oracle, List<Port> ports, PrintWriter out) {
        Topology topology = oracle.topology();
        for (Port traffic : ports) {
            Reachability grid = oracle.reachability(traffic);
            out.println(grid.render());
            for (Reachability.Pair pair : grid.pairs()) {
                // a blocked pair to a pod that does not serve the port is not a policy finding
                if (grid.get(pair.from(), pair.to()) == Reachability.State.BLOCKED && topology.pod(pair.to()).serves(traffic)) {
                    Prediction p = oracle.predict(pair.from(), pair.to(), traffic);
                    out.println("  " + pair + " blocked: " + p.why());
                }
            }
            out.println();
        }
    }

    /** The distinct (number, protocol) pairs the model's pods serve, after --port/--protocol, in a stable order. */
    private List<Port> servedPorts(Topology topology) {
        return topology.pods().stream().flatMap(p -> p.ports().stream())
                .map(p -> new Port(p.number(), p.protocol(), null))
                .filter(p -> port == null || p.number() == port)
                .filter(p -> protocol == null || p.protocol() == protocol)
                .distinct()
                .sorted(Comparator.comparing(Port::protocol).thenComparingInt(Port::number))
                .toList();
    }

    private static List<String> servedPortsUnfiltered(Topology topology) {
        return topology.pods().stream().flatMap(p -> p.ports().stream())
                .map(p -> p.protocol() + "/" + p.number()).distinct().sorted().toList();
    }
}
