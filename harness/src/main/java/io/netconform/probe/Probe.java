package io.netconform.probe;

import io.netconform.exec.ExecResult;
import io.netconform.exec.Executor;
import io.netconform.exec.PodRef;
import io.netconform.policy.Port;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * One observation a pod can make about the network: the exact argv it runs in the pod, and how to
 * read what that command printed. Implementations are pure: the same exit code and output always
 * give the same {@link Reading}, so results can be re-read later (see {@link DnsResult#of}).
 *
 * <p>Factories below pick the tool that can actually tell the outcomes apart (e.g. UDP is an echo
 * request/response with socat, because {@code nc -zu} says "succeeded" for a filtered port).
 */
public interface Probe {

    /** Extra time an exec gets on top of the probe's own budget: API round trip and process start. */
    Duration EXEC_MARGIN = Duration.ofSeconds(5);

    /** The argv run in the source pod. */
    List<String> command();

    /** The longest the command may run inside the pod (its own timeout plus fixed costs like ping intervals). */
    Duration budget();

    /**
     * The same probe as a plain socket operation, when it is one (a TCP connect, a UDP echo): {@link BatchProber} then
     * runs it with the pod's other such probes in one process ({@link SocketBatch}). Empty for everything else.
     */
    default java.util.Optional<SocketCheck> socketCheck() {
        return java.util.Optional.empty();
    }

    /** Reads a completed command's exit code and combined output. Unknown output is an ERROR, never a guess. */
    Reading interpret(int exitCode, String output);

    /** Turns what an exec gave back into a result; an exec that did not complete is an ERROR, whatever it printed. */
    default ProbeResult read(ExecResult exec, String reproduce) {
        if (!exec.completed()) {
            return new ProbeResult(Verdict.ERROR, "exec " + exec.status() + ": " + exec.error(), exec.output(), -1,
                    exec.duration(), reproduce, Map.of());
        }
        Reading reading = interpret(exec.exitCode(), exec.output());
        return new ProbeResult(reading.verdict(), reading.detail(), exec.output(), exec.exitCode(), exec.duration(),
                reproduce, reading.metrics());
    }

    /**
     * Whether a UDP/SCTP echo probe found its protocol missing from the kernel or CNI ("Protocol not supported"):
     * the cluster cannot carry it at all, which is a missing capability, not a drop. Read from the raw output.
     */
    static boolean protocolUnsupported(ProbeResult result) {
        return result.verdict() == Verdict.ERROR && result.exitCode() >= 0
                && Text.lineMatching(SocatEchoProbe.UNSUPPORTED, result.output()).isPresent();
    }

    /** Runs this probe alone, in its own exec. Prefer {@link BatchProber} for more than one probe per pod. */
    default ProbeResult run(Executor executor, PodRef source) {
        ExecResult exec = executor.exec(source, command(), budget().plus(EXEC_MARGIN));
        return read(exec, source.kubectlExec(command()));
    }

    /**
     * Runs this probe about once a second until {@code wanted} holds or {@code deadline} passes, and returns the last
     * observation: clusters take a moment to program a new Service or policy, and only a lasting mismatch is a finding.
     * Each probe runs to its own end in the caller's thread, so a deadline never interrupts one in flight: a DNS server
     * that drops queries reads as the tool's own timeout, not as an interrupted exec.
     */
    default ProbeResult runUntil(Executor executor, PodRef source, Duration deadline, Predicate<ProbeResult> wanted) {
        AtomicReference<ProbeResult> last = new AtomicReference<>();
        try {
            Awaitility.await("probe " + command() + " from " + source)
                    .pollInSameThread()
                    .atMost(deadline.plus(budget()).plus(EXEC_MARGIN))
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        last.set(run(executor, source));
                        return wanted.test(last.get());
                    });
        } catch (ConditionTimeoutException e) {
            // the last observation is the finding; the caller names what was expected
        }
        if (last.get() == null || last.get().verdict() == Verdict.ERROR) {
            // no observation yet (a slow exec on a busy cluster can eat the whole deadline): one more try past it
            last.set(run(executor, source));
        }
        return last.get();
    }

    /** What a probe read from its output: a verdict, one line saying why, and the numbers it found. */
    record Reading(Verdict verdict, String detail, Map<String, Double> metrics) {

        public Reading {
            metrics = Map.copyOf(metrics);
        }

        static Reading of(Verdict verdict, String detail) {
            return new Reading(verdict, detail, Map.of());
        }

        static Reading error(String detail) {
            return of(Verdict.ERROR, detail);
        }

        static Reading unrecognised(String tool, int exitCode, String output) {
            return error("unrecognised " + tool + " output (exit " + exitCode + "): " + Text.firstLine(output));
        }

        Reading withMetrics(Map<String, Double> more) {
            return new Reading(verdict, detail, more);
        }
    }

    // ---- factories: one per tool, named after what they observe ----

    /** iputils ICMP echo: {@code ping -c N -W T -i 0.2 ip} ({@code -6} for IPv6). */
    static Probe ping(String ip, int count, Duration timeout) {
        return new PingProbe(ip, count, timeout);
    }

    /** Don't-fragment ping of {@code payload} bytes; read it with {@link DfResult#of}. Needs iputils (netshoot). */
    static Probe dfPing(String ip, int payload, Duration timeout) {
        return new DfPingProbe(ip, payload, timeout);
    }

    /** {@code tracepath -n ip} ({@code -6} for IPv6): the path MTU as metric {@code pmtu}. */
    static Probe tracepath(String ip) {
        return new TracepathProbe(ip);
    }

    /** TCP connect with OpenBSD netcat: {@code nc -z -v -w T ip port}. */
    static Probe tcpConnect(String ip, int port, Duration timeout) {
        return new NcProbe(ip, port, timeout);
    }

    /** HTTP GET with curl; the status code is metric {@code http_code}. */
    static Probe http(String ip, int port, Duration timeout) {
        return new CurlProbe(ip, port, timeout);
    }

    /** HTTP GET from a busybox pod, wrapped in {@code timeout} because Debian's busybox {@code wget -T} segfaults. */
    static Probe busyboxHttp(String ip, int port, Duration timeout) {
        return new WgetProbe(ip, port, timeout);
    }

    /** UDP request/response: sends a unique token to an echo server and expects it back. */
    static Probe udpEcho(String ip, int port, Duration timeout) {
        return SocatEchoProbe.udp(ip, port, timeout);
    }

    /** SCTP association plus echo of a unique token; "Protocol not supported" is an ERROR naming the kernel/CNI. */
    static Probe sctpEcho(String ip, int port, Duration timeout) {
        return SocatEchoProbe.sctp(ip, port, timeout);
    }

    /** The probe for one port of an netshoot server pod (cluster.TestPods): nc for TCP, socat echo for UDP and SCTP. */
    static Probe port(String ip, Port port, Duration timeout) {
        return switch (port.protocol()) {
            case TCP -> tcpConnect(ip, port.number(), timeout);
            case UDP -> udpEcho(ip, port.number(), timeout);
            case SCTP -> sctpEcho(ip, port.number(), timeout);
        };
    }

    /** {@code dig @server name +time=T +tries=1 [+tcp]}; read the answer with {@link DnsResult#of}. */
    static Probe dig(String server, String name, Duration timeout, boolean tcp) {
        return new DnsProbe(DnsProbe.Tool.DIG, server, name, timeout, tcp);
    }

    /** {@code dig +search name}: the pod's own resolv.conf, search path and ndots, as applications resolve. */
    static Probe digSearch(String name, Duration timeout) {
        return new DnsProbe(DnsProbe.Tool.DIG, null, name, timeout, false);
    }

    /** BIND {@code nslookup -timeout=T -retry=0 name server}. */
    static Probe nslookup(String server, String name, Duration timeout) {
        return new DnsProbe(DnsProbe.Tool.NSLOOKUP, server, name, timeout, false);
    }

    /** {@code timeout T busybox nslookup name server}: busybox's own timeout is a fixed 5 s. */
    static Probe busyboxNslookup(String server, String name, Duration timeout) {
        return new DnsProbe(DnsProbe.Tool.BUSYBOX_NSLOOKUP, server, name, timeout, false);
    }
}
