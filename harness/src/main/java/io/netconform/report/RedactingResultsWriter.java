package io.netconform.report;

import io.qameta.allure.AllureResultsWriter;
import io.qameta.allure.model.FixtureResult;
import io.qameta.allure.model.StatusDetails;
import io.qameta.allure.model.StepResult;
import io.qameta.allure.model.TestResult;
import io.qameta.allure.model.TestResultContainer;
import io.qameta.allure.model.WithParameters;
import io.qameta.allure.model.WithStatusDetails;
import io.qameta.allure.model.WithSteps;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Redacts what Allure itself writes: failure messages and stack traces (an assertion message may quote a
 * kubeconfig or a curl line with a header), step names, parameters, and text attachments added by code
 * that does not go through {@link Report}.
 */
final class RedactingResultsWriter implements AllureResultsWriter {

    private static final Set<String> TEXT_EXTENSIONS =
            Set.of("txt", "log", "yaml", "yml", "json", "html", "htm", "xml", "csv", "md", "properties");

    private final AllureResultsWriter delegate;

    RedactingResultsWriter(AllureResultsWriter delegate) {
        this.delegate = delegate;
    }

    @Override
    public void write(TestResult result) {
        result.setName(Redactor.redact(result.getName()));
        result.setDescription(Redactor.redact(result.getDescription()));
        result.setDescriptionHtml(Redactor.redact(result.getDescriptionHtml()));
        scrub(result);
        delegate.write(result);
    }

    @Override
    public void write(TestResultContainer container) {
        for (FixtureResult fixture : container.getBefores()) {
            scrub(fixture);
        }
        for (FixtureResult fixture : container.getAfters()) {
            scrub(fixture);
        }
        delegate.write(container);
    }

    @Override
    public void write(String source, InputStream attachment) {
        int dot = source.lastIndexOf('.');
        String extension = dot < 0 ? "" : source.substring(dot + 1).toLowerCase(java.util.Locale.ROOT);
        if (!TEXT_EXTENSIONS.contains(extension)) {
            delegate.write(source, attachment);
            return;
        }
        try (attachment) {
            String text = new String(attachment.readAllBytes(), StandardCharsets.UTF_8);
            String clean = extension.equals("json") ? Json.redactJsonText(text) : Redactor.redact(text);
            delegate.write(source, new ByteArrayInputStream(clean.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read attachment " + source, e);
        }
    }

    private static void scrub(Object node) {
        if (node instanceof WithStatusDetails withDetails && withDetails.getStatusDetails() != null) {
            StatusDetails details = withDetails.getStatusDetails();
            details.setMessage(Redactor.redact(details.getMessage()));
            details.setTrace(Redactor.redact(details.getTrace()));
            details.setActual(Redactor.redact(details.getActual()));
            details.setExpected(Redactor.redact(details.getExpected()));
        }
        if (node instanceof WithParameters withParameters) {
            withParameters.getParameters().forEach(p -> p.setValue(Redactor.redact(p.getValue())));
        }
        if (node instanceof WithSteps withSteps) {
            for (StepResult step : withSteps.getSteps()) {
                step.setName(Redactor.redact(step.getName()));
                scrub(step);
            }
        }
    }
}
