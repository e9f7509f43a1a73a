package io.netconform.cli;

import io.netconform.disruption.Check;
import io.netconform.disruption.DisruptionChart;
import io.netconform.disruption.Failure;
import io.netconform.disruption.Outage;
import io.netconform.disruption.PathDisruption;
import io.netconform.disruption.Target;
import io.netconform.disruption.WatchResult;
import io.netconform.report.Summary;
import io.netconform.report.SummaryRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** `netconform watch`: bad input before any cluster work, and what its reports say about a finished watch. */
class WatchCommandTest {

    @TempDir
    Path dir;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    static final Instant T = Instant.parse("2026-12-02T05:00:00Z");
    static final Target CROSS_TCP = new Target("t1", "pod n1 → pod n2 (cross node)", Check.TCP, "10.244.1.5", 8080, "watch-n1");
    static final Target DNS = new Target("t2", "pod n1 → cluster DNS", Check.DNS, "kubernetes.default", 0, "watch-n1");

    int run(String... args) {
        picocli.CommandLine cli = Netconform.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }


    static WatchResult watched() {
        Outage fiveSeconds = new Outage(CROSS_TCP, T.plusSeconds(30), T.plusMillis(35_200), Failure.TIMEOUT,
                "Connection timed out", 26, false);
        PathDisruption tcp = new PathDisruption(CROSS_TCP, 600, 26, 0, 0, T, T.plusSeconds(120), List.of(fiveSeconds), null, null);
        PathDisruption dns = new PathDisruption(DNS, 600, 0, 3, 1, T, T.plusSeconds(120), List.of(), null, null);
        return new WatchResult(T, T.plusSeconds(120), Duration.ofMillis(200), List.of(tcp, dns), List.of(), 0, 0);
    }

    @Test
    void badInputIsExitTwoBeforeAnyClusterWork() {
        assertThat(run("watch", "--interval", "10ms", "--kubeconfig", dir.resolve("none").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--interval must be at least 50ms, got 10ms");
        assertThat(run("watch", "--sample-timeout", "1500ms")).isEqualTo(2);
        assertThat(err.toString()).contains("--sample-timeout must be whole seconds");
        assertThat(run("watch", "--duration", "1m", "--", "true")).isEqualTo(2);
        assertThat(err.toString()).contains("--duration and a wrapped command exclude each other");
        assertThat(run("watch", "--max-outage", "banana")).isEqualTo(2);
        assertThat(err.toString()).contains("'banana' is not a duration");
        assertThat(err.toString()).doesNotContain("\tat ");
    }

    @Test
    void aPathOverTheMaximumOutageFailsItsJunitTestAndTheOthersPass() throws Exception {
        Path xml = dir.resolve("TEST-netconform-watch.xml");
        WatchReports.junit(watched(), Duration.ofSeconds(5), xml);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
        Element suite = doc.getDocumentElement();
        assertThat(suite.getAttribute("tests")).isEqualTo("2");
        assertThat(suite.getAttribute("failures")).isEqualTo("1");
        NodeList cases = doc.getElementsByTagName("testcase");
        Element tcp = (Element) cases.item(0);
        assertThat(tcp.getAttribute("classname")).isEqualTo("watch.pod n1 → pod n2 (cross node)");
        assertThat(tcp.getAttribute("name")).isEqualTo("TCP connect");
        Element failure = (Element) tcp.getElementsByTagName("failure").item(0);
        assertThat(failure.getAttribute("message"))
                .isEqualTo("[unexpected-drop] expected no outage longer than 5.0 s (--max-outage), seen 5.2 s from 2026-12-02T05:00:30Z "
                        + "to 2026-12-02T05:00:35.200Z: TIMEOUT Connection timed out");
        assertThat(failure.getTextContent()).contains("reproduce: kubectl exec -n <watch namespace> watch-n1 -c probe -- "
                + "socat -T 1 /dev/null TCP:10.244.1.5:8080,connect-timeout=1");
        assertThat(((Element) cases.item(1)).getElementsByTagName("failure").getLength()).isZero();
        // with a higher maximum the same watch passes
        WatchReports.junit(watched(), Duration.ofSeconds(6), xml);
        assertThat(Files.readString(xml)).doesNotContain("<failure");
    }

    @Test
    void summaryEntriesCarryEveryOutageAsAnInterval() throws Exception {
        WatchResult result = watched();
        Summary.Disruption tcp = WatchReports.summary(result.paths().get(0), result.interval(), Duration.ofSeconds(5));
        assertThat(tcp.connection()).isEqualTo("NEW");
        assertThat(tcp.target()).isEqualTo("10.244.1.5:8080");
        assertThat(tcp.longestOutageSeconds()).isEqualTo(5.2);
        assertThat(tcp.lossPercent()).isEqualTo(4.333);
        assertThat(tcp.passed()).isFalse();
        assertThat(tcp.intervals()).singleElement().satisfies(i -> {
            assertThat(i.failure()).isEqualTo("TIMEOUT");
            assertThat(i.seconds()).isEqualTo(5.2);
            assertThat(i.start()).isEqualTo(T.plusSeconds(30));
        });
        // it round-trips through summary.json
        Path file = dir.resolve("summary.json");
        new SummaryRecorder("nc-test", "dev").disruption(tcp).write(file);
        assertThat(Summary.read(file).disruption()).containsExactly(tcp);
        assertThat(WatchReports.table(result, Duration.ofSeconds(5)))
                .contains("TOO LONG").contains("1 of 2 paths × checks within --max-outage 5.0 s");
    }

    @Test
    void theTimelineChartIsAPngWithARowPerCheck() throws Exception {
        Path png = dir.resolve("chart.png");
        DisruptionChart.write("pod n1 → pod n2 (cross node)", watched().paths(), T, png);
        var image = ImageIO.read(png.toFile());
        assertThat(image).isNotNull();
        assertThat(image.getWidth()).isEqualTo(1000);
        assertThat(image.getHeight()).isEqualTo(140 + 45 * 2);
    }
}
