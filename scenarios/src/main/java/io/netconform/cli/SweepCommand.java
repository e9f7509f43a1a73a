package io.netconform.cli;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.netconform.cluster.ClusterException;
import io.netconform.cluster.RunClusterPolicies;
import io.netconform.cluster.RunId;
import io.netconform.junit.Run;
import io.netconform.junit.RunConfig;
import io.netconform.sweep.Capabilities;
import io.netconform.sweep.PolicyKind;
import io.netconform.sweep.Sweep;
import io.netconform.sweep.SweepCase;
import io.netconform.sweep.SweepModel;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/** Generated NetworkPolicy (and ClusterNetworkPolicy) cases on one deployed model, checked against the oracle. */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Generate NetworkPolicy cases (with --kinds also ClusterNetworkPolicy) from a seed and check each on the "
                        + "cluster against the policy oracle.",
                "Deploys the x/y/z model once (namespaces x, y, z; pods a, b, c; TCP and UDP 80 and 81, SCTP where the "
                        + "cluster carries it; named ports), then per case: proves the previous case is gone, applies its "
                        + "policies, probes every pair and port (one exec per source pod, mismatches re-probed until "
                        + "--converge-timeout), performs its action (relabel, policy update or delete) and probes again.",
                "Writes reports/junit, reports/allure-results (one test per case), reports/summary.json and reports/sweep.json; "
                        + "prints wrong cases in full and a summary grouped by dimension tag.",
                "ClusterNetworkPolicies are named <run id>-case-NNN-<name>, labelled with the run, their subjects and peers "
                        + "confined to the run's namespaces; each case's are deleted when it ends (and on any exit).",
                "Needs a CNI that enforces NetworkPolicy (and, with --kinds clusternetworkpolicy, a served "
                        + "ClusterNetworkPolicy API: exit 2 otherwise). Exit 0: no wrong verdict; 1: a case went wrong; 2: could not run."},
        footer = {"", "Examples:",
                "  netconform sweep --cases 200 --seed 42",
                "  netconform sweep --seed 42 --include egress --exclude port-named",
                "  netconform sweep --seed 42 --only 17          # repeat case 17 of seed 42",
                "  netconform sweep --seed 42 --confirm 2s       # also re-probe every pair 2 s after each step settles",
                "  netconform sweep --seed 1 --cases 40 --kinds networkpolicy,clusternetworkpolicy",
                "  netconform sweep --seed 42 --cases 5 --print  # the cases as YAML, no cluster"})
final class SweepCommand implements Callable<Integer> {

    @Mixin
    RunOptions options = new RunOptions();

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the generator: the same seed gives the same cases (default: random, printed).")
    Long seed;

    @Option(names = "--cases", paramLabel = "N", defaultValue = "50", description = "How many cases (default ${DEFAULT-VALUE}).")
    int cases;

    @Option(names = "--include", split = ",", paramLabel = "TAG",
            description = "Only cases with one of these tags, e.g. egress, port-named, peer-ipblock-except, action, "
                    + "cnp-tier-baseline, cnp (every ClusterNetworkPolicy tag; needs --kinds) (see --print).")
    List<String> include = new ArrayList<>();

    @Option(names = "--exclude", split = ",", paramLabel = "TAG", description = "No case with any of these tags.")
    List<String> exclude = new ArrayList<>();

    @Option(names = "--kinds", split = ",", paramLabel = "KIND",
            description = "Policy kinds the cases hold: networkpolicy (default), clusternetworkpolicy "
                    + "(policy.networking.k8s.io/v1alpha2, Admin and Baseline tiers, mostly beside NetworkPolicies), or both.")
    List<String> kinds = new ArrayList<>();

    @Option(names = "--confirm", paramLabel = "DURATION", converter = RunOptions.DurationConverter.class,
            description = "Once a step's every pair matches, wait DURATION and probe every pair once more, blocked pairs too "
                    + "(e.g. 2s: about your CNI's enforcement latency). Catches a change that reaches the data plane after the "
                    + "first round and opens a pair that was and should stay blocked. Costs DURATION plus one probe timeout per "
                    + "step (~3 per case). Default: only the allowed pairs seen before the settling round are probed again.")
    Duration confirm;

    @Option(names = "--only", paramLabel = "N", description = "Run only case N of the seed (with the same --include/--exclude).")
    Integer only;

    @Option(names = "--print", description = "Print the cases as YAML (ipBlocks cut from placeholder pod IPs) and exit; needs no cluster.")
    boolean print;

