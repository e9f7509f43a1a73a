package io.netconform.policy;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;

/**
 * Splits a YAML file into its documents, remembering where each starts, so that an error can name the
 * line in the file rather than in the document fabric8 was handed.
 */
final class YamlDocuments {

    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private static final Pattern CHAIN_STEP = Pattern.compile("\\[\"([^\"]+)\"\\]|\\[(\\d+)\\]");
    private static final Pattern SEPARATOR = Pattern.compile("^---(\\s.*)?$");

    /** One document: its 1-based index in the file, the file line it starts on, and its text. */
    record Document(Path file, int index, int firstLine, String text) {

        boolean blank() {
            return text.lines().map(String::strip).allMatch(l -> l.isEmpty() || l.startsWith("#"));
        }

        String where() {
            return file + ": document " + index + " (line " + firstLine + ")";
        }

        /** Parses with fabric8; a YAML error becomes a {@link PolicyInputException} naming the file line. */
        <T> T parse(Class<T> type) {
            try {
                return SERIALIZATION.unmarshal(text, type);
            } catch (RuntimeException e) {
                throw new PolicyInputException(describe(e), e);
            }
        }

        Object parse() {
            try {
                return SERIALIZATION.unmarshal(text);
            } catch (RuntimeException e) {
                throw new PolicyInputException(describe(e), e);
            }
        }

        private String describe(RuntimeException e) {
            Optional<Mark> mark = marked(e).flatMap(MarkedYamlEngineException::getProblemMark);
            if (mark.isPresent()) {
                return file + ": line " + (firstLine + mark.get().getLine()) + ", column " + (mark.get().getColumn() + 1)
                        + ": malformed YAML: " + marked(e).get().getProblem();
            }
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            int chain = message.indexOf("(through reference chain");
            String problem = (chain < 0 ? message : message.substring(0, chain)).lines().findFirst().orElse("")
                    .replaceAll("`[\\w.]*\\.(\\w+)`", "$1").strip();
            return where() + (chain < 0 ? "" : " at " + yamlPath(message.substring(chain))) + ": cannot read it: "
                    + problem;
        }

        /** Jackson's reference chain ({@code NetworkPolicy["spec"]->…["podSelector"]}) as {@code spec.podSelector}. */
        private static String yamlPath(String referenceChain) {
            Matcher m = CHAIN_STEP.matcher(referenceChain);
            StringBuilder path = new StringBuilder();
            while (m.find()) {
                if (m.group(1) != null) {
                    path.append(path.length() == 0 ? "" : ".").append(m.group(1));
                } else {
                    path.append('[').append(m.group(2)).append(']');
                }
            }
            return path.toString();
        }

        private static Optional<MarkedYamlEngineException> marked(Throwable e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof MarkedYamlEngineException m) {
                    return Optional.of(m);
                }
            }
            return Optional.empty();
        }
    }

    private YamlDocuments() {
    }

    static List<Document> read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PolicyInputException(file + ": cannot read: " + e, e);
        }
        List<Document> documents = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int firstLine = 1;
        int lineNumber = 0;
        for (String line : text.split("\n", -1)) {
            lineNumber++;
            if (SEPARATOR.matcher(line.stripTrailing()).matches()) {
                addUnlessBlank(documents, file, firstLine, current.toString());
                current.setLength(0);
                firstLine = lineNumber + 1;
            } else {
                current.append(line).append('\n');
            }
        }
        addUnlessBlank(documents, file, firstLine, current.toString());
        return documents;
    }

    private static void addUnlessBlank(List<Document> documents, Path file, int firstLine, String text) {
        Document document = new Document(file, documents.size() + 1, firstLine, text);
        if (!document.blank()) {
            documents.add(document);
        }
    }
}
