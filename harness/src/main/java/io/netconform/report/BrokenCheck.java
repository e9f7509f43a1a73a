package io.netconform.report;

/**
 * A check that could not observe what it checks: the exec failed after its retries, a tool printed nothing
 * readable, the API server did not answer. The sibling of {@link CheckFailure}, not a kind of it, on purpose: it is not
 * an {@link AssertionError}, so JUnit, Allure and the run summary call the check BROKEN, and its kind is always
 * {@link FailureKind#INFRA} — never a DNS, MTU or drop failure that would send the reader to debug the network instead
 * of the harness or the API server. It says what it says in the same shape ({@link Failing}, {@link FailureText}).
 */
public final class BrokenCheck extends RuntimeException implements Failing<BrokenCheck> {

    private final FailureText text;

    /** @param message what could not be observed and why; the infrastructure marker is added when missing */
    public BrokenCheck(String message) {
        this.text = new FailureText(FailureKind.INFRA, message);
    }

    /** As the constructor, to chain {@link #reproduce}, {@link #output} and the rest. */
    public static BrokenCheck of(String message) {
        return new BrokenCheck(message);
    }

    @Override
    public FailureText text() {
        return text;
    }

    @Override
    public String getMessage() {
        return text.render();
    }
}
