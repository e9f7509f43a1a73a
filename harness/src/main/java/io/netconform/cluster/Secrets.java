package io.netconform.cluster;

import io.fabric8.kubernetes.api.model.AuthInfo;
import io.fabric8.kubernetes.api.model.NamedAuthInfo;
import io.fabric8.kubernetes.client.Config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/** Keeps credentials out of messages built from third-party exceptions. */
final class Secrets {

    private static final String MASK = "<redacted>";

    private Secrets() {
    }

    static String redact(String message, Config config) {
        return redact(message, Stream.of(config.getOauthToken(), config.getAutoOAuthToken(), config.getPassword(),
                config.getClientKeyData(), config.getProxyPassword()).toList());
    }

    static String redact(String message, io.fabric8.kubernetes.api.model.Config kubeconfig) {
        List<String> secrets = new ArrayList<>();
        if (kubeconfig.getUsers() != null) {
            for (NamedAuthInfo user : kubeconfig.getUsers()) {
                AuthInfo auth = user.getUser();
                if (auth != null) {
                    secrets.addAll(Stream.of(auth.getToken(), auth.getPassword(), auth.getClientKeyData()).toList());
                }
            }
        }
        return redact(message, secrets);
    }

    private static String redact(String message, List<String> secrets) {
        String result = Objects.requireNonNullElse(message, "");
        for (String secret : secrets) {
            // very short values would mask ordinary words; real tokens and keys are long
            if (secret != null && secret.length() >= 8) {
                result = result.replace(secret, MASK);
            }
        }
        return result;
    }

    /** The innermost cause's message, which names the actual failure (e.g. "Connection refused"). */
    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null || message.isBlank() ? root.getClass().getSimpleName()
                : root.getClass().getSimpleName() + ": " + message;
    }

    static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
