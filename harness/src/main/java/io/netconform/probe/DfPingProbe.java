package io.netconform.probe;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * iputils {@code ping -M do -s SIZE -c 2 -i 0.2 -W T ip}: two packets so one lost reply is not called a black hole,
 * 0.2 s apart because ping's default 1 s interval made every DF ping, passing or refused, cost a whole second.
 */
record DfPingProbe(String ip, int payload, Duration timeout) implements Probe {

    DfPingProbe {
        if (payload < 0 || payload > 65507) {
            throw new IllegalArgumentException("DF ping payload must be 0..65507 bytes, was " + payload);
        }
    }

    @Override
    public List<String> command() {
        List<String> argv = new ArrayList<>(List.of("ping"));
        if (Text.isIpv6(ip)) {
            argv.add("-6");
        }
        argv.addAll(List.of("-M", "do", "-s", Integer.toString(payload), "-c", "2", "-i", "0.2", "-W",
                Long.toString(Text.seconds(timeout)), ip));
        return argv;
    }

    @Override
    public Duration budget() {
        return Duration.ofSeconds(Text.seconds(timeout) + 1);
    }

    @Override
    public Reading interpret(int exitCode, String output) {
        DfResult df = DfResult.parse(exitCode, output);
        Map<String, Double> metrics = new HashMap<>();
        PingStats.find(output).ifPresent(s -> metrics.putAll(s.metrics()));
        metrics.put("payload", (double) payload);
        df.mtu().ifPresent(mtu -> metrics.put("mtu", (double) mtu));
        return new Reading(df.outcome().verdict(), df.outcome() + ": " + df.detail(), metrics);
    }
}
