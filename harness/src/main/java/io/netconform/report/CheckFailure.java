package io.netconform.report;

/**
 * A check observed the cluster and the cluster was wrong: expected X, seen Y. An {@link AssertionError}, so JUnit,
 * Allure and the run summary call the test FAILED, sorted by its {@link #kind()}. Its sibling for a check that could
 * not observe at all is {@link BrokenCheck}; both say what they say through {@link FailureText} ({@link Failing}).
 * A kind of {@link FailureKind#INFRA} here means the harness <em>saw</em> the infrastructure misbehave (a CNI pod
 * restarted, an attachment without an address): a finding, not a failure to look.
 */
public final class CheckFailure extends AssertionError implements Failing<CheckFailure> {

    private final FailureText text;

    private CheckFailure(FailureText text) {
        this.text = text;
    }

    /** @param message what was expected, what was seen, the offending value — without the marker */
    public static CheckFailure of(FailureKind kind, String message) {
        return new CheckFailure(new FailureText(kind, message));
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
