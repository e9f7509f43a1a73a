package io.netconform.cli;

import io.netconform.InputException;
import io.netconform.report.Comparison;
import io.netconform.report.Summary;
import io.netconform.report.Tolerances;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code netconform compare BEFORE.json AFTER.json}: what changed between two runs, e.g. around an upgrade. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Diff two run summaries (reports/summary.json): flipped reachability pairs, MTU and DNS changes,",
                "new failures and fixes, latency shifts. Prints Markdown, writes compare.md and compare.html.",
                "Exit code: 0 nothing regressed, 1 regressed, 2 bad input."})
public final class CompareCommand implements Callable<Integer> {

    static final int NO_REGRESSION = 0;
    static final int REGRESSED = 1;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "BEFORE.json", description = "summary of the baseline run")
    Path before;

    @Parameters(index = "1", paramLabel = "AFTER.json", description = "summary of the run to judge")
    Path after;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "reports",
            description = "where compare.md and compare.html go (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--latency-tolerance", paramLabel = "PERCENT", defaultValue = "20%",
            description = "relative latency change that counts as a shift, also needs >= 0.5 ms (default: ${DEFAULT-VALUE})")
    String latencyTolerance;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        Tolerances tolerances = Tolerances.defaults().withRelative(Tolerances.parseRelative(latencyTolerance));
        String beforeSchema = Summary.schemaOf(before);
        String afterSchema = Summary.schemaOf(after);
        if (!beforeSchema.equals(afterSchema)) {
            throw new InputException(String.format("schema versions differ: %s is \"%s\", %s is \"%s\"; "
                    + "compare two summaries written by the same netconform version",
                    before, beforeSchema, after, afterSchema));
        }
        Comparison comparison = Comparison.compare(Summary.read(before), Summary.read(after), tolerances);
        stdout.print(comparison.toMarkdown());
        stdout.flush();
        try {
            comparison.write(out);
        } catch (UncheckedIOException e) {
            throw new InputException(e.getMessage() + ": " + e.getCause().getMessage(), e);
        }
        return comparison.regressed() ? REGRESSED : NO_REGRESSION;
    }
}
