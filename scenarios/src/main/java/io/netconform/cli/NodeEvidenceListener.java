package io.netconform.cli;

import io.netconform.cluster.PodStartException;
import io.netconform.junit.Run;
import io.netconform.node.NodeChange;
import io.netconform.node.NodeEvidence;
import io.netconform.report.Redactor;
import io.netconform.report.Summary;
import io.qameta.allure.Allure;
import io.qameta.allure.AllureLifecycle;
import io.qameta.allure.model.Label;
import io.qameta.allure.model.Status;
import io.qameta.allure.model.StatusDetails;
import io.qameta.allure.model.TestResult;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * {@code --node-evidence}: snapshots every sampled node before and after each suite (see {@link NodeEvidence}) and, at
 * the end, puts what changed into summary.json, reports/node-evidence.md, the console and the Allure report.
 */
final class NodeEvidenceListener implements TestExecutionListener {

    private final NodeEvidence evidence;

    private NodeEvidenceListener(NodeEvidence evidence) {
        this.evidence = evidence;
    }

    /** Deploys the node pods; where that is refused or fails, says so and the run goes on without evidence. */
    static Optional<NodeEvidenceListener> start(Run run, PrintWriter out) {
        try {
            NodeEvidence evidence = NodeEvidence.deploy(run);
            out.println("node evidence: collecting on " + String.join(", ", run.placement().nodes()));
            evidence.notes().forEach(n -> out.println("node evidence: not read: " + n));
            return Optional.of(new NodeEvidenceListener(evidence));
        } catch (PodStartException e) {
            out.println("node evidence: not collected: " + (e.kind() == PodStartException.Kind.ADMISSION
                    ? "admission refused the privileged hostNetwork pod it needs: " : "its pods did not start: ")
                    + e.getMessage());
        } catch (RuntimeException e) {
            out.println("node evidence: not collected: " + e.getMessage());
        }
        out.flush();
        return Optional.empty();
    }

    @Override
    public void executionStarted(TestIdentifier id) {
        if (suite(id)) {
            evidence.begin(id.getDisplayName());
        }
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (suite(id)) {
            evidence.end();
        }
    }

    private static boolean suite(TestIdentifier id) {
        return id.getSource().filter(ClassSource.class::isInstance).isPresent();
    }

    /** Writes the evidence everywhere a person looks; called after the suites, before summary.json is written. */
    void finish(Run run, Path reportsDir, PrintWriter out) {
        List<NodeChange> changes = evidence.changes();
        run.summary().nodeEvidence(changes.stream().map(c -> new Summary.NodeChange(c.node(), c.phase(), c.key(),
                c.before(), c.after(), c.delta(), c.flagged(), c.meaning())).toList());
        String report = Redactor.redact(evidence.report());
        Path file = reportsDir.resolve("node-evidence.md");
        try {
            Files.writeString(file, report, StandardCharsets.UTF_8);
        } catch (IOException e) {
            out.println("node evidence: cannot write " + file + ": " + e.getMessage());
        }
        List<String> flagged = changes.stream().filter(NodeChange::flagged).map(NodeChange::describe).toList();
        out.println("node evidence: " + (flagged.isEmpty() ? "nothing flagged" : flagged.size() + " flagged:")
                + " (" + file + ")");
        flagged.forEach(f -> out.println("  ⚑ " + f));
        toAllure(report, flagged);
    }

    /** One result of its own in the Allure report, with the diff attached; flagged changes in its status message. */
    private static void toAllure(String report, List<String> flagged) {
        AllureLifecycle allure = Allure.getLifecycle();
        String uuid = UUID.randomUUID().toString();
        allure.scheduleTestCase(new TestResult().setUuid(uuid).setHistoryId("netconform-node-evidence")
                .setName("node evidence: " + (flagged.isEmpty() ? "nothing flagged" : flagged.size() + " flagged"))
                .setFullName("node evidence").setStatus(Status.PASSED)
                .setStatusDetails(new StatusDetails().setMessage(flagged.isEmpty() ? "nothing flagged"
                        : flagged.stream().collect(Collectors.joining("\n"))))
                .setLabels(List.of(new Label().setName("suite").setValue("node evidence"))));
        allure.startTestCase(uuid);
        allure.addAttachment("node evidence (before/after diff)", "text/markdown", ".md",
                report.getBytes(StandardCharsets.UTF_8));
        allure.stopTestCase(uuid);
        allure.writeTestCase(uuid);
    }
}
