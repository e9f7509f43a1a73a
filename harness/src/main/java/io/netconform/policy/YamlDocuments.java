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
    private static final Pattern FIELD_STEP = Pattern.compile("([A-Za-z_][\\w-]*)|\\[(\\d+)\\]");
    private static final Pattern SEPARATOR = Pattern.compile("^---(\\s.*)?$");

    /** One document: its 1-based index in the file, the file line it starts on, and its text. */
    record Document(Path file, int index, int firstLine, String text) {

        boolean blank() {
            return text.lines().map(String::strip).allMatch(l -> l.isEmpty() || l.startsWith("#"));
        }

        String where() {
            return file + ": document " + index + " (line " + firstLine + ")";
        }

        /**
         * The file line of a field given as a path ({@code spec.ingress[1].action}), found by following keys and list
         * items down the indentation (block style); where the text does not show it, the deepest line found.
         */
        int lineOf(String fieldPath) {
            List<String> lines = text.lines().toList();
            int at = -1;            // line of the node reached so far (-1: the document)
            int keyColumn = 0;      // column of the keys of the mapping we are in (-1: the first child decides)
            int parentColumn = -1;  // column of the key or dash that owns the current node
            boolean onItem = false; // the current node starts on a "- " line, whose first key shares that line
            Matcher step = FIELD_STEP.matcher(fieldPath);
            while (step.find()) {
                String key = step.group(1);
                int wanted = key == null ? Integer.parseInt(step.group(2)) : 0;
                int itemColumn = -1;
                int found = -1;
                for (int i = Math.max(at, 0); i < lines.size() && found < 0; i++) {
                    String line = lines.get(i);
                    String content = line.strip();
                    if (content.isEmpty() || content.startsWith("#")) {
                        continue;
                    }
                    int depth = line.indexOf(content.charAt(0));
                    boolean item = content.startsWith("- ") || content.equals("-");
                    if (key != null) {
                        int column = item ? depth + 2 : depth;
                        if (i == at && !onItem) {
                            continue; // the owning key's own line
                        }
                        if (i != at && depth <= parentColumn) {
                            break;
                        }
                        if (keyColumn < 0) {
                            keyColumn = column;
                        }
                        if (column == keyColumn && (item ? content.substring(1).strip() : content).startsWith(key + ":")) {
                            found = i;
                            parentColumn = column;
                            keyColumn = -1;
                            onItem = false;
                        }
                    } else if (i != at) {
                        if (depth < parentColumn || (!item && depth <= parentColumn)) {
                            break;
                        }
                        if (item && (itemColumn < 0 || depth == itemColumn)) {
                            itemColumn = depth;
                            if (wanted-- == 0) {
                                found = i;
                                keyColumn = depth + 2;
                                parentColumn = depth;
                                onItem = true;
                            }
                        }
                    }
                }
                if (found < 0) {
                    break;
                }
                at = found;
            }
            return firstLine + Math.max(at, 0);
        }

        /** Parses with fabric8; a YAML error becomes a {@link PolicyInputException} naming the file line. */
        <T> T parse(Class<T> type) {
            try {
                return SERIALIZATION.unmarshal(text, type);
            } catch (RuntimeException e) {
                throw new PolicyInputException(describe(e), e);
            }
        }

        /** Binds an object already read from this document to a fabric8 type; errors name the document and field. */
        <T> T convert(Object object, Class<T> type) {
            try {
                return SERIALIZATION.convertValue(object, type);
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
