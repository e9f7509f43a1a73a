package io.netconform.sweep;

import io.netconform.policy.Topology;
import io.netconform.probe.ProbedPair;
import io.netconform.report.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * One sweep: its settings, the cases it generated and what each found; the summary groups wrong cases by dimension tag
 * so that a CNI's gap reads as one finding ("egress-port-named: 7 of 7 cases wrong"), not hundreds of lines.
 *
 * <p>The CLI creates it and registers it under the run id; the sweep suite finds it there (as suites find their Run).
 */
public final class Sweep {

    /**
     * @param only  when set, run just this case number of the seed (to repeat a failure)
     * @param kinds the policy kinds the cases hold ({@code --kinds})
     * @param confirm null, or the wait before each step's every pair is probed once more ({@code --confirm})
     */
    public record Settings(long seed, int cases, List<String> include, List<String> exclude, Integer only,
                           Set<PolicyKind> kinds, Duration confirm) {
        public Settings {
            include = List.copyOf(include);
            exclude = List.copyOf(exclude);
            kinds = kinds.isEmpty() ? Set.of(PolicyKind.NETWORK_POLICY) : Set.copyOf(kinds);
            if (cases < 1) {
                throw new IllegalArgumentException("--cases must be at least 1, got " + cases);
            }
            if (confirm != null && confirm.isNegative()) {
                throw new IllegalArgumentException("--confirm must not be negative, got " + confirm);
            }
            if (only != null && only < 1) {
                throw new IllegalArgumentException("--only must name a case number from 1, got " + only);
            }
            CaseGenerator.checkTerms("--include", include);
            CaseGenerator.checkTerms("--exclude", exclude);
            Set<String> generated = CaseGenerator.tags(kinds);
            for (String term : include) {
                // e.g. a cnp tag without ClusterNetworkPolicy cases would select nothing
                if (generated.stream().noneMatch(tag -> CaseGenerator.matches(term, tag))) {
                    throw new IllegalArgumentException("--include: '" + term + "' names no tag of --kinds "
                            + PolicyKind.describe(kinds) + "; add --kinds networkpolicy,clusternetworkpolicy");
                }
            }
        }

        public Settings(long seed, int cases, List<String> include, List<String> exclude, Integer only,
                        Set<PolicyKind> kinds) {
            this(seed, cases, include, exclude, only, kinds, null);
        }

        public Settings(long seed, int cases, List<String> include, List<String> exclude, Integer only) {
            this(seed, cases, include, exclude, only, Set.of(PolicyKind.NETWORK_POLICY));
        }

        public boolean clusterPolicies() {
            return kinds.contains(PolicyKind.CLUSTER_NETWORK_POLICY);
        }
    }

    private static final Map<String, Sweep> ACTIVE = new ConcurrentHashMap<>();

    private final Settings settings;
    private final List<CaseResult> results = Collections.synchronizedList(new ArrayList<>());
    private final long startNanos = System.nanoTime();
    private volatile Capabilities capabilities;
    private volatile int planned;

    public Sweep(Settings settings) {
        this.settings = settings;
    }

    public static void register(String runId, Sweep sweep) {
        ACTIVE.put(runId, sweep);
    }

    public static Optional<Sweep> find(String runId) {
        return Optional.ofNullable(ACTIVE.get(runId));
    }

    public static void unregister(String runId) {
        ACTIVE.remove(runId);
    }

    public Settings settings() {
        return settings;
    }

    /** The cases of this sweep on a model with these IPs, for a cluster with these capabilities. */
    public List<SweepCase> cases(Topology model, Capabilities caps) {
        this.capabilities = caps;
        CaseGenerator generator = new CaseGenerator(settings.seed(), model, caps, settings.kinds());
        List<SweepCase> cases = settings.only() != null
                ? List.of(generator.generateCase(settings.only(), settings.include(), settings.exclude()))
                : generator.generate(settings.cases(), settings.include(), settings.exclude());
        planned = cases.size();
        return cases;
    }

    public void record(CaseResult result) {
        results.add(result);
    }

    public List<CaseResult> results() {
        synchronized (results) {
            return List.copyOf(results);
        }
    }

    public Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** "case 40/200, 2m05s elapsed, 0 wrong": printed as the sweep goes. */
    public String progress() {
        List<CaseResult> done = results();
        long s = elapsed().toSeconds();
        return String.format("sweep: case %d/%d, %dm%02ds elapsed, %d wrong, %.1f execs/case", done.size(), planned,
                s / 60, s % 60, done.stream().filter(r -> r.mismatched() || r.broken()).count(),
                done.stream().mapToInt(CaseResult::execs).average().orElse(0));
    }

    /** Per tag: cases carrying it and how many of them went wrong. */
    public record TagTally(String tag, int cases, int wrong) {
    }

