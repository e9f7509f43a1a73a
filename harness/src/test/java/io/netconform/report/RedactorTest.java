package io.netconform.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactorTest {

    @Test
    void kubeconfigKeepsItsShapeButLosesEveryCredential() {
        String kubeconfig = """
                clusters:
                - cluster:
                    certificate-authority-data: Q0FEQVRBU0VDUkVU
                    server: https://10.0.0.1:6443
                users:
                - name: admin
                  user:
                    client-certificate-data: Q0VSVFNFQ1JFVA==
                    client-key-data: S0VZU0VDUkVU
                    token: abc.def-SECRET1
                    password: "hunter2"
                """;
        String out = Redactor.redact(kubeconfig);
        assertThat(out).doesNotContain("Q0FEQVRBU0VDUkVU", "Q0VSVFNFQ1JFVA==", "S0VZU0VDUkVU", "SECRET1", "hunter2")
                .contains("server: https://10.0.0.1:6443", "- name: admin", "client-key-data: [REDACTED]",
                        "token: [REDACTED]");
    }

    @Test
    void headersBearerTokensJsonAndFlags() {
        assertThat(Redactor.redact("Authorization: Bearer s3cr3t\nHost: api")).isEqualTo("Authorization: [REDACTED]\nHost: api");
        assertThat(Redactor.redact("curl -H 'authorization: bearer s3cr3t' http://x")).doesNotContain("s3cr3t");
        assertThat(Redactor.redact("sent bearer s3cr3t.x_y to the API")).isEqualTo("sent bearer [REDACTED] to the API");
        assertThat(Redactor.redact("{\"token\": \"s3cr3t\", \"name\": \"a\"}"))
                .isEqualTo("{\"token\": \"[REDACTED]\", \"name\": \"a\"}");
        assertThat(Redactor.redact("plugin failed: unauthorized, token: s3cr3t; retrying"))
                .isEqualTo("plugin failed: unauthorized, token: [REDACTED]; retrying");
        assertThat(Redactor.redact("url?user=a&password=s3cr3t&x=1")).doesNotContain("s3cr3t");
        assertThat(Redactor.redact("kubectl --token=s3cr3t get pods")).isEqualTo("kubectl --token=[REDACTED] get pods");
        assertThat(Redactor.redact("sa eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln end")).isEqualTo("sa [REDACTED] end");
    }

    @Test
    void privateKeyBlocksAreRemovedWhole() {
        String pem = "before\n-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\nLINE2\n-----END RSA PRIVATE KEY-----\nafter";
        assertThat(Redactor.redact(pem)).isEqualTo(
                "before\n-----BEGIN RSA PRIVATE KEY-----[REDACTED]-----END RSA PRIVATE KEY-----\nafter");
        String certificate = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----";
        assertThat(Redactor.redact(certificate)).isEqualTo(certificate);
    }

    @Test
    void ordinaryProbeOutputIsUntouched() {
        String text = "PING 10.42.1.17 (10.42.1.17) 1422(1450) bytes of data.\nsecretName: tls\ntokens seen: 3";
        assertThat(Redactor.redact(text)).isEqualTo(text);
        assertThat(Redactor.redact(null)).isNull();
    }

    @Test
    void sensitiveKeys() {
        assertThat(Redactor.isSensitiveKey("user.token")).isTrue();
        assertThat(Redactor.isSensitiveKey("client-key-data")).isTrue();
        assertThat(Redactor.isSensitiveKey("Registry_Password")).isTrue();
        assertThat(Redactor.isSensitiveKey("cni.version")).isFalse();
        assertThat(Redactor.isSensitiveKey("image.netshoot")).isFalse();
    }
}
