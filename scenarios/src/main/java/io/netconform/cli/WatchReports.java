package io.netconform.cli;

import io.netconform.disruption.DisruptionChart;
import io.netconform.disruption.Outage;
import io.netconform.disruption.PathDisruption;
import io.netconform.disruption.WatchResult;
import io.netconform.junit.Run;
import io.netconform.report.AllureResults;
import io.netconform.report.CheckFailure;
import io.netconform.report.FailureKind;
import io.netconform.report.Redactor;
import io.netconform.report.Summary;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** What {@code netconform watch} writes: summary.json, JUnit XML, Allure results with a chart per path, a table. */
final class WatchReports {

    private final Path dir;

    private WatchReports(Path dir) {
        this.dir = dir;
    }

    static WatchReports prepare(Path dir) throws IOException {
        RunReports.prepare(dir);
        Files.createDirectories(dir.resolve("junit"));
        Files.createDirectories(dir.resolve("watch"));
        return new WatchReports(dir);
    }

    /** Writes everything and decides the exit code. */
    int finish(Run run, WatchResult result, Duration maxOutage, String command, Integer commandExit, PrintWriter out) {
        Map<String, List<PathDisruption>> byPath = result.paths().stream()
                .collect(Collectors.groupingBy(p -> p.target().path(), LinkedHashMap::new, Collectors.toList()));
        Map<String, Path> charts = charts(byPath, result);
        for (PathDisruption p : result.paths()) {
            run.summary().disruption(summary(p, result.interval(), maxOutage));
            AllureResults.writeTest("watch", p.target().name(), p.passed(maxOutage), verdict(p, maxOutage),
                    result.started().toEpochMilli(), result.finished().toEpochMilli(),
                    Map.of("timeline " + p.target().path(), charts.get(p.target().path())));
        }
        run.summary().write(dir.resolve("summary.json"));
        junit(result, maxOutage, dir.resolve("junit").resolve("TEST-netconform-watch.xml"));
        out.println();
        out.println(table(result, maxOutage));
        result.notices().forEach(n -> out.println("harness/API (not network downtime): " + n));
        int exit = result.passed(maxOutage) ? 0 : 1;
        if (!command.isEmpty()) {
            out.println("command: " + command + " → " + (commandExit == null ? "interrupted, no exit code" : "exit " + commandExit));
            if (commandExit != null && commandExit != 0) {
                exit = 1;
            }
        }
        out.printf("reports: %s (summary.json disruption[], junit/, allure-results/, watch/*.png)%n", dir);
        out.flush();
        return exit;
    }

    static String verdict(PathDisruption p, Duration maxOutage) {
        if (p.neverUp() != null) {
            return CheckFailure.of(FailureKind.UNEXPECTED_DROP, "never worked during the watch: " + p.neverUp())
                    .reproduce(reproduce(p)).getMessage();
        }
        String seen = String.format(Locale.ROOT, "%d outages, longest %.1f s, down %.1f s in total, %.2f %% of %d samples lost",
                p.outages().size(), p.longestOutageSeconds(), p.downtimeSeconds(), p.lossPercent(), p.samples());
        if (p.passed(maxOutage)) {
            return seen;
        }
        if (!p.tooLong(maxOutage)) {
            // not down for too long, but not watched for too long either: an outage may hide in that stretch
            return CheckFailure.of(FailureKind.HARNESS, String.format(Locale.ROOT,
                            "expected the path observed throughout the watch, but nothing was observed for %.1f s from %s"
                                    + " (more than --max-outage %.1f s): the prober skipped its due times or its output "
                                    + "did not arrive (see the harness/API notices); whether the path was up then is "
                                    + "unknown%n  %s", p.blindSeconds(), p.blind().from(),
                            maxOutage.toMillis() / 1000.0, seen))
                    .reproduce("kubectl logs -n <watch namespace> " + p.target().source() + " -c probe --timestamps")
                    .getMessage();
        }
        Outage worst = p.outages().stream().max(java.util.Comparator.comparingDouble(Outage::seconds)).orElseThrow();
        // the watch writes its JUnit XML and Allure results itself: the failure's text, not a throw
        return CheckFailure.of(FailureKind.UNEXPECTED_DROP, String.format(Locale.ROOT,
                        "expected no outage longer than %.1f s (--max-outage), seen %.1f s from %s to %s: %s %s%n  %s",
                        maxOutage.toMillis() / 1000.0, worst.seconds(), worst.start(), worst.end(), worst.failure(),
                        worst.detail(), seen)).reproduce(reproduce(p)).getMessage();
    }

    private static String reproduce(PathDisruption p) {
        String host = p.target().host();
        int port = p.target().port();
        String tool = switch (p.target().check()) {
            case ICMP -> "ping -c 5 -W 1 " + host;
            case TCP, TCP_REUSED -> "socat -T 1 /dev/null TCP:" + host + ":" + port + ",connect-timeout=1";
            case UDP, UDP_REUSED -> "sh -c 'echo ncw | socat -T 1 - UDP:" + host + ":" + port + "'";
            case HTTP -> "curl -sS -m 1 -o /dev/null -w '%{http_code}' http://" + host + ":" + port + "/";
            case DNS -> "dig +search +tries=1 +time=1 " + host + " A";
        };
        return "kubectl exec -n <watch namespace> " + p.target().source() + " -c probe -- " + tool;
    }

