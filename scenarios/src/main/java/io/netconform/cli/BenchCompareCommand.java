package io.netconform.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.netconform.InputException;
import io.netconform.bench.BenchComparison;
import io.netconform.bench.BenchInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** Offline: puts benchmark results of several clusters side by side. No cluster is contacted. */
@Command(name = "bench-compare", mixinStandardHelpOptions = true,
        description = {"Compare benchmark results (reports/bench/*.json) of several clusters side by side.",
                "Prints the Markdown table and writes comparison.md, comparison.html, throughput.png and latency.png."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:comparison written", "2:bad input (missing file, not a bench result, mixed schema versions)"})
public class BenchCompareCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "RESULT.json", description = "bench result files, one column each")
    List<Path> results = new ArrayList<>();

    @Option(names = "--summary", paramLabel = "SUMMARY.json",
            description = "conformance summaries (reports/summary.json) for the behaviour section; repeatable")
    List<Path> summaries = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "reports/bench-compare",
            description = "output directory (default: ${DEFAULT-VALUE})")
    Path out;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        if (results.isEmpty()) {
            throw new BenchInputException("no bench result given: expected at least 1 file such as reports/bench/<cluster>-<time>.json");
        }
        List<JsonNode> behaviour = new ArrayList<>();
        for (Path summary : summaries) {
            behaviour.add(BenchComparison.readSummary(summary));
        }
        BenchComparison comparison = BenchComparison.load(results).withSummaries(behaviour);
        List<Path> written;
        try {
            written = comparison.write(out);
        } catch (IOException e) {
            throw new InputException("cannot write the comparison to " + out.toAbsolutePath() + ": " + e, e);
        }
        stdout.print(comparison.markdown());
        stdout.println();
        written.forEach(p -> stdout.println("wrote " + p));
        stdout.flush();
        return 0;
    }
}
