package io.netconform.junit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Everything a run is told from outside: flags and environment, validated once up front.
 *
 * <p>It travels from the CLI to the suites as JUnit configuration parameters ({@code netconform.*}), so the
 * same suites also run from Maven or an IDE with {@code -Dnetconform.kubeconfig=...}.
 */
public record RunConfig(
        Path kubeconfig,
        String context,
        String embedded,
        String imageRegistry,
        Map<String, String> images,
        List<String> pullSecrets,
        Duration probeTimeout,
        Duration convergeTimeout,
        Duration podReadyTimeout,
        Duration namespaceTtl,
        int maxNodePairs,
        String cni,
        Integer expectMtu,
        boolean requirePolicy,
        String externalDnsName,
        Path reportsDir,
        String runId) {

    public static final String PREFIX = "netconform.";

    public RunConfig {
        images = images == null ? Map.of() : Map.copyOf(images);
        pullSecrets = pullSecrets == null ? List.of() : List.copyOf(pullSecrets);
        probeTimeout = positive("probe-timeout", probeTimeout, Duration.ofSeconds(2));
        convergeTimeout = positive("converge-timeout", convergeTimeout, Duration.ofSeconds(10));
        podReadyTimeout = positive("pod-ready-timeout", podReadyTimeout, Duration.ofMinutes(3));
        namespaceTtl = positive("namespace-ttl", namespaceTtl, Duration.ofHours(2));
        if (maxNodePairs < 1) {
            throw new IllegalArgumentException("--max-node-pairs must be at least 1, got " + maxNodePairs);
        }
        if (embedded != null && !embedded.equals("k3s") && !embedded.equals("kind")) {
            throw new IllegalArgumentException("--embedded must be k3s or kind, got '" + embedded + "'");
        }
        if (expectMtu != null && (expectMtu < 576 || expectMtu > 65535)) {
            throw new IllegalArgumentException("--expect-mtu must be between 576 and 65535, got " + expectMtu);
        }
        reportsDir = reportsDir == null ? Path.of("reports") : reportsDir;
    }

    public static RunConfig defaults() {
        return new RunConfig(null, null, null, null, Map.of(), List.of(), null, null, null, null, 8, null, null,
                false, null, null, null);
    }

    /** The config as JUnit configuration parameters; read back with {@link #fromParameters}. */
    public Map<String, String> toParameters() {
        Map<String, String> p = new LinkedHashMap<>();
        put(p, "kubeconfig", kubeconfig);
        put(p, "context", context);
        put(p, "embedded", embedded);
        put(p, "image-registry", imageRegistry);
        images.forEach((role, image) -> p.put(PREFIX + "image." + role, image));
        if (!pullSecrets.isEmpty()) {
            p.put(PREFIX + "image-pull-secrets", String.join(",", pullSecrets));
        }
        put(p, "probe-timeout", probeTimeout.toMillis() + "ms");
        put(p, "converge-timeout", convergeTimeout.toMillis() + "ms");
        put(p, "pod-ready-timeout", podReadyTimeout.toMillis() + "ms");
        put(p, "namespace-ttl", namespaceTtl.toSeconds() + "s");
        put(p, "max-node-pairs", maxNodePairs);
        put(p, "cni", cni);
        put(p, "expect-mtu", expectMtu);
        put(p, "require-policy", requirePolicy);
        put(p, "external-dns-name", externalDnsName);
        put(p, "reports", reportsDir);
        put(p, "run-id", runId);
        return p;
    }

    /** Reads a config from parameters such as JUnit's {@code ExtensionContext::getConfigurationParameter}. */
    public static RunConfig fromParameters(Function<String, Optional<String>> parameters) {
        Function<String, String> get = key -> parameters.apply(PREFIX + key).filter(v -> !v.isBlank()).orElse(null);
        Map<String, String> images = new LinkedHashMap<>();
        for (String role : List.of("netshoot", "nginx", "busybox")) {
            String image = get.apply("image." + role);
            if (image != null) {
                images.put(role, image);
            }
        }
        String secrets = get.apply("image-pull-secrets");
        String pairs = get.apply("max-node-pairs");
        String mtu = get.apply("expect-mtu");
        String kubeconfig = get.apply("kubeconfig");
        String reports = get.apply("reports");
        return new RunConfig(
                kubeconfig == null ? null : Path.of(kubeconfig),
                get.apply("context"),
                get.apply("embedded"),
                get.apply("image-registry"),
                images,
                secrets == null ? List.of() : List.of(secrets.split(",")),
                durationOrNull(get.apply("probe-timeout")),
                durationOrNull(get.apply("converge-timeout")),
                durationOrNull(get.apply("pod-ready-timeout")),
                durationOrNull(get.apply("namespace-ttl")),
                pairs == null ? 8 : Integer.parseInt(pairs),
                get.apply("cni"),
                mtu == null ? null : Integer.valueOf(mtu),
                Boolean.parseBoolean(get.apply("require-policy")),
                get.apply("external-dns-name"),
                reports == null ? null : Path.of(reports),
                get.apply("run-id"));
    }

    /**
     * Parses a human duration: {@code 500ms}, {@code 2s}, {@code 1.5s}, {@code 3m}, {@code 1h}, or ISO-8601 ({@code PT2S}).
     */
    public static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase();
        try {
            if (t.startsWith("pt")) {
                return Duration.parse(t.toUpperCase());
            }
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            double value = Double.parseDouble(t.substring(0, t.length() - 1));
            long millis = switch (t.charAt(t.length() - 1)) {
                case 's' -> Math.round(value * 1000);
                case 'm' -> Math.round(value * 60_000);
                case 'h' -> Math.round(value * 3_600_000);
                default -> throw new NumberFormatException();
            };
            return Duration.ofMillis(millis);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration: use e.g. 500ms, 2s, 1.5s, 3m or 1h");
        }
    }

    private static Duration durationOrNull(String text) {
        return text == null ? null : parseDuration(text);
    }

    private static Duration positive(String flag, Duration value, Duration fallback) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("--" + flag + " must be positive, got " + value);
        }
        return value;
    }

    private static void put(Map<String, String> p, String key, Object value) {
        if (value != null) {
            p.put(PREFIX + key, value.toString());
        }
    }
}
