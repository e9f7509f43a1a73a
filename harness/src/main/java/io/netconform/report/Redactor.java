package io.netconform.report;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes credentials from text before it reaches a report file.
 *
 * <p>Reports end up as CI artifacts that many people can read, while the text they are built from
 * (kubeconfigs, pod specs, logs, exception messages from the API client) can carry bearer tokens
 * and client keys. Every string the report package writes goes through {@link #redact(String)}.
 */
public final class Redactor {

    public static final String MASK = "[REDACTED]";

    private static final String SECRET_KEY =
            "[\\w.-]*(?:token|password|passwd|secret|key-data|certificate-data|authority-data)";

    private static final List<Rule> RULES = List.of(
            // PEM private keys first: their base64 lines would otherwise survive line-oriented rules
            new Rule(Pattern.compile("-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----.*?-----END \\1PRIVATE KEY-----",
                    Pattern.DOTALL), "-----BEGIN $1PRIVATE KEY-----" + MASK + "-----END $1PRIVATE KEY-----"),
            new Rule(Pattern.compile("(?im)^(\\s*(?:[-*>]\\s+)?(?:proxy-)?authorization\\s*:\\s*)\\S.*$"), "$1" + MASK),
            new Rule(Pattern.compile("(?i)(\"(?:proxy-)?authorization\"\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)*\""),
                    "$1\"" + MASK + "\""),
            new Rule(Pattern.compile("(?i)\\b(bearer|basic)\\s+[A-Za-z0-9._~+/=-]+"), "$1 " + MASK),
            // YAML / properties style "token: value" (kubeconfig users, secrets, env dumps)
            new Rule(Pattern.compile("(?im)^(\\s*(?:-\\s+)?[\"']?" + SECRET_KEY + "[\"']?\\s*[:=]\\s*)\\S.*$"),
                    "$1" + MASK),
            // JSON style "token": "value"
            new Rule(Pattern.compile("(?i)(\"" + SECRET_KEY + "\"\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)*\""),
                    "$1\"" + MASK + "\""),
            // inline "token: abc" / "password=abc" inside a log line or an event message
            new Rule(Pattern.compile("(?i)(?<![\\w-])(" + SECRET_KEY + "[\"']?\\s*[:=]\\s*)(?![\"']?\\Q" + MASK
                    + "\\E)[\"']?[^\\s\"',;]+[\"']?"), "$1" + MASK),
            // command lines: --token=abc, --password abc
            new Rule(Pattern.compile("(?i)(--(?:token|password|client-key|client-key-data)[= ])\\S+"), "$1" + MASK),
            // a bare service-account JWT anywhere else (log lines, exception messages)
            new Rule(Pattern.compile("\\beyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]+"), MASK));

    private Redactor() {
    }

    /** {@code text} with every credential replaced by {@value #MASK}; {@code null} stays {@code null}. */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (Rule rule : RULES) {
            out = rule.apply(out);
        }
        return out;
    }

    /** True for names whose values must never be written, e.g. {@code token}, {@code client-key-data}. */
    public static boolean isSensitiveKey(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("token") || k.contains("secret") || k.contains("password") || k.contains("passwd")
                || k.contains("key-data") || k.contains("keydata") || k.contains("key_data")
                || k.contains("credential") || k.contains("authorization") || k.contains("kubeconfig")
                || k.contains("private");
    }

    private record Rule(Pattern pattern, String replacement) {
        String apply(String text) {
            Matcher m = pattern.matcher(text);
            return m.find() ? m.replaceAll(replacement) : text;
        }
    }
}
