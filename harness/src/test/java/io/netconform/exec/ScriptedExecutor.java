package io.netconform.exec;

import io.netconform.policy.Port;
import io.netconform.policy.Protocol;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fake {@link Executor} over a network the test declares pair by pair:
 * <pre>
 *   scripted.when(from("x/a").to("10.0.0.2", Port.tcp(80))).drops();
 *   scripted.when(from("x/a").to("10.0.0.2", Port.tcp(80))).after(Duration.ofSeconds(2)).accepts();
 * </pre>
 * It answers single probe commands and the prober's batch script alike, printing what the real tools
 * print (texts from the probe-output fixtures and real socat runs). A drop costs the probe's own timeout
 * in wall time, once per exec however many probes drop in it, because the batch runs them concurrently.
 *
 * <p>It deliberately knows nothing of the parsers under test: it only recognises argv and prints text.
 * Undeclared pairs follow {@link #byDefault()} (accept, unless changed). An unknown command is a test bug
 * and throws.
 */
public final class ScriptedExecutor implements Executor {

    public enum Behaviour { ACCEPT, REFUSE, DROP, ERROR }

    /** Where traffic goes: a source pod ("ns/pod") to an address and port; {@code protocol == null} is ICMP. */
    public record Pair(String source, String ip, Protocol protocol, int port) {
    }

    public record Source(String pod) {
        public Pair to(String ip, Port port) {
            return new Pair(pod, ip, port.protocol(), port.number());
        }

        /** ICMP echo. */
        public Pair to(String ip) {
            return new Pair(pod, ip, null, 0);
        }
    }

    /** One recorded exec. */
    public record Call(PodRef pod, List<String> command, Duration timeout) {
        /** Short: a batch shows its probes, not its script (hundreds of characters in every assertion message). */
        @Override
        public String toString() {
            return "Call[" + pod + ", " + (batch() ? "batch " + probes() : command) + ", timeout=" + timeout + "]";
        }

        /** A batch exec: the shell batch, or the socket batch alone. */
        public boolean batch() {
            return isBatch(command) || isSocketBatch(command);
        }

        /** The probe argvs this exec carried (one for a single command). */
        public List<List<String>> probes() {
            if (isSocketBatch(command)) {
                return socketProbes(command).stream().map(p -> p.argv).toList();
            }
            if (!isBatch(command)) {
                return List.of(command);
            }
            // a socket batch inside the shell batch counts as the probes it carries
            return batchProbes(command.get(2)).stream().flatMap(p -> isSocketBatch(p.argv)
                    ? socketProbes(p.argv).stream().map(q -> q.argv) : java.util.stream.Stream.of(p.argv)).toList();
        }
    }

    private record Phase(long afterNanos, int afterExecs, Behaviour behaviour) {
    }

    private static final Pattern RUN_LINE = Pattern.compile("^run (\\d+) (.*) & pids=\"\\$pids \\$!\"$", Pattern.MULTILINE);
    private static final Pattern SOCAT = Pattern.compile(
            "^echo (\\S+) \\| socat -t (\\d+) -T (\\d+) - (UDP|SCTP):(\\[[^\\]]+\\]|[^:]+):(\\d+)(,connect-timeout=\\d+)?$");
    private static final Pattern URL = Pattern.compile("^http://(\\[[^\\]]+\\]|[^:/]+)(?::(\\d+))?/");
    private static final DateTimeFormatter SOCAT_TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss");

    private final long start = System.nanoTime();
    private final Map<Pair, List<Phase>> rules = new ConcurrentHashMap<>();
    private final List<Phase> defaults = Collections.synchronizedList(new ArrayList<>(List.of(
            new Phase(0, 0, Behaviour.ACCEPT))));
    private final Map<String, AtomicInteger> execsPerPod = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> transportFailures = new ConcurrentHashMap<>();
    private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean sctpSupported = true;
    private volatile boolean perl = true;

    public static Source from(String pod) {
        return new Source(pod);
    }

    public Stage when(Pair pair) {
        return new Stage(rules.computeIfAbsent(pair, p -> Collections.synchronizedList(new ArrayList<>())), 0, 0);
    }

    /** What every undeclared pair does (initially: accept). */
    public Stage byDefault() {
        return new Stage(defaults, 0, 0);
    }

    /** The next {@code count} execs on {@code pod} fail in transport (websocket error), before running anything. */
    public ScriptedExecutor failNextExecs(String pod, int count) {
        transportFailures.computeIfAbsent(pod, p -> new AtomicInteger()).addAndGet(count);
        return this;
    }

    /** Every SCTP socket fails as on a kernel without the sctp module. */
    public ScriptedExecutor withoutSctp() {
        sctpSupported = false;
        return this;
    }

    /** The pods have no perl: the socket batch's wrapper exits 96 as {@code command -v perl} fails. */
    public ScriptedExecutor withoutPerl() {
        perl = false;
        return this;
    }

    public int execs() {
        return calls.size();
    }

    public int execs(String pod) {
        AtomicInteger n = execsPerPod.get(pod);
        return n == null ? 0 : n.get();
    }

    public List<Call> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    /** Fluent declaration of one pair's behaviour, optionally from a moment on. */
    public final class Stage {
        private final List<Phase> phases;
        private final long afterNanos;
        private final int afterExecs;

        private Stage(List<Phase> phases, long afterNanos, int afterExecs) {
            this.phases = phases;
            this.afterNanos = afterNanos;
            this.afterExecs = afterExecs;
        }

        /** From {@code delay} after this executor was created. */
        public Stage after(Duration delay) {
            return new Stage(phases, delay.toNanos(), afterExecs);
        }

        /** From the source pod's {@code execs + 1}-th exec on (i.e. after {@code execs} execs of that pod). */
        public Stage afterExecs(int execs) {
            return new Stage(phases, afterNanos, execs);
        }

        public ScriptedExecutor accepts() {
            return set(Behaviour.ACCEPT);
        }

        public ScriptedExecutor refuses() {
            return set(Behaviour.REFUSE);
        }

        public ScriptedExecutor drops() {
            return set(Behaviour.DROP);
        }

        /** The probe's tool crashes (exit 139, no output): nothing a parser may read as a verdict. */
        public ScriptedExecutor errors() {
            return set(Behaviour.ERROR);
        }

        private ScriptedExecutor set(Behaviour behaviour) {
            phases.add(new Phase(afterNanos, afterExecs, behaviour));
            return ScriptedExecutor.this;
        }
    }

    @Override
    public ExecResult exec(PodRef pod, List<String> command, Duration timeout) {
        long begin = System.nanoTime();
        String source = pod.namespace() + "/" + pod.pod();
        int podExecsBefore = execsPerPod.computeIfAbsent(source, p -> new AtomicInteger()).getAndIncrement();
        calls.add(new Call(pod, List.copyOf(command), timeout));
        AtomicInteger failures = transportFailures.get(source);
        if (failures != null && failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return ExecResult.failed(ExecResult.Status.TRANSPORT_ERROR,
                    "scripted: websocket closed before exit status (" + source + ")", "", "", Duration.ofMillis(3));
        }
        long now = begin - start;
        if (isSocketBatch(command)) {
            return socketBatch(source, command, timeout, now, podExecsBefore, begin);
        }
        boolean batch = isBatch(command);
        List<BatchProbe> probes = batch ? batchProbes(command.get(2)) : List.of(new BatchProbe(-1, command));
        List<Answer> answers = new ArrayList<>();
        long cost = 0;
        for (BatchProbe p : probes) {
            Answer a = answer(source, p.argv, now, podExecsBefore);
            answers.add(a);
            cost = Math.max(cost, a.costMillis);
        }
        if (cost > timeout.toMillis()) {
            sleep(timeout.toMillis());
            return ExecResult.failed(ExecResult.Status.TIMED_OUT, "scripted: exec exceeded " + timeout, "", "",
                    Duration.ofNanos(System.nanoTime() - begin));
        }
        sleep(cost);
        Duration took = Duration.ofNanos(System.nanoTime() - begin);
        if (!batch) {
            Answer a = answers.get(0);
            return ExecResult.completed(a.exit, a.stdout, a.stderr, took);
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < probes.size(); i++) {
            Answer a = answers.get(i);
            out.append(record(probes.get(i).id, a.exit, a.stdout, a.stderr));
        }
        return ExecResult.completed(0, out.toString(), "", took);
    }

    /**
     * The perl socket batch: argv after the script is LIMIT, then per probe INDEX tcp|udp IP PORT TIMEOUT TOKEN; it prints
     * one "@@NP INDEX ok|err|timeout ELAPSED [why]" line per probe, worded as perl's strerror (checked by hand against
     * the real script on loopback). A crashing probe prints nothing.
     */
    private ExecResult socketBatch(String source, List<String> command, Duration timeout, long now, int podExecsBefore,
                                   long begin) {
        Answer a = socketAnswer(source, command, now, podExecsBefore);
        if (a.costMillis > timeout.toMillis()) {
            sleep(timeout.toMillis());
            return ExecResult.failed(ExecResult.Status.TIMED_OUT, "scripted: exec exceeded " + timeout, "", "",
                    Duration.ofNanos(System.nanoTime() - begin));
        }
        sleep(a.costMillis);
        return ExecResult.completed(a.exit, a.stdout, a.stderr, Duration.ofNanos(System.nanoTime() - begin));
    }

    private Answer socketAnswer(String source, List<String> command, long now, int podExecsBefore) {
        if (!perl) {
            return new Answer(96, "", "", 2);
        }
        StringBuilder out = new StringBuilder();
        long cost = 1;
        for (BatchProbe p : socketProbes(command)) {
            List<String> a = p.argv;
            Protocol protocol = a.get(0).equals("tcp") ? Protocol.TCP : Protocol.UDP;
            long t = seconds(a.get(3));
            String line = switch (behaviour(new Pair(source, a.get(1), protocol, Integer.parseInt(a.get(2))), now,
                    podExecsBefore)) {
                case ACCEPT -> "ok 0.00 " + (protocol == Protocol.TCP ? "connected" : "token echoed back");
                case REFUSE -> "err 0.00 Connection refused";
                case DROP -> {
                    cost = Math.max(cost, t * 1000);
                    yield "timeout " + t + ".01 ";
                }
                case ERROR -> null;
            };
            if (line != null) {
                out.append("@@NP ").append(p.id).append(' ').append(line).append('\n');
            }
        }
        return new Answer(0, out.toString(), "", cost);
    }

    static boolean isSocketBatch(List<String> command) {
        return command.size() >= 4 && command.get(0).equals("sh") && command.get(1).equals("-c")
                && command.get(2).contains("exec perl -e") && command.get(3).contains("@@NP");
    }

    /** The probes of a socket batch, each as (protocol, ip, port, timeout, token). */
    static List<BatchProbe> socketProbes(List<String> command) {
        List<BatchProbe> probes = new ArrayList<>();
        for (int i = 5; i + 6 <= command.size(); i += 6) {
            probes.add(new BatchProbe(Integer.parseInt(command.get(i)), List.copyOf(command.subList(i + 1, i + 6))));
        }
        return probes;
    }

    // ---- the fake tools ----

    private record Answer(int exit, String stdout, String stderr, long costMillis) {
    }

    private record BatchProbe(int id, List<String> argv) {
    }

    private Answer answer(String source, List<String> argv, long now, int podExecsBefore) {
        String tool = argv.get(0);
        if (tool.equals("nc")) {
            String ip = argv.get(argv.size() - 2);
            int port = Integer.parseInt(argv.get(argv.size() - 1));
            long t = seconds(option(argv, "-w"));
            return switch (behaviour(new Pair(source, ip, Protocol.TCP, port), now, podExecsBefore)) {
                case ACCEPT -> new Answer(0, "", "Connection to " + ip + " " + port + " port [tcp/*] succeeded!\n", 2);
                case REFUSE -> new Answer(1, "", "nc: connect to " + ip + " port " + port + " (tcp) failed: Connection refused\n", 1);
                case DROP -> new Answer(1, "", "nc: connect to " + ip + " port " + port
                        + " (tcp) timed out: Operation now in progress\n", t * 1000);
                case ERROR -> crash();
            };
        }
        if (tool.equals("curl")) {
            Matcher url = url(argv.get(argv.size() - 1));
            String ip = unbracket(url.group(1));
            int port = url.group(2) == null ? 80 : Integer.parseInt(url.group(2));
            long t = seconds(option(argv, "-m"));
            return switch (behaviour(new Pair(source, ip, Protocol.TCP, port), now, podExecsBefore)) {
                case ACCEPT -> new Answer(0, "200", "", 3);
                case REFUSE -> new Answer(7, "000", "curl: (7) Failed to connect to " + ip + " port " + port
                        + " after 0 ms: Couldn't connect to server\n", 1);
                case DROP -> new Answer(28, "000", "curl: (28) Connection timed out after " + (t * 1000 + 1)
                        + " milliseconds\n", t * 1000);
                case ERROR -> crash();
            };
        }
        if (tool.equals("timeout") && argv.size() > 3 && argv.get(2).equals("busybox") && argv.get(3).equals("wget")) {
            Matcher url = url(argv.get(argv.size() - 1));
            String ip = unbracket(url.group(1));
            int port = url.group(2) == null ? 80 : Integer.parseInt(url.group(2));
            String shown = port == 80 ? ip : ip + ":" + port;
            long t = seconds(argv.get(1));
            return switch (behaviour(new Pair(source, ip, Protocol.TCP, port), now, podExecsBefore)) {
                case ACCEPT -> new Answer(0, "ok\n", "Connecting to " + shown + " (" + ip + ":" + port + ")\n"
                        + "writing to stdout\n-                    100% |********************************|     3  0:00:00 ETA\n"
                        + "written to stdout\n", 2);
                case REFUSE -> new Answer(1, "", "Connecting to " + shown + " (" + ip + ":" + port + ")\n"
                        + "wget: can't connect to remote host (" + ip + "): Connection refused\n", 1);
                case DROP -> new Answer(124, "", "Connecting to " + shown + " (" + ip + ":" + port + ")\n", t * 1000);
                case ERROR -> crash();
            };
        }
        if (tool.equals("ping")) {
            if (argv.contains("-M")) {
                throw new IllegalArgumentException("ScriptedExecutor does not script DF pings: " + argv);
            }
            String ip = argv.get(argv.size() - 1);
            int count = Integer.parseInt(option(argv, "-c"));
            long t = seconds(option(argv, "-W"));
            String head = "PING " + ip + " (" + ip + ") 56(84) bytes of data.\n";
            String stats = "\n--- " + ip + " ping statistics ---\n" + count + " packets transmitted, ";
            return switch (behaviour(new Pair(source, ip, null, 0), now, podExecsBefore)) {
                case ACCEPT -> {
                    StringBuilder s = new StringBuilder(head);
                    for (int i = 1; i <= count; i++) {
                        s.append("64 bytes from ").append(ip).append(": icmp_seq=").append(i).append(" ttl=62 time=0.153 ms\n");
                    }
                    s.append(stats).append(count).append(" received, 0% packet loss, time ").append(200 * count)
                            .append("ms\nrtt min/avg/max/mdev = 0.131/0.153/0.304/0.076 ms\n");
                    yield new Answer(0, s.toString(), "", 200L * count);
                }
                case REFUSE -> new Answer(1, head + "From " + ip + " icmp_seq=1 Destination Host Unreachable\n"
                        + stats + "0 received, +" + count + " errors, 100% packet loss, time 0ms\n\n", "", 200L * count);
                case DROP -> new Answer(1, head + stats + "0 received, 100% packet loss, time " + (t * 1000) + "ms\n\n",
                        "", t * 1000);
                case ERROR -> crash();
            };
        }
        if (isSocketBatch(argv)) {
            return socketAnswer(source, argv, now, podExecsBefore);
        }
        if (tool.equals("sh") && argv.size() == 3 && argv.get(1).equals("-c")) {
            Matcher m = SOCAT.matcher(argv.get(2));
            if (m.matches()) {
                return socat(source, m, now, podExecsBefore);
            }
        }
        throw new IllegalArgumentException("ScriptedExecutor does not know this command: " + argv);
    }

    private Answer socat(String source, Matcher m, long now, int podExecsBefore) {
        String token = m.group(1);
        long t = seconds(m.group(3));
        Protocol protocol = Protocol.valueOf(m.group(4));
        String ip = unbracket(m.group(5));
        int port = Integer.parseInt(m.group(6));
        String prefix = LocalDateTime.now().format(SOCAT_TIME) + " socat[" + (17000 + port) + "] E ";
        String af = ip.contains(":") ? "AF=10 [" + ip + "]:" + port : "AF=2 " + ip + ":" + port;
        if (protocol == Protocol.SCTP && !sctpSupported) {
            return new Answer(1, "", prefix + "socket(2, 1, 132): Protocol not supported\n", 2);
        }
        return switch (behaviour(new Pair(source, ip, protocol, port), now, podExecsBefore)) {
            case ACCEPT -> new Answer(0, token + "\n", "", 2);
            case REFUSE -> protocol == Protocol.UDP
                    ? new Answer(1, "", prefix + "read(5, 0x55c56fe79000, 8192): Connection refused\n", 1)
                    : new Answer(1, "", prefix + "connect(5, " + af + ", 16): Connection refused\n", 1);
            case DROP -> protocol == Protocol.UDP
                    ? new Answer(0, "", "", t * 1000)
                    : new Answer(1, "", prefix + "connecting to " + af + ": Connection timed out\n", t * 1000);
            case ERROR -> crash();
        };
    }

    private static Answer crash() {
        return new Answer(139, "", "", 1);
    }

    private Behaviour behaviour(Pair pair, long now, int podExecsBefore) {
        List<Phase> phases = rules.getOrDefault(pair, defaults);
        synchronized (phases) {
            Behaviour current = null;
            for (Phase p : phases) {
                if (now >= p.afterNanos && podExecsBefore >= p.afterExecs) {
                    current = p.behaviour;
                }
            }
            if (current == null) {
                throw new IllegalStateException("no behaviour of " + pair + " holds yet; declare one without after()");
            }
            return current;
        }
    }

    // ---- reading argv and the batch script: a shell-word reader, independent of the code under test ----

    static boolean isBatch(List<String> command) {
        return command.size() == 3 && command.get(0).equals("sh") && command.get(1).equals("-c")
                && command.get(2).contains("@@NC");
    }

    static List<BatchProbe> batchProbes(String script) {
        List<BatchProbe> probes = new ArrayList<>();
        Matcher m = RUN_LINE.matcher(script);
        while (m.find()) {
            probes.add(new BatchProbe(Integer.parseInt(m.group(1)), shellWords(m.group(2))));
        }
        return probes;
    }

    static List<String> shellWords(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                word = word == null ? new StringBuilder() : word;
                word.append(line, i + 1, end);
                i = end;
            } else if (c == '"') {
                word = word == null ? new StringBuilder() : word;
                for (i++; line.charAt(i) != '"'; i++) {
                    if (line.charAt(i) == '\\' && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0) {
                        i++;
                    }
                    word.append(line.charAt(i));
                }
            } else if (c == '\\') {
                word = word == null ? new StringBuilder() : word;
                word.append(line.charAt(++i));
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }

    private static String option(List<String> argv, String flag) {
        int i = argv.indexOf(flag);
        if (i < 0 || i + 1 >= argv.size()) {
            throw new IllegalArgumentException("ScriptedExecutor expected " + flag + " in " + argv);
        }
        return argv.get(i + 1);
    }

    private static long seconds(String value) {
        return (long) Math.ceil(Double.parseDouble(value));
    }

    private static Matcher url(String url) {
        Matcher m = URL.matcher(url);
        if (!m.find()) {
            throw new IllegalArgumentException("ScriptedExecutor cannot read URL " + url);
        }
        return m;
    }

    private static String unbracket(String host) {
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    /** One probe's record as the batch script prints it (probe.BatchScript): rc, its lines, end. */
    public static String record(int id, int exit, String stdout, String stderr) {
        StringBuilder r = new StringBuilder("@@NC " + id + " rc " + exit + "\n");
        lines(r, id, "out", stdout);
        lines(r, id, "err", stderr);
        return r.append("@@NC ").append(id).append(" end\n").toString();
    }

    private static void lines(StringBuilder r, int id, String tag, String text) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            boolean last = i == lines.length - 1;
            if (!last || !lines[i].isEmpty()) {
                r.append("@@NC ").append(id).append(' ').append(tag).append(last ? "- " : " ").append(lines[i]).append('\n');
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted in a scripted exec", e);
        }
    }
}