    private Map<String, Path> charts(Map<String, List<PathDisruption>> byPath, WatchResult result) {
        Map<String, Path> charts = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<String, List<PathDisruption>> e : byPath.entrySet()) {
            Path png = dir.resolve("watch").resolve(String.format("path-%02d-%s.png", i++,
                    e.getKey().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "")));
            try {
                DisruptionChart.write(e.getKey(), e.getValue(), result.started(), png);
            } catch (IOException ex) {
                throw new UncheckedIOException("cannot write chart " + png, ex);
            }
            charts.put(e.getKey(), png);
        }
        return charts;
    }

    static Summary.Disruption summary(PathDisruption p, Duration interval, Duration maxOutage) {
        List<Summary.Interval> intervals = p.outages().stream()
                .map(o -> new Summary.Interval(o.start(), o.end(), round(o.seconds()), o.failure().name(), o.detail(),
                        o.failedSamples(), o.ongoing()))
                .toList();
        return new Summary.Disruption(p.target().path(), p.target().check().label(),
                p.target().check().connection().name(),
                p.target().host() + (p.target().port() == 0 ? "" : ":" + p.target().port()), p.target().source(),
                interval.toMillis(), p.samples(), p.failed(), p.notSampled(), round(p.lossPercent()),
                p.outages().size(), round(p.downtimeSeconds()), round(p.longestOutageSeconds()),
                maxOutage.toMillis() / 1000.0, p.passed(maxOutage), p.neverUp(), round(p.blindSeconds()), intervals);
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    static String table(WatchResult result, Duration maxOutage) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-44s %-26s %8s %9s %8s %7s  %s%n",
                "path", "check", "outages", "longest", "down", "loss", "verdict"));
        for (PathDisruption p : result.paths()) {
            b.append(String.format(Locale.ROOT, "%-44s %-26s %8d %8.1fs %7.1fs %6.2f%%  %s%n", p.target().path(),
                    p.target().check().label(), p.outages().size(), p.longestOutageSeconds(), p.downtimeSeconds(),
                    p.lossPercent(), tableVerdict(p, maxOutage)));
        }
        // why a path never worked is the first thing to read, and it does not fit in a column
        result.paths().stream().filter(p -> p.neverUp() != null).forEach(p -> b.append(String.format(Locale.ROOT,
                "NEVER UP %s · %s: %s%n", p.target().path(), p.target().check().label(), p.neverUp())));
        long failing = result.paths().stream().filter(p -> !p.passed(maxOutage)).count();
        b.append(String.format(Locale.ROOT, "%d of %d paths × checks within --max-outage %.1f s; watched %d s at %d ms%s",
                result.paths().size() - failing, result.paths().size(), maxOutage.toMillis() / 1000.0,
                Duration.between(result.started(), result.finished()).toSeconds(), result.interval().toMillis(),
                result.streamResumes() == 0 ? "" : "; log streams resumed " + result.streamResumes() + " times (API)"));
        return b.toString();
    }

    private static String tableVerdict(PathDisruption p, Duration maxOutage) {
        if (p.neverUp() != null) {
            return "NEVER UP";
        }
        if (p.passed(maxOutage)) {
            return "ok";
        }
        return p.tooLong(maxOutage) ? "TOO LONG"
                : String.format(Locale.ROOT, "UNOBSERVED %.0fs", p.blindSeconds());
    }

    static void junit(WatchResult result, Duration maxOutage, Path xml) {
        long failures = result.paths().stream().filter(p -> !p.passed(maxOutage)).count();
        double seconds = Duration.between(result.started(), result.finished()).toMillis() / 1000.0;
        try (OutputStream os = Files.newOutputStream(xml)) {
            XMLStreamWriter w = XMLOutputFactory.newInstance().createXMLStreamWriter(os, "UTF-8");
            w.writeStartDocument("UTF-8", "1.0");
            w.writeStartElement("testsuite");
            w.writeAttribute("name", "netconform watch");
            w.writeAttribute("tests", Integer.toString(result.paths().size()));
            w.writeAttribute("failures", Long.toString(failures));
            w.writeAttribute("errors", "0");
            w.writeAttribute("skipped", "0");
            w.writeAttribute("time", String.format(Locale.ROOT, "%.3f", seconds));
            w.writeAttribute("timestamp", result.started().toString());
            for (PathDisruption p : result.paths()) {
                w.writeStartElement("testcase");
                w.writeAttribute("classname", "watch." + p.target().path());
                w.writeAttribute("name", p.target().check().label());
                w.writeAttribute("time", String.format(Locale.ROOT, "%.3f", p.measured().toMillis() / 1000.0));
                String text = Redactor.redact(verdict(p, maxOutage));
                if (!p.passed(maxOutage)) {
                    w.writeStartElement("failure");
                    w.writeAttribute("message", text.lines().findFirst().orElse(""));
                    w.writeAttribute("type", p.neverUp() != null ? "never-up" : "outage");
                    w.writeCharacters(text);
                    w.writeEndElement();
                } else {
                    w.writeStartElement("system-out");
                    w.writeCharacters(text);
                    w.writeEndElement();
                }
                w.writeEndElement();
            }
            w.writeEndElement();
            w.writeEndDocument();
            w.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + xml, e);
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write " + xml + ": " + e.getMessage(), e);
        }
    }
}
