package io.netconform.policy;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** Kubernetes label selectors (matchLabels AND matchExpressions) as predicates over a label map. */
final class Selectors {

    /** A compiled selector with the text used in explanations. */
    record Selector(Predicate<Map<String, String>> predicate, String text, boolean selectsAll) {

        boolean matches(Map<String, String> labels) {
            return predicate.test(labels);
        }

        @Override
        public String toString() {
            return text;
        }
    }

    private Selectors() {
    }

    /** Compiles a selector; null and {@code {}} select everything. {@code where} prefixes validation errors. */
    static Selector compile(LabelSelector selector, String where) {
        List<Predicate<Map<String, String>>> terms = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        if (selector != null && selector.getMatchLabels() != null) {
            selector.getMatchLabels().forEach((key, value) -> {
                terms.add(labels -> value.equals(labels.get(key)));
                texts.add(key + "=" + value);
            });
        }
        List<LabelSelectorRequirement> expressions = selector == null || selector.getMatchExpressions() == null
                ? List.of() : selector.getMatchExpressions();
        for (int i = 0; i < expressions.size(); i++) {
            LabelSelectorRequirement r = expressions.get(i);
            String at = where + ".matchExpressions[" + i + "]";
            String key = r.getKey();
            if (key == null || key.isBlank()) {
                throw new IllegalArgumentException(at + ": key is missing");
            }
            List<String> values = r.getValues() == null ? List.of() : r.getValues();
            Set<String> valueSet = Set.copyOf(values);
            String operator = r.getOperator();
            switch (operator == null ? "" : operator) {
                case "In" -> {
                    requireValues(at, operator, values, true);
                    terms.add(labels -> labels.containsKey(key) && valueSet.contains(labels.get(key)));
                    texts.add(key + " in (" + String.join(",", values) + ")");
                }
                case "NotIn" -> {
                    requireValues(at, operator, values, true);
                    terms.add(labels -> !labels.containsKey(key) || !valueSet.contains(labels.get(key)));
                    texts.add(key + " notin (" + String.join(",", values) + ")");
                }
                case "Exists" -> {
                    requireValues(at, operator, values, false);
                    terms.add(labels -> labels.containsKey(key));
                    texts.add(key);
                }
                case "DoesNotExist" -> {
                    requireValues(at, operator, values, false);
                    terms.add(labels -> !labels.containsKey(key));
                    texts.add("!" + key);
                }
                default -> throw new IllegalArgumentException(at + ": operator '" + operator
                        + "' is not a valid selector operator (expected In, NotIn, Exists or DoesNotExist)");
            }
        }
        if (terms.isEmpty()) {
            return new Selector(labels -> true, "{}", true);
        }
        Predicate<Map<String, String>> all = terms.stream().reduce(Predicate::and).orElseThrow();
        return new Selector(all, String.join(",", texts), false);
    }

    private static void requireValues(String at, String operator, List<String> values, boolean required) {
        if (required && values.isEmpty()) {
            throw new IllegalArgumentException(at + ": operator " + operator + " needs at least one value");
        }
        if (!required && !values.isEmpty()) {
            throw new IllegalArgumentException(at + ": operator " + operator + " takes no values, got " + values);
        }
    }
}
