package io.netconform.exec;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/** One container in one pod: where a command runs. */
public record PodRef(String namespace, String pod, String container) {

    public PodRef {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(pod, "pod");
        Objects.requireNonNull(container, "container");
    }

    /** The exact {@code kubectl exec} line a person can paste to repeat {@code command}. */
    public String kubectlExec(List<String> command) {
        return "kubectl exec -n " + namespace + " " + pod + " -c " + container + " -- "
                + command.stream().map(PodRef::shellQuote).collect(Collectors.joining(" "));
    }

    @Override
    public String toString() {
        return namespace + "/" + pod;
    }

    /** Quotes one word for a POSIX shell, leaving plain words as they are so reproduce lines stay readable. */
    public static String shellQuote(String word) {
        if (!word.isEmpty() && word.matches("[A-Za-z0-9_@%+=:,./-]+")) {
            return word;
        }
        return "'" + word.replace("'", "'\"'\"'") + "'";
    }
}
