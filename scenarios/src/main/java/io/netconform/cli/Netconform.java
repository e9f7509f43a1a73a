package io.netconform.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

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
                "  netconform run                                   # current kubeconfig, all suites but bench",
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
        // Anything a command did not handle is a harness bug or an environment problem: say so in one line,
        // exit 2, and keep the stack trace for --debug users only.
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            err.println("netconform: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            if (Boolean.getBoolean("netconform.debug")) {
                e.printStackTrace(err);
            } else {
                err.println("(run with -Dnetconform.debug=true for the stack trace)");
            }
            err.flush();
            return 2;
        });
        return cl;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"netconform " + io.netconform.junit.Run.harnessVersion()};
        }
    }
}
