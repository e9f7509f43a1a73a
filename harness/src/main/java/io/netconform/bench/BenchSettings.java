package io.netconform.bench;

/**
 * How a benchmark measures; recorded in every result so two results can be checked for comparability.
 *
 * @param pingCount         ICMP echo requests per path (warm-up included)
 * @param pingInterval      seconds between echo requests (0.2 is the smallest iputils allows without root)
 * @param requests          HTTP requests per path for the request/response latency (warm-up included)
 * @param httpPort          the port the server pod's nginx listens on
 * @param iperfSeconds      length of one iperf3 run
 * @param parallelStreams   streams of the multi-stream TCP run ({@code -P})
 * @param udpRate           target rate of the UDP run ({@code -b}, iperf3 syntax: 100M, 1G)
 * @param repeats           iperf3 runs kept per figure (each iperf3 series runs repeats + warmup times)
 * @param warmup            samples (replies, requests or iperf3 runs) measured first and discarded
 * @param wideThreshold     CI half-width, as a fraction of the mean, above which a figure is flagged wide
 * @param hostTolerance     pod-network throughput may be this fraction below host-network throughput
 * @param execTimeoutSeconds headroom per exec on top of the measurement's own duration
 */
public record BenchSettings(int pingCount, double pingInterval, int requests, int httpPort,
                            int iperfSeconds, int parallelStreams, String udpRate,
                            int repeats, int warmup, double wideThreshold, double hostTolerance,
                            int execTimeoutSeconds) {

    public static BenchSettings defaults() {
        return new BenchSettings(21, 0.2, 21, 80, 5, 4, "100M", 5, 1, Stats.DEFAULT_WIDE_THRESHOLD, 0.10, 30);
    }

    public BenchSettings {
        if (repeats < 2) {
            throw new IllegalArgumentException("repeats must be at least 2 to give a confidence interval, got " + repeats);
        }
        if (warmup < 0 || warmup >= pingCount || warmup >= requests) {
            throw new IllegalArgumentException("warm-up (" + warmup + ") must be >= 0 and below pingCount ("
                    + pingCount + ") and requests (" + requests + ")");
        }
        if (hostTolerance < 0 || hostTolerance >= 1) {
            throw new IllegalArgumentException("host-network tolerance is a fraction in [0,1), got " + hostTolerance);
        }
    }

    public BenchSettings withRepeats(int repeats, int warmup) {
        return new BenchSettings(pingCount, pingInterval, requests, httpPort, iperfSeconds, parallelStreams, udpRate,
                repeats, warmup, wideThreshold, hostTolerance, execTimeoutSeconds);
    }

    public BenchSettings withIperf(int seconds, int parallelStreams, String udpRate) {
        return new BenchSettings(pingCount, pingInterval, requests, httpPort, seconds, parallelStreams, udpRate,
                repeats, warmup, wideThreshold, hostTolerance, execTimeoutSeconds);
    }

    public BenchSettings withLatencySamples(int pingCount, int requests) {
        return new BenchSettings(pingCount, pingInterval, requests, httpPort, iperfSeconds, parallelStreams, udpRate,
                repeats, warmup, wideThreshold, hostTolerance, execTimeoutSeconds);
    }

    public BenchSettings withThresholds(double wideThreshold, double hostTolerance) {
        return new BenchSettings(pingCount, pingInterval, requests, httpPort, iperfSeconds, parallelStreams, udpRate,
                repeats, warmup, wideThreshold, hostTolerance, execTimeoutSeconds);
    }
}
