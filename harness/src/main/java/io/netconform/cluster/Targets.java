package io.netconform.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.fabric8.kubernetes.api.model.NamedCluster;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/** Turns {@link TargetOptions} plus the machine's environment into a {@link Target}, failing fast and by name. */
final class Targets {

    private static final Logger LOG = LoggerFactory.getLogger(Targets.class);

    static final String HOW_TO_GIVE_A_CLUSTER = """
            Give netconform a cluster in one of these ways:
              --kubeconfig <file>        a kubeconfig file (with --context <name> to pick a context)
              KUBECONFIG=<file>          environment variable (the first file if it is a list)
              ~/.kube/config             the default kubeconfig
              --context <name>           a context in one of the kubeconfigs above
              in-cluster                 run as a pod: service-account token under %s and KUBERNETES_SERVICE_HOST
              --embedded k3s|kind        start a throw-away cluster in Docker (needs a Docker engine)""";

    private Targets() {
    }

    static Target resolve(TargetOptions options, Environment env) {
        if (options.embedded() != null) {
            requireDocker(options.embedded(), env);
            return EmbeddedCluster.start(options.embedded(), env, options.connectTimeout());
        }
        Located kubeconfig = locateKubeconfig(options, env);
        if (kubeconfig != null) {
            return fromKubeconfig(kubeconfig, options.context(), options);
        }
        if (options.context() != null) {
            throw new ClusterException("--context " + options.context() + " names a kubeconfig context, but there is"
                    + " no kubeconfig: --kubeconfig is not given, KUBECONFIG is not set and "
                    + env.home().resolve(".kube/config") + " does not exist.\n" + howToGiveACluster(env));
        }
        if (runningInCluster(env)) {
            return inCluster(env, options);
        }
        if (env.dockerAvailable().getAsBoolean()) {
            LOG.info("No kubeconfig and not running in a pod: starting an embedded K3s cluster in Docker");
            return EmbeddedCluster.start("k3s", env, options.connectTimeout());
        }
        throw new ClusterException("No Kubernetes cluster to run against: no --kubeconfig, KUBECONFIG is not set, "
                + env.home().resolve(".kube/config") + " does not exist, this is not a pod with a service account, "
                + "and no Docker engine answered for an embedded cluster.\n" + howToGiveACluster(env));
    }

    static void requireDocker(String kind, Environment env) {
        if (!env.dockerAvailable().getAsBoolean()) {
            throw new ClusterException("--embedded " + kind + " needs a Docker engine to start the cluster in, and "
                    + "none answered within " + Environment.DOCKER_CHECK_LIMIT.toSeconds() + " s (Testcontainers "
                    + "looks at DOCKER_HOST, ~/.testcontainers.properties and /var/run/docker.sock). Start Docker, or "
                    + "run against an existing cluster with --kubeconfig/--context.");
        }
    }

    private static String howToGiveACluster(Environment env) {
        return HOW_TO_GIVE_A_CLUSTER.formatted(env.serviceAccountDir());
    }

    private record Located(Path file, String source) {
    }

    private static Located locateKubeconfig(TargetOptions options, Environment env) {
        if (options.kubeconfig() != null) {
            return new Located(options.kubeconfig(), "--kubeconfig");
        }
        String fromEnv = env.variable("KUBECONFIG");
        if (fromEnv != null) {
            // kubectl merges a KUBECONFIG list; like fabric8 we use the first file, and say so
            String first = List.of(fromEnv.split(File.pathSeparator)).stream()
                    .filter(s -> !s.isBlank()).findFirst().orElseThrow();
            return new Located(Path.of(first), "KUBECONFIG");
        }
        Path home = env.home().resolve(".kube").resolve("config");
        return Files.isRegularFile(home) ? new Located(home, "~/.kube/config") : null;
    }