    public List<TagTally> byTag() {
        Map<String, int[]> counts = new TreeMap<>();
        for (CaseResult r : results()) {
            for (String tag : r.sweepCase().tags()) {
                int[] c = counts.computeIfAbsent(tag, k -> new int[2]);
                c[0]++;
                c[1] += r.mismatched() ? 1 : 0;
            }
        }
        List<TagTally> out = new ArrayList<>();
        counts.forEach((tag, c) -> out.add(new TagTally(tag, c[0], c[1])));
        return out;
    }

    /**
     * The findings: tags whose cases went wrong, most telling first (share of wrong cases, then count), and pairs of
     * tags whose every case went wrong where neither tag alone explains it ("egress-peer-ns-and-pod + types-omitted").
     */
    public String findings() {
        List<CaseResult> all = results();
        long wrong = all.stream().filter(CaseResult::mismatched).count();
        long broken = all.stream().filter(CaseResult::broken).count();
        StringBuilder text = new StringBuilder();
        text.append(String.format("sweep seed %d: %d cases, %d with wrong verdicts, %d could not be observed; %s; %d execs (%.1f per case)%s%n",
                settings.seed(), all.size(), wrong, broken, format(elapsed()),
                all.stream().mapToInt(CaseResult::execs).sum(), all.stream().mapToInt(CaseResult::execs).average().orElse(0),
                settings.confirm() == null ? "" : "; every step confirmed " + settings.confirm().toMillis() + " ms after it settled"));
        text.append(convergence()).append('\n');
        if (wrong == 0) {
            return text.toString();
        }
        List<TagTally> tags = byTag().stream().filter(t -> t.wrong() > 0)
                .sorted(Comparator.comparingDouble((TagTally t) -> -(double) t.wrong() / t.cases()).thenComparing(t -> -t.wrong()))
                .toList();
        text.append(shared(all));
        text.append("wrong cases by dimension tag:\n");
        tags.forEach(t -> text.append(String.format("  %-30s %3d of %3d cases wrong%s%n", t.tag(), t.wrong(), t.cases(),
                t.wrong() == t.cases() ? "  <- every case with this tag" : "")));
        text.append(combinations(all, tags));
        text.append("wrong cases: ").append(all.stream().filter(CaseResult::mismatched).map(r -> r.sweepCase().name())
                .collect(Collectors.joining(" "))).append("  (rerun one: --seed ").append(settings.seed()).append(" --only N)\n");
        return text.toString();
    }

    /**
     * What every wrong case has: a fault that breaks one dimension shows as that tag here even when its other cases
     * went right (a narrow fault is hit by some cases of a tag, not all), ahead of tags that merely came along in a
     * few cases. Candidates are the wrong cases' tags, each also as its dimension in either direction
     * ({@code peer-ipblock-except} when the wrong cases split between ingress and egress) and as its direction
     * ({@code egress}). Of those every wrong case has, the most telling (the largest share of its cases wrong) is
     * named, and others only when nearly as telling: a common tag every wrong case has by chance ({@code proto-udp},
     * carried by 30 of 40 cases) is not a finding. On the lab's fault modes this names ipBlock except for
     * ignore-except, egress named ports for egress-named-port-from-source, namespace-and-pod peers for peer-and-as-or,
     * egress-isolated for no-egress and ingress-rule-no-peers for empty-from-denies (SweepTest replays the lab's outcomes).
     */
    private static String shared(List<CaseResult> all) {
        List<CaseResult> wrong = all.stream().filter(CaseResult::mismatched).toList();
        record Candidate(int level, String term, long cases) {
        }
        Set<Candidate> seen = new java.util.HashSet<>();
        List<Candidate> candidates = new ArrayList<>();
        for (CaseResult r : wrong) {
            for (String t : r.sweepCase().tags()) {
                List<Candidate> forms = new ArrayList<>(List.of(new Candidate(0, t, 0)));
                if (t.startsWith("ingress-") || t.startsWith("egress-")) {
                    forms.add(new Candidate(1, t.substring(t.indexOf('-') + 1), 0));
                    forms.add(new Candidate(2, t.substring(0, t.indexOf('-')), 0));
                }
                for (Candidate c : forms) {
                    if (seen.add(c) && wrong.stream().allMatch(w -> has(w, c.term(), c.level()))) {
                        candidates.add(new Candidate(c.level(), c.term(), all.stream().filter(a -> has(a, c.term(), c.level())).count()));
                    }
                }
            }
        }
        // fewer cases with the same wrong ones = a larger share wrong; then exact tags before wider forms
        candidates.sort(Comparator.comparingLong(Candidate::cases).thenComparingInt(Candidate::level)
                .thenComparing(Candidate::term));
        if (candidates.isEmpty() || candidates.get(0).cases() >= all.size()) {
            return "";
        }
        Candidate best = candidates.get(0);
        List<String> suffix = List.of("", " in either direction", ", any dimension");
        // of the best's form only: "port-named in either direction" adds nothing to "egress-port-named"
        return "every wrong case has: " + candidates.stream().filter(c -> c.level() == best.level()
                        && c.cases() < 2 * best.cases() && c.cases() < all.size()).limit(3)
                .map(c -> c.term() + suffix.get(c.level()) + ": " + wrong.size() + " of its " + c.cases() + " cases wrong")
                .collect(Collectors.joining("; ")) + "\n";
    }

