package io.netconform.cluster;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.awaitility.core.ConditionTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * The namespaces one run creates. Each carries the run id label, so cleanup, {@link #gc} and a second run on the
 * same cluster only ever see their own; each carries an expiry annotation, so what a killed run leaves behind is
 * removed by {@code netconform gc} later.
 */
public final class RunNamespaces implements AutoCloseable {

    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String RUN = "netconform.io/run";
    public static final String TEST = "netconform.io/test";
    public static final String LOGICAL = "netconform.io/logical";
    public static final String EXPIRES = "netconform.io/expires";
    public static final String MANAGER = "netconform";
    public static final Duration DEFAULT_DELETE_WAIT = Duration.ofSeconds(120);
    /** A Ctrl-C should not leave the user waiting long; the deletes only need to reach the API server. */
    static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(RunNamespaces.class);
    private static final int MAX_NAME = 63;
    /** Pod Security Admission: probes need NET_RAW for ICMP, which "restricted" (RKE2's CIS profile) drops. */
    private static final Map<String, String> POD_SECURITY = Map.of(
            "pod-security.kubernetes.io/enforce", "privileged",
            "pod-security.kubernetes.io/audit", "privileged",
            "pod-security.kubernetes.io/warn", "privileged");
    /** Set by the API server itself (1.21+); a topology that names it must not make the create fail. */
    private static final String METADATA_NAME = "kubernetes.io/metadata.name";

    private final KubernetesClient client;
    private final RunId run;
    private final Duration ttl;
    private final Duration deleteWait;
    // copy-on-write: the shutdown hook reads them without the lock a blocked close() may hold
    private final Set<String> live = new CopyOnWriteArraySet<>();
    private final Set<String> deleting = new CopyOnWriteArraySet<>();
    private final ShutdownCleanup shutdownCleanup;

    public RunNamespaces(KubernetesClient client, RunId run, Duration ttl) {
        this(client, run, ttl, DEFAULT_DELETE_WAIT);
    }

    /** @param deleteWait how long {@link #close()} waits for the namespaces to disappear before it reports them */
    public RunNamespaces(KubernetesClient client, RunId run, Duration ttl, Duration deleteWait) {
        this.client = Objects.requireNonNull(client, "client");
        this.run = Objects.requireNonNull(run, "run");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.shutdownCleanup = new ShutdownCleanup("netconform-cleanup-" + run, this::deleteOnShutdown);
        this.deleteWait = Objects.requireNonNull(deleteWait, "deleteWait");
    }

    public RunId run() {
        return run;
    }

    /**
     * Creates {@code <runid>-<logical>} with the run's labels and the topology's {@code extraLabels}.
     *
     * @return the real namespace name
     */
    public synchronized String create(String logicalName, String testName, Map<String, String> extraLabels) {
        // several tests of one run may use the same logical names; earlier namespaces may still be terminating
        String base = namespaceName(run, logicalName);
        String name = base;
        for (int n = 2; live.contains(name) || deleting.contains(name); n++) {
            name = namespaceName(run, logicalName + "-" + n);
        }
        Map<String, String> labels = new LinkedHashMap<>(extraLabels == null ? Map.of() : extraLabels);
        labels.putAll(POD_SECURITY);
        // ours last: a topology label must never detach a namespace from its run
        labels.put(MANAGED_BY, MANAGER);
        labels.put(RUN, run.value());
        labels.put(TEST, labelValue(testName));
        labels.put(LOGICAL, labelValue(logicalName));
        // the API server sets this itself only from Kubernetes 1.21; set it (to the real name) so that policies selecting
        // namespaces by name behave the same on older clusters
        labels.put(METADATA_NAME, name);
        Namespace namespace = new NamespaceBuilder()
                .withNewMetadata().withName(name).withLabels(labels)
                .addToAnnotations(EXPIRES, Instant.now().plus(ttl).toString())
                .endMetadata().build();
        shutdownCleanup.register();
        try {
            client.namespaces().resource(namespace).create();
        } catch (KubernetesClientException e) {
            throw new ClusterException("Could not create namespace " + name + " (logical '" + logicalName
                    + "', test " + testName + "): HTTP " + e.getCode() + " " + Secrets.rootMessage(e), e);
        }
        live.add(name);
        return name;
    }

    /** The namespaces created and not yet deleted, in creation order. */
    public synchronized List<String> names() {
        return List.copyOf(live);
    }

    /** Starts deleting one namespace of this run; {@link #close()} waits for it to be gone. */
    public synchronized void delete(String name) {
        if (!live.contains(name)) {
            throw new IllegalArgumentException("namespace " + name + " was not created by run " + run
                    + " or is already deleted; this run's namespaces: " + live);
        }
        client.namespaces().withName(name).delete();
        live.remove(name);
        deleting.add(name);
    }

    /**
     * Deletes every namespace this run created and waits up to the delete wait for them to disappear; whatever is
     * still there is reported, not waited for.
     */
    @Override
    public synchronized void close() {
        shutdownCleanup.unregister();
        List<String> failed = new ArrayList<>();
        for (String name : List.copyOf(live)) {
            try {
                delete(name);
            } catch (KubernetesClientException e) {
                failed.add(name + " (" + Secrets.rootMessage(e) + ")");
                live.remove(name);
            }
        }
        if (!failed.isEmpty()) {
            LOG.warn("Could not delete namespaces of run {}: {}. `netconform gc` removes them after {} expires.",
                    run, failed, EXPIRES);
        }
        if (deleting.isEmpty()) {
            return;
        }
        try {
            await("namespaces of run " + run + " to be deleted: " + deleting)
                    .atMost(deleteWait).pollInterval(Duration.ofSeconds(1)).pollDelay(Duration.ZERO)
                    .ignoreExceptions()
                    .until(() -> remaining().isEmpty());
            deleting.clear();
        } catch (ConditionTimeoutException e) {
            List<String> left = List.copyOf(deleting);
            LOG.warn("After {} s these namespaces of run {} are still terminating: {}. They go away on their own; "
                    + "if not, `netconform gc` removes them once their {} annotation has passed.",
                    deleteWait.toSeconds(), run, left, EXPIRES);
        }
    }

    /** This run's namespaces that still exist; listed by run label, so other runs' namespaces never count. */
    private List<String> remaining() {
        return client.namespaces().withLabel(RUN, run.value()).list().getItems().stream()
                .map(ns -> ns.getMetadata().getName())
                .filter(deleting::contains)
                .toList();
    }

    /**
     * Deletes expired namespaces managed by netconform (from any run): those labelled {@value #MANAGED_BY}=
     * {@value #MANAGER} whose {@value #EXPIRES} annotation lies before {@code now}. Unlabelled and unexpired
     * namespaces stay; labelled ones with a missing or unreadable annotation stay and are reported.
     *
     * @return the namespaces deleted, or that would be deleted when {@code dryRun}
     */
    public static List<String> gc(KubernetesClient client, Instant now, boolean dryRun) {
        List<String> expired = new ArrayList<>();
        for (Namespace namespace : client.namespaces().withLabel(MANAGED_BY, MANAGER).list().getItems()) {
            String name = namespace.getMetadata().getName();
            String expires = namespace.getMetadata().getAnnotations() == null ? null
                    : namespace.getMetadata().getAnnotations().get(EXPIRES);
            if (expires == null) {
                LOG.warn("gc: namespace {} is labelled {}={} but has no {} annotation; left alone, delete it by hand "
                        + "if it is stale", name, MANAGED_BY, MANAGER, EXPIRES);
                continue;
            }
            Instant deadline;
            try {
                deadline = Instant.parse(expires);
            } catch (DateTimeParseException e) {
                LOG.warn("gc: namespace {} has {}='{}', not an ISO-8601 instant; left alone", name, EXPIRES, expires);
                continue;
            }
            if (deadline.isBefore(now) && namespace.getMetadata().getDeletionTimestamp() == null) {
                if (!dryRun) {
                    client.namespaces().withName(name).delete();
                }
                expired.add(name);
            }
        }
        return expired;
    }

    static String namespaceName(RunId run, String logicalName) {
        String logical = dnsLabel(logicalName);
        if (logical.isEmpty()) {
            throw new IllegalArgumentException("logical namespace name '" + logicalName
                    + "' has no letters or digits to build a namespace name from");
        }
        String name = run.value() + "-" + logical;
        if (name.length() <= MAX_NAME) {
            return name;
        }
        // keep distinct long names distinct after truncation
        String hash = sha256(logicalName).substring(0, 6);
        String head = name.substring(0, MAX_NAME - hash.length() - 1).replaceAll("-+$", "");
        return head + "-" + hash;
    }

    /** Lower-case letters, digits and single dashes, no dash at either end. */
    private static String dnsLabel(String text) {
        return Objects.requireNonNull(text, "logicalName").toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    }

    /** A valid label value: at most 63 of [A-Za-z0-9-_.], beginning and ending alphanumeric. */
    static String labelValue(String text) {
        String value = Objects.requireNonNullElse(text, "").replaceAll("[^A-Za-z0-9._-]+", "_");
        if (value.length() > MAX_NAME) {
            value = value.substring(0, MAX_NAME);
        }
        return value.replaceAll("^[^A-Za-z0-9]+|[^A-Za-z0-9]+$", "");
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }


    /** Ctrl-C: fire the deletes in parallel and give them a few seconds; never wait for termination. */
    private void deleteOnShutdown() {
        List<String> names = List.copyOf(live);
        if (names.isEmpty()) {
            return;
        }
        CompletableFuture<?>[] deletes = names.stream()
                .map(name -> CompletableFuture.runAsync(() -> client.namespaces().withName(name).delete()))
                .toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(deletes).get(SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            System.err.println("netconform: interrupted; deleted namespaces of run " + run + ": " + names);
        } catch (Exception e) {
            System.err.println("netconform: interrupted; could not confirm deletion of " + names + " (" + e
                    + "). `netconform gc` removes them once their " + EXPIRES + " annotation has passed.");
        }
    }
}
