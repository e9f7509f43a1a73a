package io.netconform.report;

/**
 * A check that could not observe what it checks: the exec failed after its retries, a tool printed nothing
 * readable, the API server did not answer. It is not an {@link AssertionError} on purpose: JUnit, Allure and the
 * run summary then call the check BROKEN (kind {@link FailureKind#INFRA}), never a DNS, MTU or drop failure that
 * would send the reader to debug the network instead of the harness or the API server.
 */
public final class BrokenCheck extends RuntimeException {

    /** @param message what could not be observed and why; the infrastructure marker is added when missing */
    public BrokenCheck(String message) {
        super(message.startsWith(FailureKind.INFRA.marker()) ? message : FailureKind.INFRA.tag(message));
    }
}