    private static boolean has(CaseResult r, String term, int level) {
        return r.sweepCase().tags().stream().anyMatch(t -> switch (level) {
            case 0 -> t.equals(term);
            case 1 -> t.equals("ingress-" + term) || t.equals("egress-" + term);
            default -> t.startsWith(term + "-");
        });
    }

    private static String combinations(List<CaseResult> all, List<TagTally> singles) {
        List<String> whole = singles.stream().filter(t -> t.wrong() == t.cases()).map(TagTally::tag).toList();
        List<String> partial = singles.stream().filter(t -> t.wrong() < t.cases()).map(TagTally::tag).toList();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < partial.size(); i++) {
            for (int j = i + 1; j < partial.size(); j++) {
                String a = partial.get(i);
                String b = partial.get(j);
                List<CaseResult> both = all.stream().filter(r -> r.sweepCase().tags().contains(a) && r.sweepCase().tags().contains(b)).toList();
                long w = both.stream().filter(CaseResult::mismatched).count();
                if (both.size() >= 2 && w == both.size()) {
                    lines.add(String.format("  %-45s %3d of %3d cases wrong", a + " + " + b, w, both.size()));
                }
            }
        }
        if (lines.isEmpty() || !whole.isEmpty() && lines.size() > 8) {
            return "";
        }
        return "tag pairs whose every case went wrong:\n" + lines.stream().limit(8).collect(Collectors.joining("\n")) + "\n";
    }

    /** How long enforcement took to show, per step kind: median and max of the rounds' start until all matched. */
    String convergence() {
        Map<String, List<Long>> byStep = new LinkedHashMap<>();
        for (CaseResult r : results()) {
            for (CaseResult.Step s : r.steps()) {
                String kind = s.name().startsWith("baseline") ? "removal (baseline)" : s.name().startsWith("after") ? "action" : "policies";
                s.convergedAfter().ifPresent(d -> byStep.computeIfAbsent(kind, k -> new ArrayList<>()).add(d.toMillis()));
            }
        }
        return "converged after (ms, from the first probe round): " + byStep.entrySet().stream().map(e -> {
            List<Long> v = e.getValue().stream().sorted().toList();
            return e.getKey() + " median " + v.get(v.size() / 2) + " max " + v.get(v.size() - 1) + " (n=" + v.size() + ")";
        }).collect(Collectors.joining("; "));
    }

    private static String format(Duration d) {
        return String.format("%dm%02ds", d.toSeconds() / 60, d.toSeconds() % 60);
    }

    /** reports/sweep.json: settings, capabilities, per-tag tallies, per-case outcome with convergence and execs. */
    public Path writeJson(Path dir) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("seed", settings.seed());
        json.put("kinds", PolicyKind.describe(settings.kinds()));
        json.put("include", settings.include());
        json.put("exclude", settings.exclude());
        json.put("confirmMs", settings.confirm() == null ? null : settings.confirm().toMillis());
        json.put("capabilities", capabilities);
        List<CaseResult> all = results();
        json.put("cases", all.size());
        json.put("wrongCases", all.stream().filter(CaseResult::mismatched).count());
        json.put("brokenCases", all.stream().filter(CaseResult::broken).count());
        json.put("durationMs", elapsed().toMillis());
        json.put("execs", all.stream().mapToInt(CaseResult::execs).sum());
        json.put("byTag", byTag());
        json.put("results", all.stream().map(Sweep::caseJson).toList());
        Path file = dir.resolve("sweep.json");
        try {
            Files.createDirectories(dir);
            Files.writeString(file, Json.writeRedacted(json));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    private static Map<String, Object> caseJson(CaseResult r) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("case", r.sweepCase().number());
        c.put("tags", r.sweepCase().tags());
        c.put("status", r.mismatched() ? "WRONG" : r.broken() ? "BROKEN" : "PASSED");
        c.put("tookMs", r.took().toMillis());
        c.put("execs", r.execs());
        c.put("steps", r.steps().stream().map(s -> {
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("name", s.name());
            step.put("convergedAfterMs", s.convergedAfter().map(Duration::toMillis).orElse(null));
            step.put("rounds", s.verification().rounds());
            step.put("probedMs", s.verification().waited().toMillis());
            step.put("execs", s.verification().execs());
            step.put("mismatches", s.mismatches().stream().map(ProbedPair::name).toList());
            step.put("errors", s.errors().stream().map(ProbedPair::name).toList());
            return step;
        }).toList());
        return c;
    }
}
