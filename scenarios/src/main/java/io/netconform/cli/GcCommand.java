package io.netconform.cli;

import io.netconform.cluster.Cluster;
import io.netconform.cluster.RunNamespaces;
import io.netconform.cluster.TargetOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

/** Deletes namespaces that earlier runs left behind, once their expiry has passed — and nothing else. */
@Command(name = "gc", mixinStandardHelpOptions = true,
        description = {"Delete namespaces left by earlier runs whose expiry annotation (netconform.io/expires) has passed.",
                "Only namespaces labelled app.kubernetes.io/managed-by=netconform are considered."})
final class GcCommand implements Callable<Integer> {

    @Mixin
    ClusterOptions cluster = new ClusterOptions();

    @Option(names = "--dry-run", description = "List what would be deleted, delete nothing.")
    boolean dryRun;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Cluster c = Cluster.connect(new TargetOptions(cluster.kubeconfig, cluster.context, cluster.embedded,
                Duration.ofSeconds(15)))) {
            List<String> deleted = RunNamespaces.gc(c.client(), Instant.now(), dryRun);
            out.println(deleted.isEmpty() ? "nothing to collect"
                    : (dryRun ? "would delete: " : "deleted: ") + String.join(", ", deleted));
            return 0;
        }
    }
}
