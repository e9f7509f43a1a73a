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
 * <p>The CLI builds it from its options ({@code cli/RunOptions}) and hands the suites the run itself (by id); the
 * same suites also run from Maven or an IDE, where {@link #fromParameters} reads JUnit configuration parameters
 * named like the flags ({@code -Dnetconform.kubeconfig=...}). Defaults live here once.
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

    // The defaults, once: the CLI shows them in --help (RunOptions) and a run from Maven or an IDE gets them here.
    public static final String DEFAULT_PROBE_TIMEOUT = "2s";
    public static final String DEFAULT_CONVERGE_TIMEOUT = "10s";
    public static final String DEFAULT_POD_READY_TIMEOUT = "3m";
    public static final String DEFAULT_NAMESPACE_TTL = "2h";
    public static final String DEFAULT_MAX_NODE_PAIRS = "8";
    public static final String DEFAULT_REPORTS = "reports";

    public RunConfig {
        images = images == null ? Map.of() : Map.copyOf(images);
        pullSecrets = pullSecrets == null ? List.of() : List.copyOf(pullSecrets);
        probeTimeout = positive("probe-timeout", probeTimeout, DEFAULT_PROBE_TIMEOUT);
        convergeTimeout = positive("converge-timeout", convergeTimeout, DEFAULT_CONVERGE_TIMEOUT);
        podReadyTimeout = positive("pod-ready-timeout", podReadyTimeout, DEFAULT_POD_READY_TIMEOUT);
        namespaceTtl = positive("namespace-ttl", namespaceTtl, DEFAULT_NAMESPACE_TTL);
        if (maxNodePairs < 1) {
            throw new IllegalArgumentException("--max-node-pairs must be at least 1, got " + maxNodePairs);
        }
        if (embedded != null && !embedded.equals("k3s") && !embedded.equals("kind")) {
            throw new IllegalArgumentException("--embedded must be k3s or kind, got '" + embedded + "'");
        }
        if (expectMtu != null && (expectMtu < 576 || expectMtu > 65535)) {
            throw new IllegalArgumentException("--expect-mtu must be between 576 and 65535, got " + expectMtu);
        }
        reportsDir = reportsDir == null ? Path.of(DEFAULT_REPORTS) : reportsDir;
    }

    public static RunConfig defaults() {
        return new RunConfig(null, null, null, null, Map.of(), List.of(), null, null, null, null,
                Integer.parseInt(DEFAULT_MAX_NODE_PAIRS), null, null, false, null, null, null);
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
                Integer.parseInt(pairs == null ? DEFAULT_MAX_NODE_PAIRS : pairs),
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

    private static Duration positive(String flag, Duration value, String fallback) {
        if (value == null) {
            return parseDuration(fallback);
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("--" + flag + " must be positive, got " + value);
        }
        return value;
    }
}
