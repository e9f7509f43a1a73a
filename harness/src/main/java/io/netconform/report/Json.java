package io.netconform.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one Jackson configuration of netconform: ISO timestamps, indented, tolerant of new fields. Report files,
 * bench results and whatever JSON the harness reads (CNI ConfigMaps, iperf3 output, Multus annotations) use it.
 */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .setSerializationInclusion(JsonInclude.Include.ALWAYS);

    private Json() {
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName() + ": " + e, e);
        }
    }

    /**
     * {@code value} as JSON with every string redacted one by one. Redacting the serialised text alone is not
     * enough: a kubeconfig inside a JSON string has its newlines escaped, so line-based rules would miss it.
     */
    public static String writeRedacted(Object value) {
        JsonNode tree = MAPPER.valueToTree(value);
        return Redactor.redact(write(redactStrings(tree)));
    }

    /** Redacts a JSON document given as text; text that is not JSON is redacted as plain text. */
    static String redactJsonText(String json) {
        try {
            return writeRedacted(MAPPER.readTree(json));
        } catch (JsonProcessingException e) {
            return Redactor.redact(json);
        }
    }

    private static JsonNode redactStrings(JsonNode node) {
        if (node instanceof ObjectNode object) {
            var names = new java.util.ArrayList<String>();
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                object.set(name, redactStrings(object.get(name)));
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, redactStrings(array.get(i)));
            }
        } else if (node != null && node.isTextual()) {
            return TextNode.valueOf(Redactor.redact(node.asText()));
        }
        return node;
    }
}
