package io.netconform.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Collects a run's results while suites execute (from any thread) and turns them into a {@link Summary}.
 * One recorder per run; it lives with the run in the JUnit root store.
 */
public final class SummaryRecorder {

    private final String runId;
    private final String harnessVersion;
    private final Clock clock;
    private final Instant startedAt;

    private Summary.Cluster cluster;
    private final Map<String, String> cni = new LinkedHashMap<>();
    // keyed by id: a re-run of the same check (JUnit retry) replaces the earlier outcome
    private final Map<String, Summary.Check> checks = new LinkedHashMap<>();
    private final List<Summary.Matrix> reachability = new ArrayList<>();
    private final List<Summary.Mtu> mtu = new ArrayList<>();
    private final List<Summary.Dns> dns = new ArrayList<>();
    private final List<Summary.Latency> latency = new ArrayList<>();
    private JsonNode bench;
    private final List<Summary.NodeChange> nodeEvidence = new ArrayList<>();
    private final List<Summary.Disruption> disruption = new ArrayList<>();

    public SummaryRecorder(String runId, String harnessVersion) {
        this(runId, harnessVersion, Clock.systemUTC());
    }

    public SummaryRecorder(String runId, String harnessVersion, Clock clock) {
        this.runId = Objects.requireNonNull(runId, "runId");
        this.harnessVersion = harnessVersion;
        this.clock = clock;
        this.startedAt = clock.instant();
    }

    public synchronized SummaryRecorder cluster(Summary.Cluster cluster) {
        this.cluster = cluster;
        return this;
    }

    /** Flat CNI facts, e.g. {@code name=canal, version=v3.28, backend=vxlan}; values are redacted on write. */
    public synchronized SummaryRecorder cni(Map<String, String> facts) {
        cni.putAll(facts);
        return this;
    }

    public synchronized SummaryRecorder check(Summary.Check check) {
        checks.put(check.id(), check);
        return this;
    }

    /**
     * Records a finished check from its outcome; the kind is the one a {@link CheckFailure} or {@link BrokenCheck} was
     * built with, else read from the message's marker or infrastructure symptoms (exceptions no check wrote).
     */
    public SummaryRecorder check(String id, String suite, String name, Throwable failure, Duration duration,
                                 Map<String, String> parameters) {
        Summary.Status status = failure == null ? Summary.Status.PASSED
                : failure instanceof AssertionError ? Summary.Status.FAILED : Summary.Status.BROKEN;
        String message = failure == null ? null : String.valueOf(failure.getMessage());
        // a check that ended in anything but an assertion did not observe the network: infrastructure, unless marked
        FailureKind kind = failure == null ? null : failure instanceof Failing<?> typed ? typed.kind()
                : FailureKind.classify(message).orElse(status == Summary.Status.BROKEN ? FailureKind.INFRA : null);
        return check(new Summary.Check(id, suite, name, status, kind, message, duration.toMillis(), parameters));
    }

    public SummaryRecorder skipped(String id, String suite, String name, String reason) {
        return check(new Summary.Check(id, suite, name, Summary.Status.SKIPPED, null, reason, 0, Map.of()));
    }

    public synchronized SummaryRecorder reachability(Summary.Matrix matrix) {
        reachability.add(matrix);
        return this;
    }

    public synchronized SummaryRecorder mtu(Summary.Mtu result) {
        mtu.add(result);
        return this;
    }

    public synchronized SummaryRecorder dns(Summary.Dns result) {
        dns.add(result);
        return this;
    }

    public synchronized SummaryRecorder latency(Summary.Latency result) {
        latency.add(result);
        return this;
    }

    /** Benchmark results as any Jackson-serialisable object; their shape is owned by the bench package. */
    public synchronized SummaryRecorder bench(Object results) {
        this.bench = results == null ? null : Json.MAPPER.valueToTree(results);
        return this;
    }

    /** What {@code --node-evidence} saw change on the nodes. */
    public synchronized SummaryRecorder nodeEvidence(List<Summary.NodeChange> changes) {
        nodeEvidence.addAll(changes);
        return this;
    }

    /** What one path went through during {@code netconform watch}. */
    public synchronized SummaryRecorder disruption(Summary.Disruption result) {
        disruption.add(result);
        return this;
    }

    /** A snapshot as of now. */
    public synchronized Summary summary() {
        Instant finishedAt = clock.instant();
        return new Summary(Summary.SCHEMA, runId, startedAt, finishedAt,
                Duration.between(startedAt, finishedAt).toMillis(), harnessVersion, cluster, cni,
                new ArrayList<>(checks.values()), reachability, mtu, dns, latency, bench, nodeEvidence, disruption);
    }

    /** Writes the snapshot to {@code file} (normally {@code reports/summary.json}) and returns it. */
    public Summary write(Path file) {
        Summary summary = summary();
        summary.write(file);
        return summary;
    }
}
