package io.netconform.cli;

import io.netconform.InputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.List;
import java.util.concurrent.Callable;

/** Runs the benchmark suite (tag bench): the same run as {@code run}, with only the measurements selected. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure the pod network: ICMP and TCP request/response latency, TCP and UDP throughput,",
                "same node and across nodes. Writes reports/bench/<cluster>-<timestamp>.json (compare several",
                "with `netconform bench-compare`) and a console table. Exit codes as for `run`."})
final class BenchCommand implements Callable<Integer> {

    static final String BENCH_REPEATS = "netconform.bench.repeats";
    static final String BENCH_SECONDS = "netconform.bench.seconds";

    @Mixin
    RunOptions options = new RunOptions();

    @picocli.CommandLine.Option(names = "--repeats", paramLabel = "N", defaultValue = "5",
            description = "Measurements per figure after warm-up; at least 2, for a confidence interval (default ${DEFAULT-VALUE}).")
    int repeats;

    @picocli.CommandLine.Option(names = "--seconds", paramLabel = "S", defaultValue = "5",
            description = "Duration of each iperf3 run in seconds (default ${DEFAULT-VALUE}).")
    int seconds;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (repeats < 2 || seconds < 1) {
            throw new InputException("--repeats must be at least 2 and --seconds at least 1, got "
                    + repeats + " and " + seconds);
        }
        // the suites run in this JVM: the bench suite reads its settings from these properties
        System.setProperty(BENCH_REPEATS, Integer.toString(repeats));
        System.setProperty(BENCH_SECONDS, Integer.toString(seconds));
        RunCommand run = new RunCommand();
        run.options = options;
        run.includeTags = List.of("bench");
        run.excludeTags = List.of();
        // one suite, and a benchmark shares the nodes with nothing else
        run.parallelSuites = 1;
        run.spec = spec;
        return run.call();
    }
}
