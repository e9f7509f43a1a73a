package io.netconform.policy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads NetworkPolicy fixtures: one YAML file (several documents allowed, {@code kind: List} too) or a
 * directory of {@code *.yaml}/{@code *.yml} files, read in name order. Every policy is validated as the
 * API server would, so a broken fixture fails here, naming file and line, not minutes later in a cluster.
 */
public final class PolicyFiles {

    private PolicyFiles() {
    }

    /** @throws PolicyInputException naming the file, the document and line, and what is wrong */
    public static List<NetworkPolicy> load(Path fileOrDirectory) {
        if (!Files.exists(fileOrDirectory)) {
            throw new PolicyInputException(fileOrDirectory + ": no such file or directory");
        }
        if (!Files.isDirectory(fileOrDirectory)) {
            return loadFile(fileOrDirectory);
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(fileOrDirectory)) {
            files = listing.filter(Files::isRegularFile)
                    .filter(f -> f.getFileName().toString().endsWith(".yaml") || f.getFileName().toString().endsWith(".yml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new PolicyInputException(fileOrDirectory + ": cannot list the directory: " + e, e);
        }
        List<NetworkPolicy> policies = new ArrayList<>();
        for (Path file : files) {
            policies.addAll(loadFile(file));
        }
        return policies;
    }

    private static List<NetworkPolicy> loadFile(Path file) {
        List<NetworkPolicy> policies = new ArrayList<>();
        for (YamlDocuments.Document document : YamlDocuments.read(file)) {
            Object parsed = document.parse();
            List<?> objects = parsed instanceof KubernetesList list ? list.getItems()
                    : parsed instanceof List<?> l ? l : List.of(parsed);
            for (Object object : objects) {
                policies.add(networkPolicy(document, object));
            }
        }
        return policies;
    }

    private static NetworkPolicy networkPolicy(YamlDocuments.Document document, Object object) {
        if (!(object instanceof NetworkPolicy policy)) {
            throw new PolicyInputException(document.where() + ": expected a NetworkPolicy (networking.k8s.io/v1), got "
                    + describe(object));
        }
        try {
            // fixtures may leave the namespace to whoever applies them; everything else must be valid now
            CompiledPolicy.compile(policy, "(namespace not set)");
        } catch (IllegalArgumentException e) {
            throw new PolicyInputException(document.where() + ": " + e.getMessage(), e);
        }
        return policy;
    }

    private static String describe(Object object) {
        if (object instanceof GenericKubernetesResource generic) {
            return "kind " + generic.getKind() + " (apiVersion " + generic.getApiVersion() + ")" + name(generic);
        }
        if (object instanceof HasMetadata resource) {
            return "kind " + resource.getKind() + " (apiVersion " + resource.getApiVersion() + ")" + name(resource);
        }
        if (object instanceof KubernetesResource) {
            return "an object without apiVersion and kind";
        }
        return object == null ? "an empty document" : "a " + object.getClass().getSimpleName();
    }

    private static String name(HasMetadata resource) {
        return resource.getMetadata() == null || resource.getMetadata().getName() == null ? ""
                : " named " + resource.getMetadata().getName();
    }
}
