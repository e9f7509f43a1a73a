package io.netconform.report;

import java.util.Arrays;
import java.util.List;

/**
 * What every check that did not pass says, in one shape: its {@link FailureKind} (the marker the Allure categories,
 * the summary and the console sort by), what was expected and seen, how to repeat it, and where its evidence went.
 * Two throwables carry it, because JUnit and Allure tell them apart by type:
 * <ul>
 *   <li>{@link CheckFailure} — the check observed the cluster and the cluster was wrong: an {@link AssertionError},
 *       so the test is FAILED;</li>
 *   <li>{@link BrokenCheck} — the check could not observe (exec failed, unreadable output, API error): not an
 *       AssertionError, so the test is BROKEN and its kind is always {@link FailureKind#INFRA}, never a verdict on
 *       the network.</li>
 * </ul>
 * Built where it is thrown: {@code CheckFailure.of(kind, "what: expected X, got Y").reproduce(cmd).output(out)}; the
 * caller that collects evidence (Scenario, Run) records where it went with {@link #evidenceIn}. The text is rendered
 * in one place, {@link FailureText#render()}.
 *
 * @param <T> the throwable itself, so the builder methods chain and the result can be thrown
 */
public sealed interface Failing<T extends Throwable & Failing<T>> permits CheckFailure, BrokenCheck {

    /** The parts of the message; the throwable's getMessage() renders them. */
    FailureText text();

    default FailureKind kind() {
        return text().kind();
    }

    /** The commands that repeat the observation (kubectl exec … as a person would type it), in order. */
    default List<String> reproduceLines() {
        return text().reproduce();
    }

    /** Adds commands that repeat what the check observed; null and blank ones are left out. */
    default T reproduce(String... commands) {
        return reproduce(Arrays.asList(commands));
    }

    default T reproduce(List<String> commands) {
        text().addReproduce(commands);
        return self();
    }

    /** What the tool printed, shown after the reproduce lines (stripped; nothing when blank). */
    default T output(String output) {
        text().output(output);
        return self();
    }

    /**
     * One of several wrong things, each with its own command ({@code reproduce} may be null): rendered as an indented
     * line under the message, its reproduce line under it.
     */
    default T item(String what, String reproduce) {
        text().addItem(what, reproduce);
        return self();
    }

    /** Where the evidence of this failure was written (a directory); rendered as the last line. */
    default T evidenceIn(String where) {
        text().evidence(where);
        return self();
    }

    /** The exception that led to this one (a parse error, an API exception). */
    default T causedBy(Throwable cause) {
        self().initCause(cause);
        return self();
    }

    @SuppressWarnings("unchecked")
    private T self() {
        return (T) this;
    }
}
