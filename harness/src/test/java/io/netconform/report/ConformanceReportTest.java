package io.netconform.report;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The upstream ConformanceReport shape (network-policy-api conformance/apis/v1alpha1) from a run's checks. */
class ConformanceReportTest {

    @TempDir
    Path dir;

    static Summary.Check check(String suiteClass, String method, Summary.Status status) {
        return new Summary.Check("[engine:junit-jupiter]/[class:io.netconform.scenarios." + suiteClass + "]/[method:" + method
                + "(io.netconform.junit.Scenario)]", "suite", method, status, null, null, 1, Map.of());
    }

    static Summary summary(List<Summary.Check> checks) {
        return new Summary(Summary.SCHEMA, "nc-abc123", Instant.parse("2026-12-02T06:00:00Z"),
                Instant.parse("2026-12-02T06:05:00Z"), 300_000, "1.0", null,
                Map.of("cni.name", "calico", "cni.version", "v3.31.0"), checks, List.of(), List.of(), List.of(), List.of(), null,
                List.of(), List.of());
    }

    @Test
    void profilesCountPassedFailedSkippedPerSupportLevel() throws IOException {
        Summary summary = summary(List.of(
                check("clusterpolicy.ClusterNetworkPolicyTest", "adminDenyBeatsNetworkPolicy", Summary.Status.PASSED),
                check("clusterpolicy.ClusterNetworkPolicyTest", "sctp", Summary.Status.SKIPPED),
                check("clusterpolicy.ClusterNetworkPolicyTest", "namedPort", Summary.Status.FAILED),
                check("clusterpolicy.AdminNetworkPolicyTest", "passToBaselineAndAllow", Summary.Status.PASSED),
                check("policy.PortsTest", "udpAndDefaultProtocol", Summary.Status.FAILED)));

        Path file = ConformanceReport.write(summary, dir).orElseThrow();

        assertThat(file.getFileName().toString()).isEqualTo("conformance-report.yaml");
        @SuppressWarnings("unchecked")
        Map<String, Object> report = new KubernetesSerialization().unmarshal(Files.readString(file), Map.class);
        assertThat(report).containsEntry("apiVersion", "policy.networking.k8s.io/v1alpha1")
                .containsEntry("kind", "ConformanceReport").containsEntry("date", "2026-12-02T06:05Z")
                .containsEntry("networkPolicyV2APIVersion", "v0.2.0,v0.1.7");
        assertThat(report.get("implementation").toString()).contains("project=calico", "version=v3.31.0");
        assertThat(report.get("profiles").toString()).isEqualTo("[{name=ClusterNetworkPolicy, standard={result=partial,"
                + " summary=1 passed, 0 failed, 1 skipped, statistics={Passed=1, Skipped=1, Failed=0},"
                + " skippedTests=[ClusterNetworkPolicyTest.sctp]}, experimental={result=failure, summary=0 passed, 1 failed,"
                + " 0 skipped, statistics={Passed=0, Skipped=0, Failed=1}, supportedFeatures=[ClusterNetworkPolicyNamedPorts],"
                + " failedTests=[ClusterNetworkPolicyTest.namedPort]}}, {name=AdminNetworkPolicy, standard={result=success,"
                + " summary=1 passed, 0 failed, 0 skipped, statistics={Passed=1, Skipped=0, Failed=0}}}]");
    }

    @Test
    void aProfileThatOnlySkippedIsLeftOut() {
        Map<String, Object> report = ConformanceReport.of(summary(List.of(
                check("clusterpolicy.ClusterNetworkPolicyTest", "namedPort", Summary.Status.PASSED),
                check("clusterpolicy.AdminNetworkPolicyTest", "passToBaselineAndAllow", Summary.Status.SKIPPED)))).orElseThrow();
        assertThat(report.get("networkPolicyV2APIVersion")).isEqualTo("v0.2.0");
        assertThat(report.get("profiles").toString()).doesNotContain("AdminNetworkPolicy");
    }

    @Test
    void noClusterPolicyChecksNoReport() {
        assertThat(ConformanceReport.write(summary(List.of(check("policy.PortsTest", "x", Summary.Status.PASSED))), dir))
                .isEmpty();
        assertThat(dir.resolve(ConformanceReport.FILE)).doesNotExist();
    }
}
