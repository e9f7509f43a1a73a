package io.netconform.bench;

import java.util.Locale;

/** The pass rule "pod network within tolerance of host network", as in knb and k8s-netperf. */
final class HostRatios {

    private HostRatios() {
    }

    static BenchResult.HostRatio of(BenchPath podPath, Figure pod, Figure host, double tolerance) {
        if (pod == null || host == null || !pod.ok() || !host.ok()) {
            String which = pod == null || !pod.ok() ? "pod-network" : "host-network";
            Figure failed = which.equals("pod-network") ? pod : host;
            return new BenchResult.HostRatio(podPath.placement(), podPath.ipFamily(), mean(pod), mean(host), null, tolerance,
                    "INCONCLUSIVE", which + " TCP throughput was not measured: " + (failed == null ? "no figure" : failed.error()));
        }
        double ratio = pod.stats().mean() / host.stats().mean();
        String verdict;
        String reason;
        if (pod.stats().wide() || host.stats().wide()) {
            verdict = "INCONCLUSIVE";
            reason = "a throughput figure is too spread to compare (CI half-width above "
                    + Math.round(pod.stats().wideThreshold() * 100) + " % of the mean)";
        } else if (ratio >= 1 - tolerance) {
            verdict = "PASS";
            reason = String.format(Locale.ROOT, "pod network reaches %.1f %% of host network (needs >= %.1f %%)",
                    ratio * 100, (1 - tolerance) * 100);
        } else {
            verdict = "FAIL";
            reason = String.format(Locale.ROOT, "pod network reaches only %.1f %% of host network (needs >= %.1f %%)",
                    ratio * 100, (1 - tolerance) * 100);
        }
        return new BenchResult.HostRatio(podPath.placement(), podPath.ipFamily(), pod.stats().mean(), host.stats().mean(),
                ratio, tolerance, verdict, reason);
    }

    private static Double mean(Figure f) {
        return f == null || !f.ok() ? null : f.stats().mean();
    }
}