    @Option(names = "--run-id", paramLabel = "ID",
            description = "Run id, and so the namespaces' prefix: ID-x, ID-y, ID-z (default: nc- and six random hex digits).")
    String runId;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Sweep.Settings settings;
        RunConfig config;
        try {
            settings = new Sweep.Settings(seed != null ? seed : new SecureRandom().nextInt(1_000_000), cases, include, exclude, only,
                    PolicyKind.parse(kinds), confirm);
            if (runId != null) {
                new RunId(runId);
            }
            config = sweepConfig(options.config());
        } catch (IllegalArgumentException e) {
            err.println("netconform sweep: " + e.getMessage());
            return 2;
        }
        if (print) {
            return print(settings, out, err);
        }
        RunReports reports;
        try {
            reports = RunReports.prepare(config.reportsDir());
        } catch (IOException e) {
            err.println("netconform sweep: cannot prepare " + config.reportsDir() + ": " + e.getMessage());
            return 2;
        }
        Run run;
        try {
            run = Run.start(config, line -> {
                out.println(line);
                out.flush();
            });
        } catch (ClusterException | IllegalArgumentException e) {
            err.println("netconform sweep: " + e.getMessage());
            return 2;
        }
        Optional<String> noClusterPolicies = clusterPoliciesUnavailable(settings, run);
        if (noClusterPolicies.isPresent()) {
            run.close();
            err.println("netconform sweep: --kinds clusternetworkpolicy: " + noClusterPolicies.get());
            return 2;
        }
        Sweep sweep = new Sweep(settings);
        TestExecutionSummary totals;
        try (run) {
            Sweep.register(run.id(), sweep);
            reports.environment(run);
            totals = execute(run, out);
        } finally {
            Sweep.unregister(run.id());
        }
        run.summary().write(config.reportsDir().resolve("summary.json"));
        out.println();
        out.print(sweep.findings());
        out.printf("reports: %s (sweep.json, summary.json, junit/, allure-results/)%n", sweep.writeJson(config.reportsDir()).getParent());
        out.flush();
        if (run.fatal().isPresent()) {
            err.println("netconform sweep: could not run: " + run.fatal().get().getMessage());
            return 2;
        }
        return totals.getTotalFailureCount() > 0 ? 1 : 0;
    }

    /** Before anything is deployed: a cluster that does not serve the kind (or does not grant it) cannot run the cases. */
    private static Optional<String> clusterPoliciesUnavailable(Sweep.Settings settings, Run run) {
        if (!settings.clusterPolicies()) {
            return Optional.empty();
        }
        try {
            return run.clusterPolicyUnavailable(RunClusterPolicies.CLUSTER_NETWORK_POLICY);
        } catch (KubernetesClientException e) {
            return Optional.of("could not ask the API server whether it serves " + RunClusterPolicies.CLUSTER_NETWORK_POLICY
                    + ": HTTP " + e.getCode() + " " + e.getMessage());
        }
    }

    /**
     * The sweep needs enforcement (a CNI without it would make every case wrong), and its probes default to 1 s: a
     * denied connection costs the whole timeout, and the sweep has hundreds.
     */
    private RunConfig sweepConfig(RunConfig c) {
        boolean timeoutGiven = spec.commandLine().getParseResult().hasMatchedOption("--probe-timeout");
        return new RunConfig(c.kubeconfig(), c.context(), c.embedded(), c.imageRegistry(), c.images(), c.pullSecrets(),
                timeoutGiven ? c.probeTimeout() : Duration.ofSeconds(1), c.convergeTimeout(), c.podReadyTimeout(),
                c.namespaceTtl(), c.maxNodePairs(), c.cni(), c.expectMtu(), true, c.externalDnsName(), c.reportsDir(), runId);
    }

    private int print(Sweep.Settings settings, PrintWriter out, PrintWriter err) {
        try {
            List<SweepCase> generated = new Sweep(settings).cases(SweepModel.withPlaceholderIps(SweepModel.topology(true)),
                    Capabilities.all());
            out.println("# seed " + settings.seed() + "; ipBlocks are cut from placeholder pod IPs (on a cluster: the pods' own)");
            generated.forEach(c -> out.print(c.yaml()));
            out.flush();
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("netconform sweep: " + e.getMessage());
            return 2;
        }
    }

    private TestExecutionSummary execute(Run run, PrintWriter out) {
        // the suites find this run (and its config) by id
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put(RunConfig.PREFIX + "run-id", run.id());
        try {
            Files.createDirectories(run.config().reportsDir().resolve("junit"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        SummaryGeneratingListener totals = new SummaryGeneratingListener();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                        .selectors(selectClass("io.netconform.generated.PolicySweep"))
                        .configurationParameters(parameters).build(),
                totals, new ProgressListener(out), RunReports.checkRecorder(run),
                new JunitXmlReport(run.config().reportsDir().resolve("junit"), out));
        return totals.getSummary();
    }
}
