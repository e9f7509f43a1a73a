package io.netconform.cli;

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

    @Mixin
    RunOptions options = new RunOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        RunCommand run = new RunCommand();
        run.options = options;
        run.includeTags = List.of("bench");
        run.excludeTags = List.of();
        run.spec = spec;
        return run.call();
    }
}
