package io.netconform.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.netconform.policy.Explanation;
import io.netconform.policy.PolicyOracle;
import io.netconform.policy.Port;
import io.netconform.policy.Prediction;
import io.netconform.policy.Reachability;
import io.netconform.policy.Topology;

import java.io.IOException;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code predict}'s machine-readable forms, written as a stream (no document tree: 600 pods × 300 policies is
 * 359,400 flows). Explanations are compact: each direction names the isolating policies and the allowing rule by
 * their index into the {@code policies} and {@code rules} tables written after the flows, instead of repeating the
 * same prose in every flow. Schema: docs/predict-schema.md.
 */
final class PredictJson {

    static final String SCHEMA = "netconform.predict/v2";
    private static final JsonFactory JSON = new JsonFactory();

    private PredictJson() {
    }

    /** Every flow from every pod to every served port of every other pod (after the port filter), explained. */
    static void flows(PolicyOracle oracle, List<Port> ports, Writer out) throws IOException {
        Map<String, Integer> policies = new LinkedHashMap<>();
        Map<String, Integer> rules = new LinkedHashMap<>();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("schema", SCHEMA);
            json.writeArrayFieldStart("flows");
            List<Topology.Pod> pods = oracle.topology().pods();
            // per pod once, not per flow: its id as written, and the served ports the filter keeps
            String[] ids = pods.stream().map(pod -> pod.id().toString()).toArray(String[]::new);
            List<List<Port>> served = pods.stream().map(pod -> pod.ports().stream()
                    .filter(p -> ports.stream().anyMatch(p::sameTraffic))
                    .map(p -> new Port(p.number(), p.protocol(), null)).toList()).toList();
            for (int f = 0; f < pods.size(); f++) {
                for (int t = 0; t < pods.size(); t++) {
                    if (f == t) {
                        continue;
                    }
                    for (Port port : served.get(t)) {
                        Prediction p = oracle.predict(pods.get(f).id(), pods.get(t).id(), port);
                        json.writeStartObject();
                        json.writeStringField("from", ids[f]);
                        json.writeStringField("to", ids[t]);
                        json.writeNumberField("port", port.number());
                        json.writeStringField("protocol", port.protocol().name());
                        json.writeBooleanField("allowed", p.allowed());
                        direction(json, "ingress", p.ingress(), policies, rules);
                        direction(json, "egress", p.egress(), policies, rules);
                        json.writeEndObject();
                    }
                }
            }
            json.writeEndArray();
            table(json, "policies", policies);
            table(json, "rules", rules);
            json.writeEndObject();
        }
    }

    /**
     * {@code isolatedBy}: indexes into {@code policies} (absent: the pod is not isolated in this direction);
     * {@code allowedBy}: index into {@code rules} (absent: no rule allows it, or no isolation to allow through).
     */
    private static void direction(JsonGenerator json, String name, Explanation e, Map<String, Integer> policies,
                                  Map<String, Integer> rules) throws IOException {
        json.writeObjectFieldStart(name);
        if (e.isolated()) {
            json.writeArrayFieldStart("isolatedBy");
            for (String policy : e.isolatingPolicies()) {
                json.writeNumber(policies.computeIfAbsent(policy, k -> policies.size()));
            }
            json.writeEndArray();
        }
        if (e.allowedBy() != null) {
            json.writeNumberField("allowedBy", rules.computeIfAbsent(e.allowedBy(), k -> rules.size()));
        }
        if (!e.steps().isEmpty()) {
            // a cluster-scoped policy selects the pod: the tiers walked (into rules) and this direction's verdict
            json.writeArrayFieldStart("steps");
            for (String step : e.steps()) {
                json.writeNumber(rules.computeIfAbsent(step, k -> rules.size()));
            }
            json.writeEndArray();
            json.writeBooleanField("allows", e.allows());
        }
        json.writeEndObject();
    }

    private static void table(JsonGenerator json, String name, Map<String, Integer> entries) throws IOException {
        json.writeArrayFieldStart(name);
        for (String entry : entries.keySet()) {
            json.writeString(entry);
        }
        json.writeEndArray();
    }

    /**
     * For tools that only need the verdicts: the pod list once, and per port one string per source pod, one character
     * per destination in pod order: {@code .} allowed, {@code X} blocked, {@code -} the pod itself.
     */
    static void matrix(PolicyOracle oracle, List<Port> ports, Writer out) throws IOException {
        List<Topology.Pod> pods = oracle.topology().pods();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("schema", SCHEMA);
            json.writeArrayFieldStart("pods");
            for (Topology.Pod pod : pods) {
                json.writeString(pod.id().toString());
            }
            json.writeEndArray();
            json.writeArrayFieldStart("matrices");
            for (Port port : ports) {
                Reachability grid = oracle.reachability(port);
                json.writeStartObject();
                json.writeNumberField("port", port.number());
                json.writeStringField("protocol", port.protocol().name());
                json.writeArrayFieldStart("rows");
                StringBuilder row = new StringBuilder(pods.size());
                for (Topology.Pod from : pods) {
                    row.setLength(0);
                    for (Topology.Pod to : pods) {
                        row.append(from.id().equals(to.id()) ? '-'
                                : grid.get(from.id(), to.id()) == Reachability.State.ALLOWED ? '.' : 'X');
                    }
                    json.writeString(row.toString());
                }
                json.writeEndArray();
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
    }
}
