package io.netconform.report;

import io.qameta.allure.Allure;
import io.qameta.allure.AllureLifecycle;
import io.qameta.allure.FileSystemResultsWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The Allure results directory of a run ({@code reports/allure-results}) and the files Allure reads
 * besides the test results: environment, categories, executor, history.
 */
public final class AllureResults {

    public static final String RESULTS_DIRECTORY_PROPERTY = "allure.results.directory";

    private AllureResults() {
    }

    /**
     * Empties {@code dir} (a previous run's results would otherwise merge into this report: {@code mvn clean}
     * does not touch {@code reports/}), copies the sibling {@code history/} into it when {@code keepHistory},
     * writes {@code categories.json}, and points Allure at {@code dir}. Call it before the JUnit Launcher is
     * created: Allure's listener takes the lifecycle set here.
     */
    public static Path prepare(Path dir, boolean keepHistory) {
        try {
            deleteRecursively(dir);
            Files.createDirectories(dir);
            Path history = dir.toAbsolutePath().resolveSibling("history");
            if (keepHistory && Files.isDirectory(history)) {
                copyRecursively(history, dir.resolve("history"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Allure results directory " + dir, e);
        }
        writeCategories(dir);
        System.setProperty(RESULTS_DIRECTORY_PROPERTY, dir.toAbsolutePath().toString());
        // the default lifecycle reads the property once, at first use; a fresh one makes the order irrelevant
        Allure.setLifecycle(new AllureLifecycle(
                new RedactingResultsWriter(new FileSystemResultsWriter(dir.toAbsolutePath()))));
        return dir;
    }

    /**
     * Writes {@code environment.properties} (the "Environment" widget): Kubernetes version, CNI, nodes,
     * IP families, images, harness version. Keys that name a credential are refused, values are redacted.
     *
     * @throws IllegalArgumentException for a key such as {@code token} or {@code client-key-data}
     */
    public static Path writeEnvironment(Path dir, Map<String, String> environment) {
        StringBuilder out = new StringBuilder();
        environment.forEach((key, value) -> {
            if (Redactor.isSensitiveKey(key)) {
                throw new IllegalArgumentException("refusing to write \"" + key
                        + "\" into environment.properties: the key names a credential");
            }
            out.append(escapeProperty(key, true)).append('=')
                    .append(escapeProperty(Redactor.redact(String.valueOf(value)), false)).append('\n');
        });
        return writeFile(dir.resolve("environment.properties"), out.toString());
    }

    /** Writes {@code categories.json}: one category per {@link FailureKind}, matched on failed and broken results. */
    public static Path writeCategories(Path dir) {
        List<Map<String, Object>> categories = new ArrayList<>();
        for (FailureKind kind : FailureKind.values()) {
            Map<String, Object> category = new LinkedHashMap<>();
            category.put("name", kind.title());
            category.put("matchedStatuses", List.of("failed", "broken"));
            category.put("messageRegex", kind.messageRegex());
            categories.add(category);
        }
        return writeFile(dir.resolve("categories.json"), Json.write(categories));
    }

    /**
     * Writes one test result that did not come from JUnit (e.g. one watched path of {@code netconform watch})
     * through the lifecycle {@link #prepare} set, with PNG attachments. Names and messages are redacted.
     *
     * @param passed  passed or failed; {@code message} says why it failed (or, when passed, what was seen)
     */
    public static void writeTest(String suite, String name, boolean passed, String message, long startMs, long stopMs,
                                 Map<String, Path> pngAttachments) {
        AllureLifecycle lifecycle = Allure.getLifecycle();
        String uuid = java.util.UUID.randomUUID().toString();
        String fullName = suite + "." + name;
        io.qameta.allure.model.TestResult result = new io.qameta.allure.model.TestResult()
                .setUuid(uuid)
                .setName(Redactor.redact(name))
                .setFullName(Redactor.redact(fullName))
                .setHistoryId(Integer.toHexString(fullName.hashCode()))
                .setStatus(passed ? io.qameta.allure.model.Status.PASSED : io.qameta.allure.model.Status.FAILED)
                .setStatusDetails(new io.qameta.allure.model.StatusDetails().setMessage(Redactor.redact(message)))
                .setLabels(List.of(new io.qameta.allure.model.Label().setName("suite").setValue(suite)));
        lifecycle.scheduleTestCase(result);
        lifecycle.startTestCase(uuid);
        lifecycle.updateTestCase(uuid, r -> r.setStart(startMs));
        pngAttachments.forEach((title, png) -> {
            try (java.io.InputStream in = Files.newInputStream(png)) {
                lifecycle.addAttachment(Redactor.redact(title), "image/png", "png", in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot attach " + png, e);
            }
        });
        lifecycle.stopTestCase(uuid);
        lifecycle.updateTestCase(uuid, r -> r.setStop(stopMs));
        lifecycle.writeTestCase(uuid);
    }

    /**
     * Writes {@code executor.json} (the "Executors" widget, and the build order Allure's trends use)
     * when {@code env} shows a CI system: GitHub Actions, GitLab CI, Jenkins or a generic {@code CI=true}.
     */
    public static Optional<Path> writeExecutor(Path dir, Map<String, String> env) {
        return executor(env).map(executor -> writeFile(dir.resolve("executor.json"), Json.writeRedacted(executor)));
    }

    /** What {@code executor.json} holds; {@code reportUrl} comes from {@code NETCONFORM_REPORT_URL}. */
    public record Executor(String name, String type, String buildName, String buildOrder, String buildUrl,
                           String reportUrl) {
    }

    static Optional<Executor> executor(Map<String, String> env) {
        String reportUrl = env.get("NETCONFORM_REPORT_URL");
        if (env.containsKey("GITHUB_ACTIONS") || env.containsKey("GITHUB_RUN_ID")) {
            String server = env.getOrDefault("GITHUB_SERVER_URL", "https://github.com");
            String url = env.containsKey("GITHUB_REPOSITORY") && env.containsKey("GITHUB_RUN_ID")
                    ? server + "/" + env.get("GITHUB_REPOSITORY") + "/actions/runs/" + env.get("GITHUB_RUN_ID") : null;
            return Optional.of(new Executor("GitHub Actions", "github",
                    join(env.get("GITHUB_WORKFLOW"), env.get("GITHUB_RUN_NUMBER")), env.get("GITHUB_RUN_NUMBER"),
                    url, reportUrl));
        }
        if (env.containsKey("GITLAB_CI") || env.containsKey("CI_PIPELINE_ID")) {
            return Optional.of(new Executor("GitLab CI", "gitlab",
                    join(env.getOrDefault("CI_JOB_NAME", env.get("CI_PROJECT_PATH")), env.get("CI_PIPELINE_IID")),
                    env.getOrDefault("CI_PIPELINE_IID", env.get("CI_PIPELINE_ID")),
                    env.getOrDefault("CI_JOB_URL", env.get("CI_PIPELINE_URL")), reportUrl));
        }
        if (env.containsKey("JENKINS_URL") || env.containsKey("BUILD_URL")) {
            return Optional.of(new Executor("Jenkins", "jenkins",
                    join(env.get("JOB_NAME"), env.get("BUILD_NUMBER")), env.get("BUILD_NUMBER"),
                    env.get("BUILD_URL"), reportUrl));
        }
        if ("true".equalsIgnoreCase(env.get("CI"))) {
            return Optional.of(new Executor("CI", "ci", null, null, null, reportUrl));
        }
        return Optional.empty();
    }

    private static String join(String name, String number) {
        if (name == null) {
            return number == null ? null : "#" + number;
        }
        return number == null ? name : name + " #" + number;
    }

    // java.util.Properties escaping, without the date comment Properties.store adds (it breaks diffs)
    private static String escapeProperty(String text, boolean key) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '=', ':', '#', '!' -> out.append('\\').append(c);
                case ' ' -> out.append(key || i == 0 ? "\\ " : " ");
                default -> out.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return out.toString();
    }

    private static Path writeFile(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, Redactor.redact(content), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void copyRecursively(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
