package io.netconform.report;

import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The kinds of failure a conformance run distinguishes. A check fails with a {@link CheckFailure} (or
 * {@link BrokenCheck}) of one kind, whose message starts with the kind's {@link #marker()}; the Allure
 * categories, the run summary and the console table sort failures by that marker ({@link #classify}), so
 * "policy not enforced" and "image pull failed" never land in the same bucket. {@link #classify} also reads
 * messages no check wrote (API and exec exceptions) by their infrastructure symptoms.
 */
public enum FailureKind {
    POLICY_NOT_ENFORCED("[policy-not-enforced]", "Policy not enforced", ""),
    UNEXPECTED_DROP("[unexpected-drop]", "Unexpected drop", ""),
    UNEXPECTED_ALLOW("[unexpected-allow]", "Unexpected allow", ""),
    MTU("[mtu]", "MTU / PMTU black hole", ""),
    DNS("[dns]", "DNS failure", ""),
    /** Traffic got through, but a Service did not behave as specified: wrong backend, source IP, affinity, timing. */
    SERVICE("[service]", "Service behaviour", ""),
    /** Not a verdict on the cluster: a case's expectation and the policy oracle disagree, so one of them is wrong. */
    HARNESS("[harness]", "Harness: case or oracle wrong", ""),
    /** Not a network verdict: the harness could not get as far as probing. */
    INFRA("[infra]", "Infrastructure",
            "|ImagePullBackOff|ErrImagePull|admission webhook|violates PodSecurity|exec transport|TRANSPORT_ERROR"
                    + "|KubernetesClientException|Failure executing");

    private final String marker;
    private final String title;
    private final Pattern pattern;

    FailureKind(String marker, String title, String alsoMatches) {
        this.marker = marker;
        this.title = title;
        this.pattern = Pattern.compile("(?s).*(?:" + Pattern.quote(marker) + alsoMatches + ").*");
    }

    /** The tag a failure message carries, e.g. {@code [unexpected-drop]}. */
    public String marker() {
        return marker;
    }

    /** The Allure category name. */
    public String title() {
        return title;
    }

    /** The whole-message regex Allure's categories use (Java syntax, DOTALL); {@link #classify} uses the same. */
    public String messageRegex() {
        return pattern.pattern();
    }

    /** The first kind whose marker (or infrastructure symptom) appears in {@code message}. */
    public static Optional<FailureKind> classify(String message) {
        if (message == null) {
            return Optional.empty();
        }
        // markers win over symptoms: "[unexpected-drop] ... TRANSPORT_ERROR on retry" is still a drop
        for (FailureKind kind : values()) {
            if (message.contains(kind.marker)) {
                return Optional.of(kind);
            }
        }
        return Arrays.stream(values()).filter(k -> k.pattern.matcher(message).matches()).findFirst();
    }
}
