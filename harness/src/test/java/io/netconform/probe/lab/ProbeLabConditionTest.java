package io.netconform.probe.lab;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Where the lab cannot run, its tests are skipped with a reason a person can act on, never failed. */
class ProbeLabConditionTest {

    @Test
    void nonRootIsDisabledNamingTheUid() {
        ConditionEvaluationResult result = ProbeLabCondition.evaluate("1000", List.of("/usr/bin", "/usr/sbin"));

        assertThat(result.isDisabled()).isTrue();
        assertThat(result.getReason()).hasValueSatisfying(reason -> assertThat(reason).contains("needs root", "uid is 1000"));
    }

    @Test
    void missingToolsAreNamedWithTheirDebianPackage(@TempDir Path bin) throws IOException {
        for (String tool : ProbeLabCondition.TOOLS.keySet()) {
            if (!tool.equals("dig") && !tool.equals("nginx")) {
                Files.createFile(bin.resolve(tool), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            }
        }

        ConditionEvaluationResult result = ProbeLabCondition.evaluate("0", List.of(bin.toString()));

        assertThat(result.isDisabled()).isTrue();
        assertThat(result.getReason()).hasValue(
                "the probe lab needs tools missing from the PATH: dig (apt-get install dnsutils), nginx (apt-get install nginx-light)");
    }

    @Test
    void rootWithEveryToolIsEnabled(@TempDir Path bin) throws IOException {
        for (String tool : ProbeLabCondition.TOOLS.keySet()) {
            Files.createFile(bin.resolve(tool), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        }

        assertThat(ProbeLabCondition.evaluate("0", List.of("", bin.toString())).isDisabled()).isFalse();
    }
}
