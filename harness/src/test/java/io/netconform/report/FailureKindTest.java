package io.netconform.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class FailureKindTest {

    @TempDir
    static Path results;

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "[unexpected-drop] web -> api expected ALLOWED, got BLOCKED (timeout after 1.0s)                       | Unexpected drop",
        "[unexpected-allow] outside/client -> backend/db expected BLOCKED, got ALLOWED                        | Unexpected allow",
        "[policy-not-enforced] default-deny applied but 12 of 12 pairs still allowed                           | Policy not enforced",
        "[mtu] 1422-byte DF ping a -> b lost; pmtu 1400 (expected 1450)                                     | MTU / PMTU black hole",
        "[dns] kubernetes.default A over UDP: timeout (expected 10.43.0.1)                                  | DNS failure",
        "[infra] namespace nc-1 stuck terminating                                                           | Infrastructure",
        "pod nc-1/client: Back-off pulling image: ErrImagePull                                              | Infrastructure",
        "admission webhook \"validate.kyverno.svc\" denied the request                                         | Infrastructure",
        "Failure executing: POST at: https://10.0.0.1:6443/api/v1/namespaces. Message: Forbidden.            | Infrastructure",
        "[harness] T.c: the case's expectation and the policy oracle disagree on TCP/80                   | Harness: case or oracle wrong",
        "expected 3 but was 4                                                                               | -",
    })
    void allureCategoriesAndClassifyAgree(String message, String expectedCategory) throws Exception {
        AllureResults.writeCategories(results);
        JsonNode categories = Json.MAPPER.readTree(results.resolve("categories.json").toFile());
        // Allure 2 matches the whole message with Pattern.DOTALL, like here
        List<String> matching = new ArrayList<>();
        for (JsonNode c : categories) {
            assertThat(c.get("matchedStatuses")).extracting(JsonNode::asText).containsExactly("failed", "broken");
            if (Pattern.compile(c.get("messageRegex").asText(), Pattern.DOTALL).matcher("multi\nline " + message + "\n")
                    .matches()) {
                matching.add(c.get("name").asText());
            }
        }
        Optional<FailureKind> kind = FailureKind.classify(message);
        if (expectedCategory.equals("-")) {
            assertThat(matching).isEmpty();
            assertThat(kind).isEmpty();
        } else {
            assertThat(matching).containsExactly(expectedCategory);
            assertThat(kind).map(FailureKind::title).contains(expectedCategory);
        }
    }

    /** Every kind a check can fail with reads back as that kind, reproduce lines and evidence included. */
    @ParameterizedTest
    @EnumSource(FailureKind.class)
    void aCheckFailureOfEachKindClassifiesAsThatKind(FailureKind kind) {
        CheckFailure failure = CheckFailure.of(kind, "x: expected A, got B").reproduce("kubectl exec -n ns a -- true")
                .output("ErrImagePull in the tool's output").evidenceIn("reports/evidence/x");
        assertThat(failure.getMessage()).startsWith(kind.marker() + " x: expected A, got B");
        assertThat(FailureKind.classify(failure.getMessage())).as("the marker wins over symptoms in the output")
                .contains(kind);
    }

    @ParameterizedTest
    @CsvSource({"UNEXPECTED_DROP,[unexpected-drop]", "MTU,[mtu]", "INFRA,[infra]", "HARNESS,[harness]"})
    void markers(FailureKind kind, String marker) {
        assertThat(kind.marker()).isEqualTo(marker);
    }
}
