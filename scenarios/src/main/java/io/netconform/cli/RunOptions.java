package io.netconform.cli;

import io.netconform.cluster.Images;
import io.netconform.cni.Cnis;
import io.netconform.junit.RunConfig;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;

/** The options of a run against a cluster, shared by {@code run} and {@code bench}. */
final class RunOptions {

    @Mixin
    ClusterOptions cluster = new ClusterOptions();

    @Mixin
    ImageOptions images = new ImageOptions();

    @Option(names = "--probe-timeout", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = RunConfig.DEFAULT_PROBE_TIMEOUT,
            description = "How long one probe waits for an answer before calling it a drop (default ${DEFAULT-VALUE}).")
    Duration probeTimeout;

    @Option(names = "--converge-timeout", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = RunConfig.DEFAULT_CONVERGE_TIMEOUT,
            description = "How long a mismatching pair is re-probed before it is reported (default ${DEFAULT-VALUE}).")
    Duration convergeTimeout;

    @Option(names = "--pod-ready-timeout", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = RunConfig.DEFAULT_POD_READY_TIMEOUT,
            description = "How long test pods may take to start (image problems fail at once) (default ${DEFAULT-VALUE}).")
    Duration podReadyTimeout;

    @Option(names = "--max-node-pairs", paramLabel = "N", defaultValue = RunConfig.DEFAULT_MAX_NODE_PAIRS,
            description = "Cross-node pairs sampled on large clusters; every node is still covered (default ${DEFAULT-VALUE}).")
    int maxNodePairs;

    @Option(names = "--cni", paramLabel = "NAME", completionCandidates = Cnis.KnownNames.class,
            description = "Override CNI detection: ${COMPLETION-CANDIDATES}.")
    String cni;

    @Option(names = "--expect-mtu", paramLabel = "BYTES",
            description = "The pod MTU to require (576-65535); makes the MTU check strict.")
    Integer expectMtu;

    @Option(names = "--require-policy",
            description = "Fail (instead of skipping) the policy suites when the CNI does not enforce NetworkPolicy.")
    boolean requirePolicy;

    @Option(names = "--external-dns-name", paramLabel = "NAME",
            description = "Also resolve this name outside the cluster (off by default: nightly clusters are often offline).")
    String externalDnsName;

    @Option(names = "--node-evidence",
            description = "Read each sampled node's conntrack and kernel counters, rp_filter, MTUs and VXLAN checksum "
                    + "offload before and after every suite, from a privileged hostNetwork pod per node, and report "
                    + "what changed (reports/node-evidence.md, summary.json). Off by default.")
    boolean nodeEvidence;

    @Option(names = "--namespace-ttl", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = RunConfig.DEFAULT_NAMESPACE_TTL,
            description = "Expiry written on test namespaces; `netconform gc` removes leftovers after it (default ${DEFAULT-VALUE}).")
    Duration namespaceTtl;

    @Option(names = "--reports", paramLabel = "DIR", defaultValue = RunConfig.DEFAULT_REPORTS,
            description = "Where reports go (default ${DEFAULT-VALUE}).")
    Path reports;

    RunConfig config() {
        return new RunConfig(cluster.kubeconfig, cluster.context, cluster.embedded, images.imageRegistry,
                images.overrides(), images.pullSecrets,
                probeTimeout, convergeTimeout, podReadyTimeout, namespaceTtl, maxNodePairs, cni,
                expectMtu, requirePolicy, externalDnsName, reports, null);
    }

    /**
     * Parsing durations while picocli parses the command line makes a bad value a usage error that names the
     * option ("Invalid value for option '--probe-timeout': 'banana' is not a duration ..."), not a bare message.
     */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return RunConfig.parseDuration(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