    private static Target fromKubeconfig(Located kubeconfig, String requestedContext, TargetOptions options) {
        Path file = kubeconfig.file();
        String where = "kubeconfig " + file + " (from " + kubeconfig.source() + ")";
        if (!Files.exists(file)) {
            throw new ClusterException(where + " does not exist.");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new ClusterException(where + " is not a readable file.");
        }
        String contents;
        try {
            contents = Files.readString(file);
        } catch (IOException e) {
            throw new ClusterException(where + " cannot be read: " + e.getMessage(), e);
        }
        io.fabric8.kubernetes.api.model.Config parsed = parse(contents, where);
        List<NamedContext> contexts = parsed.getContexts() == null ? List.of() : parsed.getContexts();
        String available = contexts.isEmpty() ? "none" : contexts.stream().map(NamedContext::getName)
                .collect(Collectors.joining(", "));
        String contextName = requestedContext != null ? requestedContext : parsed.getCurrentContext();
        if (contextName == null || contextName.isBlank()) {
            throw new ClusterException(where + " has no current-context; pick one with --context. Available "
                    + "contexts: " + available + ".");
        }
        NamedContext context = contexts.stream().filter(c -> contextName.equals(c.getName())).findFirst()
                .orElseThrow(() -> new ClusterException(where + " has no context '" + contextName + "'"
                        + (requestedContext != null ? " (from --context)" : " (its current-context)")
                        + ". Available contexts: " + available + "."));
        String clusterName = context.getContext() == null ? null : context.getContext().getCluster();
        boolean clusterDefined = parsed.getClusters() != null && parsed.getClusters().stream()
                .map(NamedCluster::getName).anyMatch(n -> Objects.equals(n, clusterName));
        if (!clusterDefined) {
            throw new ClusterException(where + ": context '" + contextName + "' refers to cluster '" + clusterName
                    + "', which the file does not define.");
        }
        Config config;
        try {
            config = Config.fromKubeconfig(contextName, contents, file.toString());
        } catch (RuntimeException e) {
            throw new ClusterException(where + ", context " + contextName + " cannot be used: "
                    + Secrets.redact(Secrets.rootMessage(e), parsed), e);
        }
        limitWaiting(config, options);
        String description = "kubeconfig " + file + ", context " + contextName + ", server " + strip(config);
        return new Target(config, description, null, null);
    }

    private static io.fabric8.kubernetes.api.model.Config parse(String contents, String where) {
        io.fabric8.kubernetes.api.model.Config parsed;
        try {
            parsed = Serialization.unmarshal(contents, io.fabric8.kubernetes.api.model.Config.class);
        } catch (RuntimeException e) {
            // Jackson messages quote the offending text, which may be a token: report only the position
            JsonProcessingException json = Secrets.find(e, JsonProcessingException.class);
            String at = json != null && json.getLocation() != null
                    ? " (near line " + json.getLocation().getLineNr() + ", column "
                    + json.getLocation().getColumnNr() + ")"
                    : "";
            throw new ClusterException(where + " cannot be parsed as a kubeconfig" + at + ".");
        }
        if (parsed == null) {
            throw new ClusterException(where + " is empty.");
        }
        return parsed;
    }

    private static boolean runningInCluster(Environment env) {
        return env.variable("KUBERNETES_SERVICE_HOST") != null
                && Files.isRegularFile(env.serviceAccountDir().resolve("token"));
    }

    private static Target inCluster(Environment env, TargetOptions options) {
        String host = env.variable("KUBERNETES_SERVICE_HOST");
        String port = Objects.requireNonNullElse(env.variable("KUBERNETES_SERVICE_PORT"), "443");
        Path dir = env.serviceAccountDir();
        Config config = Config.empty();
        config.setMasterUrl("https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port);
        Path ca = dir.resolve("ca.crt");
        if (Files.isRegularFile(ca)) {
            config.setCaCertFile(ca.toString());
        }
        Path token = dir.resolve("token");
        // bound service-account tokens rotate (kubelet rewrites the file), so read it for every request
        config.setOauthTokenProvider(() -> {
            try {
                return Files.readString(token).trim();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read service-account token " + token, e);
            }
        });
        String namespace = readOptional(dir.resolve("namespace"));
        limitWaiting(config, options);
        String description = "in-cluster service account" + (namespace == null ? "" : " in namespace " + namespace)
                + " (" + token + "), server " + strip(config);
        return new Target(config, description, null, null);
    }

    static Config limitWaiting(Config config, TargetOptions options) {
        int timeout = Math.toIntExact(options.connectTimeout().toMillis());
        config.setConnectionTimeout(timeout);
        config.setRequestTimeout(timeout);
        // fabric8 retries 10 times with exponential backoff by default: minutes before an unreachable server
        // surfaces. Two quick retries still ride out an API-server restart blip.
        config.setRequestRetryBackoffLimit(2);
        config.setRequestRetryBackoffInterval(250);
        return config;
    }

    /**
     * For the run after a successful preflight: fabric8 retries a failed request (I/O error or HTTP 5xx) 3 times
     * after 0.5, 1 and 2 s, so a few seconds of API-server trouble pass unnoticed. Execs get their own retries on top
     * (exec.RetryingExecutor), so this stays short: the product of the two bounds the wait for a dead server.
     */
    static Config rideOutBusyServer(Config config) {
        config.setRequestRetryBackoffLimit(3);
        config.setRequestRetryBackoffInterval(500);
        return config;
    }

    private static String strip(Config config) {
        String url = config.getMasterUrl();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static String readOptional(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file).trim() : null;
        } catch (IOException e) {
            return null;
        }
    }
}
