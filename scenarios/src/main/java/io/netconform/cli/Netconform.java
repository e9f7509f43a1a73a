package io.netconform.cli;

import io.netconform.InputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.Set;

/** The {@code netconform} command: conformance runs against a cluster, and the offline tools around them. */
@Command(name = "netconform",
        mixinStandardHelpOptions = true,
        versionProvider = Netconform.Version.class,
        description = {
                "Kubernetes pod-network conformance harness: pod-to-pod reachability, path MTU, DNS and "
                        + "NetworkPolicy behaviour for whichever CNI the cluster runs.",
                "",
                "Exit codes: 0 all checks passed, 1 a check failed (or a regression was found), "
                        + "2 could not run (bad arguments, no cluster, unreachable API, image or admission problems)."},
        footer = {"",
                "Examples:",
                "  netconform run                                   # current kubeconfig, all suites but bench, services, hostnetwork",
                "  netconform run --include-tags dns,mtu --expect-mtu 1450",
                "  netconform run --image-registry registry.local:5000/mirror --image-pull-secret regcred",
                "  netconform run --baseline before/summary.json    # after an upgrade: what changed",
                "  netconform predict --model policies/models/shop.yaml --policies policies/multi-tier",
                "  netconform bench && netconform bench-compare reports/bench/*.json",
                "  netconform sweep --cases 200 --seed 42          # generated policy cases against the oracle",
                "  netconform gc --dry-run",
                "  netconform watch -- ./upgrade-cni.sh              # disruption in seconds per path during an upgrade",
                "",
                "netconform COMMAND --help describes each command's options."},
        subcommands = {
                RunCommand.class,
                PredictCommand.class,
                CompareCommand.class,
                BenchCommand.class,
                BenchCompareCommand.class,
                GcCommand.class,
                SweepCommand.class,
                WatchCommand.class,
                CommandLine.HelpCommand.class})
public final class Netconform implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: run, predict, compare, bench, bench-compare, sweep, watch or gc");
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests execute it in-process. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Netconform());
        // CI jobs append overrides to a shared argument list: the last value of an option wins
        cl.setOverwrittenOptionsAllowed(true);
        // every subcommand has --version (mixinStandardHelpOptions) but would print nothing without a provider
        cl.getSubcommands().values().forEach(sub -> sub.getCommandSpec().versionProvider(new Version()));
        cl.setExitCodeExceptionMapper(Netconform::exitCode);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (isInput(e)) {
                err.println(errorPrefix(commandLine) + ": " + e.getMessage());
            } else {
                // anything else is a harness bug or an environment problem: one line, the stack trace on request
                err.println("netconform: " + e.getClass().getSimpleName() + ": " + e.getMessage());
                if (Boolean.getBoolean("netconform.debug")) {
                    e.printStackTrace(err);
                } else {
                    err.println("(run with -Dnetconform.debug=true for the stack trace)");
                }
            }
            err.flush();
            return commandLine.getExitCodeExceptionMapper().getExitCode(e);
        });
        return cl;
    }

    /** Every exception a command lets out means "could not run": 2. Exit 1 is a verdict, returned, never thrown. */
    static int exitCode(Throwable e) {
        return COULD_NOT_RUN;
    }

    static final int COULD_NOT_RUN = 2;

    /**
     * Input a person can fix, said in their terms: {@link InputException} and its kinds (cluster, policy files,
     * summaries, bench results), and the IllegalArgumentException that flag and image validation throw.
     */
    private static boolean isInput(Throwable e) {
        return e instanceof InputException || e instanceof IllegalArgumentException;
    }

    /** File tools name themselves ("predict: ..."), like compilers; commands that run on a cluster say "netconform run: ...". */
    private static String errorPrefix(CommandLine commandLine) {
        String name = commandLine.getCommandName();
        return Set.of("predict", "compare", "bench-compare").contains(name) ? name
                : commandLine.getCommandSpec().qualifiedName();
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"netconform " + io.netconform.junit.Run.harnessVersion()};
        }
    }
}
