package io.netconform.cluster;

import io.fabric8.kubernetes.client.Config;

/**
 * A resolved cluster target: the client configuration, how to describe it to a person, and what to stop when the
 * run ends (an embedded container), before anything has talked to the API server.
 *
 * @param distribution what the target is known to be ({@code k3s}, {@code kind}) or {@code null} to detect it
 */
record Target(Config config, String description, String distribution, AutoCloseable resources) {

    String serverUrl() {
        String url = config.getMasterUrl();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    void closeResources() {
        if (resources == null) {
            return;
        }
        try {
            resources.close();
        } catch (Exception e) {
            throw new ClusterException("could not stop " + description + ": " + e.getMessage(), e);
        }
    }
}
