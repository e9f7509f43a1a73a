package io.netconform.cni;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The CNIs the harness knows, in one list; everything that depends on "which CNIs exist" reads it from here. */
public final class Cnis {
    public static final Cni UNKNOWN = new UnknownCni();

    /**
     * In detection order: the first CNI with a DaemonSet wins. Canal comes before Calico and Flannel because its
     * DaemonSet runs both their containers.
     */
    static final List<Cni> KNOWN = List.of(new Canal(), new Cilium(), new Calico(), new Flannel(), new K3sFlannel());

    private Cnis() {
    }

    /** Every name {@code --cni} accepts, "unknown" last. */
    public static List<String> names() {
        return Stream.concat(KNOWN.stream(), Stream.of(UNKNOWN)).map(Cni::name).toList();
    }

    /** The CNI called {@code name} (case and surrounding blanks ignored). */
    public static Optional<Cni> named(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        return Stream.concat(KNOWN.stream(), Stream.of(UNKNOWN)).filter(c -> c.name().equals(wanted)).findFirst();
    }

    /** Every read CNI detection makes on any cluster: {@code cluster.Permissions} checks and grants exactly these. */
    public static List<DetectionRead> detectionReads() {
        return detectionReads(KNOWN);
    }

    static List<DetectionRead> detectionReads(List<Cni> cnis) {
        Set<DetectionRead> reads = new LinkedHashSet<>(CniDetector.READS);
        cnis.forEach(c -> reads.addAll(c.reads()));
        reads.addAll(Multus.READS);
        return List.copyOf(reads);
    }

    /** Where detection lists DaemonSets: every known CNI's namespaces and Multus's. */
    static List<String> namespaces(List<Cni> cnis) {
        Set<String> namespaces = new LinkedHashSet<>();
        cnis.forEach(c -> namespaces.addAll(c.namespaces()));
        namespaces.addAll(Multus.NAMESPACES);
        return List.copyOf(namespaces);
    }

    /** Matches the names of the known CNIs' pods (and Multus's), for evidence collection. */
    public static Pattern podNames() {
        List<String> words = new ArrayList<>();
        KNOWN.forEach(c -> c.podNameWord().ifPresent(words::add));
        words.add("multus");
        return Pattern.compile(".*(" + words.stream().distinct().collect(Collectors.joining("|")) + ").*");
    }

    /** The names for {@code --cni}'s help ({@code ${COMPLETION-CANDIDATES}} in picocli). */
    public static final class KnownNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return KNOWN.stream().map(Cni::name).iterator();
        }
    }
}
