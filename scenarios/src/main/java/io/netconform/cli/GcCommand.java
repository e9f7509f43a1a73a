package io.netconform.cli;

import io.netconform.cluster.Cluster;
import io.netconform.cluster.RunClusterPolicies;
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

/**
 * Deletes what earlier runs left behind — namespaces once their expiry has passed, cluster-scoped policies once expired
 * or orphaned — and nothing else.
 */
@Command(name = "gc", mixinStandardHelpOptions = true,
        description = {"Delete namespaces left by earlier runs whose expiry annotation (netconform.io/expires) has passed,",
                "and cluster-scoped policies (ClusterNetworkPolicy, AdminNetworkPolicy, BaselineAdminNetworkPolicy)",
                "left by earlier runs that have expired or whose run has no namespace left.",
                "Only objects labelled app.kubernetes.io/managed-by=netconform are considered."})
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
            Instant now = Instant.now();
            // cluster policies first: they are orphaned by the namespace deletions below only on the next gc otherwise
            List<String> deleted = new java.util.ArrayList<>(RunClusterPolicies.gc(c.client(), now, dryRun));
            deleted.addAll(RunNamespaces.gc(c.client(), now, dryRun));
            out.println(deleted.isEmpty() ? "nothing to collect"
                    : (dryRun ? "would delete: " : "deleted: ") + String.join(", ", deleted));
            return 0;
        }
    }
}
