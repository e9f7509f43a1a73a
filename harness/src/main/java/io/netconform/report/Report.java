package io.netconform.report;

import io.qameta.allure.Allure;
import io.qameta.allure.AllureLifecycle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;

/**
 * What suites and the harness call to put steps, parameters and evidence into the Allure report.
 *
 * <p>Every method is safe without a running Allure test (a plain unit test, a worker thread of the
 * prober, the CLI): steps then just run their body and attachments are dropped. Every string goes
 * through {@link Redactor} first.
 */
public final class Report {

    /** A step body without a result. Checked exceptions propagate unchanged, as with {@link Allure#step}. */
    @FunctionalInterface
    public interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** A step body that computes a value. */
    @FunctionalInterface
    public interface ThrowingSupplier<T> {
        T get() throws Exception;
    }

    private Report() {
    }

    /** True when this thread is inside an Allure test, i.e. steps and attachments will be recorded. */
    public static boolean active() {
        return lifecycle().getCurrentTestCaseOrStep().isPresent();
    }

    public static void step(String name, ThrowingRunnable body) {
        Objects.requireNonNull(body, "body");
        if (!active()) {
            run(body);
            return;
        }
        Allure.step(Redactor.redact(name), body::run);
    }

    public static <T> T step(String name, ThrowingSupplier<T> body) {
        Objects.requireNonNull(body, "body");
        if (!active()) {
            return get(body);
        }
        return Allure.step(Redactor.redact(name), body::get);
    }

    /** Records a parameter of the current test (shown in Allure and used to tell retries apart). */
    public static void parameter(String name, Object value) {
        if (active()) {
            Allure.parameter(name, Redactor.redact(String.valueOf(value)));
        }
    }

    public static void label(String name, String value) {
        if (active()) {
            Allure.label(name, Redactor.redact(value));
        }
    }

    public static void link(String name, String url) {
        if (active()) {
            Allure.link(name, url);
        }
    }

    public static void attachText(String name, String text) {
        attach(name, "text/plain", ".txt", text);
    }

    public static void attachYaml(String name, String yaml) {
        attach(name, "text/yaml", ".yaml", yaml);
    }

    /** {@code json} is redacted string by string when it parses (see {@link Redactor}), as text otherwise. */
    public static void attachJson(String name, String json) {
        attach(name, "application/json", ".json", json == null ? null : Json.redactJsonText(json));
    }

    public static void attachHtml(String name, String html) {
        attach(name, "text/html", ".html", html);
    }

    /**
     * A reachability-style grid as a small HTML page: one row per source, one column per destination,
     * each cell a short symbol ({@code .} allowed, {@code X} blocked, {@code ?} error, {@code -} not probed).
     * Cells for which {@code wrong} holds get a red background, so a wrong pair stands out in a 9×9 grid.
     */
    public static String gridHtml(String title, List<String> rows, List<String> cols,
                                  BiFunction<String, String, String> cell, BiPredicate<String, String> wrong) {
        List<String> header = new ArrayList<>(List.of("from \\ to"));
        header.addAll(cols);
        List<Table.Row> lines = new ArrayList<>();
        int wrongCells = 0;
        for (String row : rows) {
            List<Table.Cell> line = new ArrayList<>(List.of(new Table.Cell(row, false, "row", "", true)));
            for (String col : cols) {
                boolean isWrong = wrong.test(row, col);
                wrongCells += isWrong ? 1 : 0;
                String text = String.valueOf(cell.apply(row, col));
                line.add(isWrong ? new Table.Cell(text, false, "wrong", row + " -> " + col, false) : Table.Cell.plain(text));
            }
            lines.add(Table.Row.of(line));
        }
        StringBuilder html = new StringBuilder(512 + rows.size() * cols.size() * 40);
        html.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>").append(Table.escapeHtml(title))
                .append("</title><style>")
                .append("body{font-family:sans-serif}table{border-collapse:collapse;font-family:monospace}")
                .append("th,td{border:1px solid #bbb;padding:2px 6px;text-align:center}")
                .append("th.row{text-align:right}td.wrong{background:#e53935;color:#fff;font-weight:bold}")
                .append("</style></head><body><h3>").append(Table.escapeHtml(title)).append("</h3>")
                .append(new Table(header, lines).html());
        html.append("<p>").append(wrongCells).append(wrongCells == 1 ? " wrong cell" : " wrong cells")
                .append(" of ").append(rows.size() * cols.size())
                .append(". Legend: . allowed, X blocked, ? error, - not probed</p></body></html>");
        return Redactor.redact(html.toString());
    }

    private static void attach(String name, String type, String extension, String content) {
        if (!active() || content == null) {
            return;
        }
        lifecycle().addAttachment(Redactor.redact(name), type, extension,
                Redactor.redact(content).getBytes(StandardCharsets.UTF_8));
    }

    private static AllureLifecycle lifecycle() {
        return Allure.getLifecycle();
    }

    private static void run(ThrowingRunnable body) {
        try {
            body.run();
        } catch (Exception e) {
            throw Report.<RuntimeException>sneaky(e);
        }
    }

    private static <T> T get(ThrowingSupplier<T> body) {
        try {
            return body.get();
        } catch (Exception e) {
            throw Report.<RuntimeException>sneaky(e);
        }
    }

    // rethrows a checked exception unchanged, the way Allure.step does, so callers see the real cause
    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(Throwable t) throws E {
        throw (E) t;
    }
}
