package io.netconform.cli;

import io.netconform.InputException;
import io.netconform.junit.Run;
import io.netconform.junit.RunConfig;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TagFilter;
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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

/** Runs the conformance suites against a cluster and writes the reports. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the conformance suites against a cluster.",
                "Writes reports/junit (JUnit XML), reports/allure-results, reports/summary.json and a console summary.",
                "Exit 0: all checks passed; 1: a check failed (or --baseline found a regression); 2: could not run."})
final class RunCommand implements Callable<Integer> {

    /** Tags a user can select; the suites carry exactly these. */
    static final Set<String> TAGS = Set.of("connectivity", "mtu", "dns", "policy", "clusterpolicy", "bench", "dualstack",
            "multus", "services", "hostnetwork", "policy-established");
    /**
     * bench has its own command; services and hostnetwork are opt-in (--include-tags) until they have passed on a
     * quiet real cluster: on the lab, UDP from a pod to the hostNetwork pod on its own node is not yet told apart from
     * a harness artefact (the node may answer from another of its addresses), and a nightly run must not cry wolf.
     */
    static final List<String> DEFAULT_EXCLUDED = List.of("bench", "services", "hostnetwork");

    /**
     * The opt-in suites not named in --include-tags, plus --exclude-tags. Excluding one more tag must never switch
     * the opt-in suites on: `--exclude-tags clusterpolicy` once ran the services suites as well, unasked.
     */
    static List<String> excludedTags(List<String> included, List<String> excluded) {
        java.util.LinkedHashSet<String> tags = new java.util.LinkedHashSet<>();
        DEFAULT_EXCLUDED.stream().filter(t -> !included.contains(t)).forEach(tags::add);
        if (excluded != null) {
            tags.addAll(excluded);
        }
        return List.copyOf(tags);
    }

    @Mixin
    RunOptions options = new RunOptions();

    @Option(names = "--include-tags", split = ",", paramLabel = "TAG",
            description = "Run only checks with these tags: connectivity, mtu, dns, policy, clusterpolicy, services, "
                    + "hostnetwork, dualstack, multus, bench, policy-established.")
    List<String> includeTags = new ArrayList<>();

    @Option(names = "--exclude-tags", split = ",", paramLabel = "TAG",
            description = "Also skip checks with these tags. bench, services and hostnetwork are always skipped unless "
                    + "named in --include-tags (use `netconform bench` for benchmarks and --include-tags "
                    + "services,hostnetwork for the north-south and host-network suites).")
    List<String> excludeTags;

    @Option(names = "--require-revocation",
            description = "Fail the policy-established cases when a TCP or UDP flow that was open survives a deny "
                    + "(by default that is reported as a fact about the CNI, not a failure).")
    boolean requireRevocation;

    @Option(names = "--parallel-suites", paramLabel = "N", defaultValue = DEFAULT_PARALLEL_SUITES,
            description = "Suites that run side by side, each in namespaces of its own, the longest first (default "
                    + "${DEFAULT-VALUE}; 1: one after another). The services, hostnetwork and bench suites and the CNI "
                    + "health check still run alone, after the others: they measure timing or judge the whole run. "
                    + "--node-evidence implies 1 (its before/after diff is per suite).")
    int parallelSuites = Integer.parseInt(DEFAULT_PARALLEL_SUITES);

    static final String DEFAULT_PARALLEL_SUITES = "4";
    /** JUnit threads when suites run side by side: one per suite class, so that every class can wait at the gate. */
    static final int CLASS_THREADS = 64;

    @Option(names = "--baseline", paramLabel = "SUMMARY.json",
            description = "Compare this run with an earlier summary.json and exit 1 on a regression.")
    Path baseline;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RunConfig config = options.config();
        validateTags();
        if (parallelSuites < 1 || parallelSuites > 32) {
            throw new InputException("--parallel-suites " + parallelSuites + ": expected 1 to 32 suites at once");
        }
        if (baseline != null && !Files.isReadable(baseline)) {
            throw new InputException("--baseline " + baseline + ": no such readable file");
        }
        // the suites run in this JVM and read it from there, as -Dnetconform.require-revocation=true from Maven
        System.setProperty(io.netconform.junit.EstablishedFlows.REQUIRE, Boolean.toString(requireRevocation));
        RunReports reportsOut;
        try {
            reportsOut = RunReports.prepare(config.reportsDir());
        } catch (IOException e) {
            throw new InputException("cannot prepare " + config.reportsDir() + ": " + e.getMessage(), e);
        }
        Run run = Run.start(config, line -> {
            out.println(line);
            out.flush();
        });
        TestExecutionSummary summary;
        try (run) {
            reportsOut.environment(run);
            Optional<NodeEvidenceListener> evidence = options.nodeEvidence
                    ? NodeEvidenceListener.start(run, out) : Optional.empty();
            summary = execute(run, out, config.reportsDir(), evidence);
            evidence.ifPresent(e -> e.finish(run, config.reportsDir(), out));
        }
        return reportsOut.finish(run, summary, baseline, out, err);
    }

    private TestExecutionSummary execute(Run run, PrintWriter out, Path reportsDir,
                                         Optional<NodeEvidenceListener> evidence) {
        // the suites find this run (and its config) by id; the other netconform.* parameters are for Maven/IDE runs
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put(RunConfig.PREFIX + "run-id", run.id());
        // longest suites first (@Order), the CNI health check last (isolated: it judges the whole run)
        parameters.put("junit.jupiter.testclass.order.default", "org.junit.jupiter.api.ClassOrderer$OrderAnnotation");
        parameters.putAll(parallelism(evidence.isPresent() ? 1 : parallelSuites));
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectPackage("io.netconform.scenarios"))
                .configurationParameters(parameters);
        if (!includeTags.isEmpty()) {
            request.filters(TagFilter.includeTags(includeTags));
        }
        List<String> excluded = excludedTags(includeTags, excludeTags);
        if (!excluded.isEmpty()) {
            request.filters(TagFilter.excludeTags(excluded));
        }
        LauncherDiscoveryRequest discovery = request.build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener totals = new SummaryGeneratingListener();
        try {
            Files.createDirectories(reportsDir.resolve("junit"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        List<TestExecutionListener> listeners = new ArrayList<>(List.of(totals, new ProgressListener(out),
                RunReports.checkRecorder(run), new JunitXmlReport(reportsDir.resolve("junit"), out)));
        evidence.ifPresent(listeners::add);
        launcher.execute(discovery, listeners.toArray(TestExecutionListener[]::new));
        return totals.getSummary();
    }

    /**
     * Suite classes side by side, a class's cases one after another (they share the class's deployment). A policy
     * case spends most of its time waiting — for pods, for the data plane to converge, for probe timeouts to call a
     * drop — so suites overlap well even on a small cluster; each has its own namespaces, and cluster-scoped policies
     * are confined to the namespaces of the test that made them. Suites marked {@code @Isolated} (timing
     * measurements, the CNI health check) run alone after the concurrent ones: JUnit runs isolated classes last.
     *
     * <p>JUnit gets a thread for every class ({@value #CLASS_THREADS}, more than there are suites) and the
     * {@code SuiteGate} lets {@code suites} of them run at a time, longest first: JUnit's own fork-join order is not
     * the one its classes are listed in.
     */
    static Map<String, String> parallelism(int suites) {
        if (suites <= 1) {
            return Map.of();
        }
        return Map.of(
                io.netconform.junit.ConformanceExtension.PARALLEL_SUITES, Integer.toString(suites),
                "junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.mode.default", "same_thread",
                "junit.jupiter.execution.parallel.mode.classes.default", "concurrent",
                "junit.jupiter.execution.parallel.config.strategy", "fixed",
                "junit.jupiter.execution.parallel.config.fixed.parallelism", Integer.toString(CLASS_THREADS),
                "junit.jupiter.execution.parallel.config.fixed.max-pool-size", Integer.toString(CLASS_THREADS));
    }

    private void validateTags() {
        validateTags("--include-tags", includeTags);
        if (excludeTags != null) {
            validateTags("--exclude-tags", excludeTags);
        }
    }

    private static void validateTags(String option, List<String> tags) {
        for (String tag : tags) {
            if (!TAGS.contains(tag)) {
                throw new InputException(option + ": unknown tag '" + tag + "': expected one of "
                        + new java.util.TreeSet<>(TAGS));
            }
        }
    }
}
