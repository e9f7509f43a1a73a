package io.netconform.bench;

import io.netconform.exec.ExecResult;
import io.netconform.exec.Executor;
import io.netconform.exec.PodRef;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures latency and throughput on pod-to-pod paths through an {@link Executor}: ICMP RTT with
 * {@code ping}, TCP connect and HTTP request/response time with {@code curl} against the server pod's
 * nginx, TCP throughput (one stream and {@code -P} streams) and UDP throughput, jitter and loss at a
 * target rate with {@code iperf3 -J} against an {@code iperf3 -s} in the server pod.
 *
 * <p>Every figure is a series: the first {@link BenchSettings#warmup()} samples are discarded, the rest
 * become {@link Stats}. A series whose command failed becomes a failed {@link Figure} with the reason
 * and the {@code kubectl exec} line to repeat it: never a zero.
 */
public final class Benchmark {

    /**
     * One path to measure: the client pod the commands run in (and its image, named when a tool is
     * missing from it) and the server address they target.
     */
    public record Leg(BenchPath path, PodRef client, String clientImage, String serverIp) {
        public Leg {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(client, "client");
            Objects.requireNonNull(clientImage, "clientImage");
            Objects.requireNonNull(serverIp, "serverIp");
        }
    }

    private static final Pattern PING_TIME = Pattern.compile("icmp_seq=\\d+ .*?time[=<]([0-9.]+) ms");
    private static final Pattern CURL_LINE = Pattern.compile("^(\\d{3}) ([0-9.]+) ([0-9.]+)$");

    private final Executor executor;
    private final BenchSettings settings;
    private final Clock clock;

    public Benchmark(Executor executor, BenchSettings settings) {
        this(executor, settings, Clock.systemUTC());
    }

    Benchmark(Executor executor, BenchSettings settings, Clock clock) {
        this.executor = Objects.requireNonNull(executor, "executor");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = clock;
    }

    /**
     * Measures every leg and puts the figures together with what is missing and why: cross-node rows
     * on a single-node cluster, host-network comparisons without a host-network leg.
     */
    public BenchResult run(BenchResult.ClusterFacts cluster, Map<String, String> cni, List<Leg> legs) {
        List<PathResult> paths = legs.stream().map(this::measure).toList();
        List<BenchResult.Missing> missing = new ArrayList<>(missingCrossNode(cluster, legs));
        List<BenchResult.HostRatio> ratios = hostRatios(paths, missing);
        return new BenchResult(BenchResult.SCHEMA, cluster, cni, clock.instant(), settings, paths, ratios,
                null, null, missing, null, null);
    }

    /** Every figure of one leg, in a fixed order. */
    public PathResult measure(Leg leg) {
        List<Figure> figures = new ArrayList<>();
        figures.add(ping(leg));
        figures.addAll(requestResponse(leg));
        Map<Metric, Figure> iperf = new EnumMap<>(Metric.class);
        iperf.putAll(tcpThroughput(leg, Metric.TCP_THROUGHPUT, 1));
        String missingTool = toolMissing(iperf.get(Metric.TCP_THROUGHPUT));
        if (missingTool != null) {
            // the image lacks iperf3: every further iperf3 run would fail the same way, slowly
            for (Metric m : List.of(Metric.TCP_THROUGHPUT_MULTI, Metric.UDP_THROUGHPUT, Metric.UDP_JITTER, Metric.UDP_LOSS)) {
                iperf.put(m, Figure.failed(m, missingTool, iperf.get(Metric.TCP_THROUGHPUT).reproduce()));
            }
        } else {
            iperf.putAll(tcpThroughput(leg, Metric.TCP_THROUGHPUT_MULTI, settings.parallelStreams()));
            iperf.putAll(udp(leg));
        }
        figures.addAll(iperf.values());
        return new PathResult(leg.path(), figures);
    }

    private Figure ping(Leg leg) {
        List<String> command = List.of("ping", "-c", String.valueOf(settings.pingCount()),
                "-i", String.valueOf(settings.pingInterval()), "-W", "2", leg.serverIp());
        Duration timeout = Duration.ofSeconds((long) Math.ceil(settings.pingCount() * settings.pingInterval())
                + 2L + settings.execTimeoutSeconds());
        String reproduce = leg.client().kubectlExec(command);
        ExecResult result = executor.exec(leg.client(), command, timeout);
        String problem = execProblem(result, "ping", leg);
        if (problem != null) {
            return Figure.failed(Metric.ICMP_RTT, problem, reproduce);
        }
        double[] rtts = parsePingTimes(result.stdout());
        if (rtts.length == 0) {
            return Figure.failed(Metric.ICMP_RTT, "no echo reply from " + leg.serverIp() + " (expected "
                    + settings.pingCount() + " replies, exit " + result.exitCode() + "): " + lastLines(result.output()), reproduce);
        }
        return series(Metric.ICMP_RTT, rtts, reproduce);
    }

    private List<Figure> requestResponse(Leg leg) {
        String url = "http://" + hostForUrl(leg.serverIp()) + ":" + settings.httpPort() + "/";
        // one exec for all requests: an exec per request would measure the API server, not the path
        String loop = "for i in $(seq 1 " + settings.requests() + "); do curl -sS -o /dev/null -m 2 -w "
                + "'%{http_code} %{time_connect} %{time_total}\\n' " + url + "; done";
        List<String> command = List.of("sh", "-c", loop);
        Duration timeout = Duration.ofSeconds(2L * settings.requests() + settings.execTimeoutSeconds());
        String reproduce = leg.client().kubectlExec(command);
        ExecResult result = executor.exec(leg.client(), command, timeout);
        String problem = execProblem(result, "curl", leg);
        if (problem == null) {
            CurlTimings timings = parseCurlTimings(result.stdout());
            if (timings.failed() > 0 || timings.connectMs().length == 0) {
                problem = timings.failed() + " of " + (timings.failed() + timings.connectMs().length)
                        + " HTTP requests to " + url + " failed (expected " + settings.requests()
                        + " with http_code 2xx-4xx): " + lastLines(result.stderr().isBlank() ? result.output() : result.stderr());
            } else {
                return List.of(series(Metric.TCP_CONNECT, timings.connectMs(), reproduce),
                        series(Metric.TCP_REQUEST_RESPONSE, timings.totalMs(), reproduce));
            }
        }
        return List.of(Figure.failed(Metric.TCP_CONNECT, problem, reproduce),
                Figure.failed(Metric.TCP_REQUEST_RESPONSE, problem, reproduce));
    }

    private Map<Metric, Figure> tcpThroughput(Leg leg, Metric metric, int streams) {
        List<String> command = new ArrayList<>(List.of("iperf3", "-c", leg.serverIp(), "-J", "-t", String.valueOf(settings.iperfSeconds())));
        if (streams > 1) {
            command.addAll(List.of("-P", String.valueOf(streams)));
        }
        Map<Metric, Figure> figures = new LinkedHashMap<>();
        Map<Metric, ToDoubleFunction<Iperf3Result>> extract = new LinkedHashMap<>();
        extract.put(metric, r -> r.bitsPerSecond() / 1e6);
        if (metric == Metric.TCP_THROUGHPUT) {
            extract.put(Metric.TCP_RETRANSMITS, r -> r.retransmits() == null ? 0 : r.retransmits());
        }
        iperfSeries(leg, command, extract, figures);
        return figures;
    }

    private Map<Metric, Figure> udp(Leg leg) {
        List<String> command = List.of("iperf3", "-c", leg.serverIp(), "-u", "-b", settings.udpRate(), "-J",
                "-t", String.valueOf(settings.iperfSeconds()));
        Map<Metric, ToDoubleFunction<Iperf3Result>> extract = new LinkedHashMap<>();
        extract.put(Metric.UDP_THROUGHPUT, r -> r.bitsPerSecond() / 1e6);
        extract.put(Metric.UDP_JITTER, r -> required(r.jitterMs(), "jitter_ms"));
        extract.put(Metric.UDP_LOSS, r -> required(r.lostPercent(), "lost_percent"));
        Map<Metric, Figure> figures = new LinkedHashMap<>();
        iperfSeries(leg, command, extract, figures);
        return figures;
    }

    /** Runs iperf3 warm-up + repeats times; the first failing run fails every figure of the series. */
    private void iperfSeries(Leg leg, List<String> command, Map<Metric, ToDoubleFunction<Iperf3Result>> extract,
                             Map<Metric, Figure> into) {
        String reproduce = leg.client().kubectlExec(command);
        Duration timeout = Duration.ofSeconds(settings.iperfSeconds() + (long) settings.execTimeoutSeconds());
        int runs = settings.warmup() + settings.repeats();
        Map<Metric, double[]> samples = new LinkedHashMap<>();
        extract.keySet().forEach(m -> samples.put(m, new double[runs]));
        for (int run = 0; run < runs; run++) {
            ExecResult result = executor.exec(leg.client(), command, timeout);
            String problem = execProblem(result, "iperf3", leg);
            if (problem == null) {
                Iperf3Result parsed = Iperf3Result.parse(result.stdout());
                if (parsed.ok()) {
                    try {
                        for (var e : extract.entrySet()) {
                            samples.get(e.getKey())[run] = e.getValue().applyAsDouble(parsed);
                        }
                        continue;
                    } catch (IllegalStateException e) {
                        problem = e.getMessage();
                    }
                } else {
                    problem = "iperf3 to " + leg.serverIp() + " failed on run " + (run + 1) + " of " + runs
                            + ": " + parsed.error() + " (is iperf3 -s running in the server pod?)";
                }
            }
            for (Metric m : extract.keySet()) {
                into.put(m, Figure.failed(m, problem, reproduce));
            }
            return;
        }
        samples.forEach((m, values) -> into.put(m, series(m, values, reproduce)));
    }

    private static double required(Double value, String field) {
        if (value == null) {
            throw new IllegalStateException("iperf3 UDP report has no end.sum." + field);
        }
        return value;
    }

    private Figure series(Metric metric, double[] samples, String reproduce) {
        if (samples.length <= settings.warmup()) {
            return Figure.failed(metric, "only " + samples.length + " samples, not more than the " + settings.warmup()
                    + " warm-up samples to discard", reproduce);
        }
        return Figure.measured(metric, samples, settings.warmup(), settings.wideThreshold(), reproduce);
    }

    /** Why an exec cannot be read as a measurement, or null when it can. */
    static String execProblem(ExecResult result, String tool, Leg leg) {
        if (!result.completed()) {
            return tool + " could not run in " + leg.client() + ": exec " + result;
        }
        String output = result.output();
        boolean missing = result.exitCode() == 127 || result.exitCode() == 126
                || output.contains(tool + ": not found") || output.contains(tool + ": command not found")
                || output.contains("\"" + tool + "\": executable file not found");
        if (missing) {
            return tool + " is not available in image " + leg.clientImage() + " (pod " + leg.client() + "): exit "
                    + result.exitCode() + ", " + lastLines(output) + " — use an image that ships " + tool
                    + " (nicolaka/netshoot does) or override the client image";
        }
        return null;
    }

    private static String toolMissing(Figure figure) {
        return figure != null && !figure.ok() && figure.error().contains(" is not available in image ") ? figure.error() : null;
    }

    static double[] parsePingTimes(String output) {
        List<Double> times = new ArrayList<>();
        for (String line : output.split("\\R")) {
            Matcher m = PING_TIME.matcher(line);
            if (m.find()) {
                times.add(Double.parseDouble(m.group(1)));
            }
        }
        return times.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Connect and total times in ms of the requests that got an HTTP answer, and how many did not. */
    record CurlTimings(double[] connectMs, double[] totalMs, int failed) {
    }

    static CurlTimings parseCurlTimings(String stdout) {
        List<double[]> ok = new ArrayList<>();
        int failed = 0;
        for (String line : stdout.split("\\R")) {
            Matcher m = CURL_LINE.matcher(line.strip());
            if (!m.matches()) {
                continue;
            }
            if (m.group(1).equals("000")) {
                failed++;
            } else {
                ok.add(new double[]{Double.parseDouble(m.group(2)) * 1000, Double.parseDouble(m.group(3)) * 1000});
            }
        }
        return new CurlTimings(ok.stream().mapToDouble(t -> t[0]).toArray(), ok.stream().mapToDouble(t -> t[1]).toArray(), failed);
    }

    private static String hostForUrl(String ip) {
        return ip.contains(":") ? "[" + ip + "]" : ip;
    }

    private static String lastLines(String output) {
        List<String> lines = output.strip().lines().filter(l -> !l.isBlank()).toList();
        String tail = String.join(" | ", lines.subList(Math.max(0, lines.size() - 2), lines.size()));
        return tail.isEmpty() ? "(no output)" : "'" + tail + "'";
    }

    private static List<BenchResult.Missing> missingCrossNode(BenchResult.ClusterFacts cluster, List<Leg> legs) {
        List<BenchResult.Missing> missing = new ArrayList<>();
        boolean anyCross = legs.stream().anyMatch(l -> l.path().placement() == BenchPath.Placement.CROSS_NODE);
        if (anyCross) {
            return missing;
        }
        if (cluster.nodeCount() < 2) {
            missing.add(new BenchResult.Missing("cross-node rows", "the cluster has " + cluster.nodeCount()
                    + " node: cross-node paths need client and server pods on two different nodes"));
        } else {
            missing.add(new BenchResult.Missing("cross-node rows", "the cluster has " + cluster.nodeCount()
                    + " nodes but no cross-node pod pair was given to the benchmark"));
        }
        return missing;
    }

    private List<BenchResult.HostRatio> hostRatios(List<PathResult> paths, List<BenchResult.Missing> missing) {
        List<BenchResult.HostRatio> ratios = new ArrayList<>();
        for (PathResult pod : paths) {
            BenchPath p = pod.path();
            if (p.network() != BenchPath.Network.POD) {
                continue;
            }
            PathResult host = paths.stream()
                    .filter(h -> h.path().network() == BenchPath.Network.HOST && h.path().placement() == p.placement()
                            && h.path().ipFamily() == p.ipFamily())
                    .findFirst().orElse(null);
            if (host == null) {
                missing.add(new BenchResult.Missing("pod/host ratio " + p.key(), "no host-network leg with the same placement and family was measured"));
                continue;
            }
            ratios.add(HostRatios.of(p, pod.figure(Metric.TCP_THROUGHPUT).orElse(null),
                    host.figure(Metric.TCP_THROUGHPUT).orElse(null), settings.hostTolerance()));
        }
        return ratios;
    }
}
