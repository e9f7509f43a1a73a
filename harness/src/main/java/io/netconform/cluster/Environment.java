package io.netconform.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * What target resolution reads from the machine: environment variables, the home directory, the service-account
 * mount and whether a Docker engine answers. A seam so tests decide these instead of the machine they run on.
 */
record Environment(Map<String, String> variables, Path home, Path serviceAccountDir, BooleanSupplier dockerAvailable) {

    static final Path SERVICE_ACCOUNT_DIR = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");
    /** Keeps "no cluster anywhere" under 5 s even when a Docker socket exists but does not answer. */
    static final Duration DOCKER_CHECK_LIMIT = Duration.ofSeconds(3);

    static Environment system() {
        return new Environment(System.getenv(), Path.of(System.getProperty("user.home")), SERVICE_ACCOUNT_DIR,
                () -> EmbeddedCluster.dockerAvailable(DOCKER_CHECK_LIMIT));
    }

    String variable(String name) {
        String value = variables.get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }
}
