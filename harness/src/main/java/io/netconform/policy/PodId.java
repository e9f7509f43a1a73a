package io.netconform.policy;

import java.util.Objects;

/** A pod in a {@link Topology}, by logical namespace and name; written {@code "ns/pod"}. */
public record PodId(String namespace, String name) implements Comparable<PodId> {

    public PodId {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        if (namespace.isBlank() || name.isBlank() || namespace.contains("/") || name.contains("/")) {
            throw new IllegalArgumentException("pod id '" + namespace + "/" + name + "' is not of the form ns/pod");
        }
    }

    /** Parses {@code "ns/pod"}. */
    public static PodId of(String id) {
        int slash = id == null ? -1 : id.indexOf('/');
        if (slash <= 0 || slash == id.length() - 1 || id.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException("pod id '" + id + "' is not of the form ns/pod (e.g. x/a)");
        }
        return new PodId(id.substring(0, slash), id.substring(slash + 1));
    }

    @Override
    public int compareTo(PodId other) {
        int byNamespace = namespace.compareTo(other.namespace);
        return byNamespace != 0 ? byNamespace : name.compareTo(other.name);
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
