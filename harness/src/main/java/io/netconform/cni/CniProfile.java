package io.netconform.cni;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What the harness knows about the cluster's pod network, and therefore what it expects: which CNI, whether
 * it enforces NetworkPolicy, its encapsulation and pod MTU, IP families, how Services are implemented, and
 * the health of the CNI's own pods. Detected by {@link CniDetector#detect}, corrected by the user with
 * {@link #withOverrides}, printed at the start of every run by {@link #describe}.
 *
 * @param cni           the CNI recognised, or {@link Cnis#UNKNOWN}
 * @param version       the main container's image tag (e.g. "v3.29.1"), or {@code null} when not visible
 * @param detail        how the pieces fit, e.g. "flannel VXLAN, calico policy"
 * @param source        what the detection rests on, e.g. "DaemonSet kube-system/rke2-canal"
 * @param ipFamilies    "IPv4" and/or "IPv6"
 * @param warnings      what could not be seen or is only assumed; printed with the profile
 */
public record CniProfile(
        Cni cni,
        String version,
        String detail,
        String source,
        Multus multus,
        NetworkPolicySupport networkPolicy,
        Encapsulation encapsulation,
        ExpectedMtu mtu,
        Set<String> ipFamilies,
        KubeProxy kubeProxy,
        CniHealth health,
        List<String> warnings) {

    static final String UNKNOWN_CNI_WARNING =
            "unknown CNI: generic expectations (MTU not checked strictly, NetworkPolicy enforcement unknown)";

    public CniProfile {
        Objects.requireNonNull(cni, "cni");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(multus, "multus");
        Objects.requireNonNull(networkPolicy, "networkPolicy");
        Objects.requireNonNull(encapsulation, "encapsulation");
        Objects.requireNonNull(mtu, "mtu");
        Objects.requireNonNull(kubeProxy, "kubeProxy");
        Objects.requireNonNull(health, "health");
        ipFamilies = Collections.unmodifiableSet(new TreeSet<>(ipFamilies));
        warnings = List.copyOf(warnings);
    }

    /** The CNI's name, e.g. "calico"; "unknown" when detection recognised none. */
    public String name() {
        return cni.name();
    }

    public boolean known() {
        return cni != Cnis.UNKNOWN;
    }

    /** The expected pod MTU, empty when nothing supports an expectation. */
    public OptionalInt expectedMtu() {
        return mtu.asOptional();
    }

    /** True when a different pod MTU is a failure; false when the MTU suite should only report what it found. */
    public boolean mtuStrict() {
        return mtu.strict();
    }

    public boolean dualStack() {
        return ipFamilies.containsAll(Set.of("IPv4", "IPv6"));
    }

    /**
     * The user's corrections, from {@code --cni} and {@code --expect-mtu}; either may be {@code null}.
     * A different CNI name replaces the detected CNI's expectations with that CNI's defaults (version and
     * configured MTU no longer apply); an MTU wins over any detected or tabled value and is strict.
     *
     * @throws IllegalArgumentException for a CNI name not in {@link Cnis#names} or an MTU outside 576..65535
     */
    public CniProfile withOverrides(String cniName, Integer expectMtu) {
        Cni wanted = cniName == null ? null : Cnis.named(cniName).orElseThrow(() -> new IllegalArgumentException(
                "--cni '" + cniName + "' is not a CNI the harness knows; valid names: " + String.join(", ", Cnis.names())));
        if (expectMtu != null && (expectMtu < ExpectedMtu.MIN || expectMtu > ExpectedMtu.MAX)) {
            throw new IllegalArgumentException("--expect-mtu " + expectMtu + " is out of range: an MTU must be within "
                    + ExpectedMtu.MIN + ".." + ExpectedMtu.MAX);
        }
        CniProfile result = this;
        if (wanted != null && wanted != cni) {
            List<String> notes = new ArrayList<>(warnings);
            notes.remove(UNKNOWN_CNI_WARNING);
            notes.add("CNI set by --cni " + wanted + "; detection said " + name() + " (" + source + ")");
            Encapsulation encapsulation = wanted.defaultEncapsulation();
            ExpectedMtu tabled = wanted.expectedMtu(encapsulation, false);
            if (!tabled.strict() && expectMtu == null && wanted != Cnis.UNKNOWN) {
                notes.add("--cni " + wanted + ": encapsulation not visible, MTU not checked strictly; give --expect-mtu");
            }
            if (wanted == Cnis.UNKNOWN) {
                notes.add(UNKNOWN_CNI_WARNING);
            }
            result = new CniProfile(wanted, null, wanted.defaultDetail(), "--cni " + wanted, multus,
                    wanted.defaultPolicy(), encapsulation, tabled, ipFamilies, kubeProxy, health, notes);
        }
        if (expectMtu != null) {
            result = result.withMtu(new ExpectedMtu(expectMtu, "--expect-mtu", true));
        }
        return result;
    }

    /** Adds the families of IPs seen on pods ({@code status.podIPs}), which nodes' podCIDRs may not show. */
    public CniProfile withObservedPodIps(Collection<String> podIps) {
        Set<String> families = new TreeSet<>(ipFamilies);
        podIps.forEach(ip -> families.add(ipFamily(ip)));
        return new CniProfile(cni, version, detail, source, multus, networkPolicy, encapsulation, mtu, families,
                kubeProxy, health, warnings);
    }

    /** The same profile with a fresh health snapshot (see {@link CniDetector#health}). */
    public CniProfile withHealth(CniHealth now) {
        return new CniProfile(cni, version, detail, source, multus, networkPolicy, encapsulation, mtu, ipFamilies,
                kubeProxy, now, warnings);
    }

    CniProfile withMtu(ExpectedMtu expected) {
        return new CniProfile(cni, version, detail, source, multus, networkPolicy, encapsulation, expected,
                ipFamilies, kubeProxy, health, warnings);
    }

    /** A few lines for the start of a run's log. */
    public String describe() {
        StringBuilder out = new StringBuilder();
        out.append("CNI: ").append(name()).append(version == null ? "" : " " + version)
                .append(detail.isEmpty() ? "" : " (" + detail + ")").append(" · from ").append(source).append('\n');
        out.append("NetworkPolicy: ").append(networkPolicy).append('\n');
        out.append("MTU: ").append(mtu).append('\n');
        out.append("IP families: ").append(ipFamilies.isEmpty() ? "unknown" : String.join(", ", ipFamilies))
                .append(" · ").append(kubeProxy).append('\n');
        if (multus.present()) {
            out.append("Multus: ").append(multus).append('\n');
        }
        out.append("health: ").append(health.message());
        warnings.forEach(w -> out.append('\n').append("warning: ").append(w));
        return out.toString();
    }

    /** Flat key/values for the report's environment.properties. */
    public Map<String, String> asMap() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("cni.name", name());
        map.put("cni.version", version == null ? "unknown" : version);
        map.put("cni.detail", detail);
        map.put("cni.source", source);
        map.put("cni.networkPolicy", networkPolicy.enforcement().name());
        map.put("cni.networkPolicy.reason", networkPolicy.reason());
        map.put("cni.encapsulation", encapsulation.name());
        map.put("cni.mtu.expected", mtu.value() == null ? "unknown" : mtu.value().toString());
        map.put("cni.mtu.source", mtu.source());
        map.put("cni.mtu.strict", Boolean.toString(mtu.strict()));
        map.put("cni.ipFamilies", ipFamilies.isEmpty() ? "unknown" : String.join(",", ipFamilies));
        map.put("cni.multus", multus.present() ? (multus.version() == null ? "present" : multus.version()) : "absent");
        map.put("kubeProxy.mode", kubeProxy.mode().name());
        map.put("kubeProxy.detail", kubeProxy.detail());
        map.put("cni.health", health.message());
        map.put("cni.warnings", warnings.isEmpty() ? "none" : warnings.stream().collect(Collectors.joining(" | ")));
        return Collections.unmodifiableMap(map);
    }

    @Override
    public String toString() {
        return name() + (version == null ? "" : " " + version);
    }

    static String ipFamily(String ipOrCidr) {
        return ipOrCidr.contains(":") ? "IPv6" : "IPv4";
    }
}
