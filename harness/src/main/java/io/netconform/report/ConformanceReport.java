package io.netconform.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cluster-policy checks of a run in the shape SIG Network's conformance suite writes, so a CNI team can submit it
 * (kubernetes-sigs/network-policy-api conformance/apis/v1alpha1: ConformanceReport, ProfileReport, Status,
 * Statistics; results as conformance/utils/suite/conformance_reports.go compiles them: failure if any failed, else
 * partial if any skipped, else success). Profiles: {@code ClusterNetworkPolicy} (v1alpha2, API v0.2.0) and
 * {@code AdminNetworkPolicy} (the v1alpha1 generation); named-port cases count as the experimental feature
 * {@code ClusterNetworkPolicyNamedPorts}, as upstream files them. Written as YAML (like upstream's
 * conformance/reports/), beside summary.json. The implementation block holds what the run knows (the detected CNI); organization, url and contact
 * are for the submitter to fill in.
 */
public final class ConformanceReport {

    public static final String FILE = "conformance-report.yaml";
    static final String API_VERSION = "policy.networking.k8s.io/v1alpha1";
    /** Suite class (check id) → profile name and the API release it reports on. */
    static final Map<String, String[]> PROFILES = Map.of(
            "io.netconform.scenarios.clusterpolicy.ClusterNetworkPolicyTest", new String[] {"ClusterNetworkPolicy", "v0.2.0"},
            "io.netconform.scenarios.clusterpolicy.AdminNetworkPolicyTest", new String[] {"AdminNetworkPolicy", "v0.1.7"});
    static final String NAMED_PORTS = "ClusterNetworkPolicyNamedPorts";

    private static final Pattern CLASS = Pattern.compile("\\[class:([^\\]]+)]");
    private static final Pattern METHOD = Pattern.compile("\\[method:([^(\\]]+)");

    private ConformanceReport() {
    }

    /** The report, or empty when the run had no cluster-policy checks. */
    static Optional<Map<String, Object>> of(Summary summary) {
        Map<String, Map<String, Object>> profiles = new LinkedHashMap<>();
        List<String> versions = new ArrayList<>();
        for (Summary.Check check : summary.checks()) {
            Matcher c = CLASS.matcher(check.id());
            String[] profile = c.find() ? PROFILES.get(c.group(1)) : null;
            if (profile == null) {
                continue;
            }
            Matcher m = METHOD.matcher(check.id());
            String test = c.group(1).substring(c.group(1).lastIndexOf('.') + 1) + "." + (m.find() ? m.group(1) : check.name());
            boolean experimental = test.toLowerCase().contains("namedport");
            Map<String, Object> report = profiles.computeIfAbsent(profile[0], name -> {
                versions.add(profile[1]);
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("name", name);
                p.put("standard", status());
                return p;
            });
            @SuppressWarnings("unchecked")
            Map<String, Object> status = (Map<String, Object>) report.computeIfAbsent(experimental ? "experimental" : "standard",
                    k -> {
                        Map<String, Object> s = status();
                        s.put("supportedFeatures", new ArrayList<>(List.of(NAMED_PORTS)));
                        return s;
                    });
            add(status, test, check.status());
        }
        // a profile whose every case skipped (the API generation is not served) says nothing about the implementation
        profiles.values().removeIf(p -> !ran(p.get("standard")) && !ran(p.get("experimental")));
        versions.clear();
        profiles.keySet().forEach(name -> PROFILES.values().stream().filter(v -> v[0].equals(name))
                .forEach(v -> versions.add(v[1])));
        if (profiles.isEmpty()) {
            return Optional.empty();
        }
        profiles.values().forEach(p -> {
            compile(p.get("standard"));
            if (p.containsKey("experimental")) {
                compile(p.get("experimental"));
            }
        });
        Map<String, Object> implementation = new LinkedHashMap<>();
        implementation.put("organization", "");
        implementation.put("project", summary.cni().getOrDefault("cni.name", "unknown"));
        implementation.put("url", "");
        implementation.put("version", summary.cni().getOrDefault("cni.version", "unknown"));
        implementation.put("contact", List.of());
        implementation.put("additionalInformation", "netconform " + summary.harnessVersion() + " run " + summary.runId()
                + " (clusterpolicy suite; see summary.json)");
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("apiVersion", API_VERSION);
        root.put("kind", "ConformanceReport");
        root.put("date", (summary.finishedAt() == null ? summary.startedAt() : summary.finishedAt())
                .atOffset(ZoneOffset.UTC).toString());
        root.put("implementation", implementation);
        root.put("networkPolicyV2APIVersion", String.join(",", versions));
        root.put("profiles", new ArrayList<>(profiles.values()));
        return Optional.of(root);
    }

    /** Writes {@value #FILE} into {@code dir} when the run had cluster-policy checks; returns the file, if written. */
    public static Optional<Path> write(Summary summary, Path dir) {
        Optional<Map<String, Object>> report = of(summary);
        if (report.isEmpty()) {
            return Optional.empty();
        }
        Path file = dir.resolve(FILE);
        try {
            Files.writeString(file, new io.fabric8.kubernetes.client.utils.KubernetesSerialization().asYaml(report.get()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        return Optional.of(file);
    }

    private static Map<String, Object> status() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("result", "");
        s.put("summary", "");
        Map<String, Object> statistics = new LinkedHashMap<>();
        // upstream's Statistics struct has no json tags: the keys are the Go field names
        statistics.put("Passed", 0);
        statistics.put("Skipped", 0);
        statistics.put("Failed", 0);
        s.put("statistics", statistics);
        return s;
    }

    @SuppressWarnings("unchecked")
    private static void add(Map<String, Object> status, String test, Summary.Status result) {
        Map<String, Object> statistics = (Map<String, Object>) status.get("statistics");
        String key = switch (result) {
            case PASSED -> "Passed";
            case SKIPPED -> "Skipped";
            case FAILED, BROKEN -> "Failed";
        };
        statistics.merge(key, 1, (a, b) -> (Integer) a + (Integer) b);
        if (!key.equals("Passed")) {
            ((List<String>) status.computeIfAbsent(key.equals("Skipped") ? "skippedTests" : "failedTests",
                    k -> new ArrayList<String>())).add(test);
        }
    }

    @SuppressWarnings("unchecked")
    private static boolean ran(Object statusObject) {
        if (statusObject == null) {
            return false;
        }
        Map<String, Object> statistics = (Map<String, Object>) ((Map<String, Object>) statusObject).get("statistics");
        return (Integer) statistics.get("Passed") + (Integer) statistics.get("Failed") > 0;
    }

    @SuppressWarnings("unchecked")
    private static void compile(Object statusObject) {
        Map<String, Object> status = (Map<String, Object>) statusObject;
        Map<String, Object> statistics = (Map<String, Object>) status.get("statistics");
        int failed = (Integer) statistics.get("Failed");
        int skipped = (Integer) statistics.get("Skipped");
        int passed = (Integer) statistics.get("Passed");
        status.put("result", failed > 0 ? "failure" : skipped > 0 ? "partial" : "success");
        status.put("summary", passed + " passed, " + failed + " failed, " + skipped + " skipped");
    }
}
