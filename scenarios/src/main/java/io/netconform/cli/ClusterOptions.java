package io.netconform.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** How to reach a cluster; shared by every command that needs one. */
final class ClusterOptions {

    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "Kubeconfig file (default: $KUBECONFIG, then ~/.kube/config; in a pod: its service account).")
    Path kubeconfig;

    @Option(names = "--context", paramLabel = "NAME", description = "Kubeconfig context (default: the current one).")
    String context;

    @Option(names = "--embedded", paramLabel = "k3s|kind",
            description = "Start a throw-away cluster with Testcontainers (needs a Docker engine). "
                    + "Default when no kubeconfig exists and Docker is available: k3s.")
    String embedded;
}
