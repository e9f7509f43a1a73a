package io.netconform.policy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads MODEL.yaml:
 * <pre>
 * namespaces:                       # name -> labels
 *   x: {ns: x}
 * pods:
 *   - namespace: x
 *     name: a
 *     labels: {pod: a}              # default: pod=&lt;name&gt;
 *     ip: 10.244.1.10               # optional (or ips: [..]); needed for ipBlock
 *     ports: [{port: 80, protocol: TCP, name: serve-80-tcp}]
 * </pre>
 * Namespaces also get {@code kubernetes.io/metadata.name}, as the API server gives every namespace.
 */
final class ModelFile {

    private static final Set<String> TOP_KEYS = Set.of("namespaces", "pods");
    private static final Set<String> POD_KEYS = Set.of("namespace", "name", "labels", "ip", "ips", "ports");
    private static final Set<String> PORT_KEYS = Set.of("port", "protocol", "name");

    private ModelFile() {
    }

    static Topology read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new PolicyInputException(file + ": no such model file");
        }
        List<YamlDocuments.Document> documents = YamlDocuments.read(file);
        if (documents.size() != 1) {
            throw new PolicyInputException(file + ": expected one YAML document with namespaces and pods, found "
                    + documents.size());
        }
        Object parsed = documents.get(0).parse(Object.class);
        Map<String, Object> model = map(parsed, file + ": the top level");
        unknownKeys(model, TOP_KEYS, file + ": the top level");
        Topology topology = Topology.empty();
        Map<String, Object> namespaces = map(model.get("namespaces"), file + ": namespaces");
        if (namespaces.isEmpty()) {
            throw new PolicyInputException(file + ": namespaces is missing or empty");
        }
        for (Map.Entry<String, Object> ns : namespaces.entrySet()) {
            String where = file + ": namespaces." + ns.getKey();
            try {
                topology = topology.withNamespace(ns.getKey(), labels(ns.getValue(), where));
            } catch (IllegalArgumentException e) {
                throw new PolicyInputException(where + ": " + e.getMessage(), e);
            }
        }
        List<?> pods = model.get("pods") instanceof List<?> l ? l : null;
        if (pods == null) {
            throw new PolicyInputException(file + ": pods is missing or not a list");
        }
        Map<PodId, Topology.Pod> declared = new LinkedHashMap<>();
        for (int i = 0; i < pods.size(); i++) {
            addPod(declared, pods.get(i), file + ": pods[" + i + "]", namespaces.keySet());
        }
        return topology.withPods(declared.values());
    }

    private static void addPod(Map<PodId, Topology.Pod> declared, Object entry, String where, Set<String> namespaces) {
        Map<String, Object> pod = map(entry, where);
        unknownKeys(pod, POD_KEYS, where);
        String namespace = string(pod.get("namespace"), where + ".namespace");
        String name = string(pod.get("name"), where + ".name");
        String at = where + " (" + namespace + "/" + name + ")";
        if (!namespaces.contains(namespace)) {
            throw new PolicyInputException(at + ": namespace '" + namespace + "' is not declared under namespaces "
                    + namespaces);
        }
        Map<String, String> labels = pod.containsKey("labels") ? labels(pod.get("labels"), at + ".labels")
                : Map.of("pod", name);
        List<String> ips = new ArrayList<>();
        if (pod.get("ip") != null) {
            ips.add(string(pod.get("ip"), at + ".ip"));
        }
        if (pod.get("ips") instanceof List<?> list) {
            list.forEach(ip -> ips.add(string(ip, at + ".ips")));
        }
        for (String ip : ips) {
            try {
                Cidr.parseAddress(ip);
            } catch (IllegalArgumentException e) {
                throw new PolicyInputException(at + ": " + e.getMessage(), e);
            }
        }
        List<Port> ports = new ArrayList<>();
        List<?> portEntries = pod.get("ports") == null ? List.of() : pod.get("ports") instanceof List<?> l ? l : null;
        if (portEntries == null) {
            throw new PolicyInputException(at + ".ports: expected a list of {port, protocol, name}");
        }
        for (int p = 0; p < portEntries.size(); p++) {
            ports.add(port(portEntries.get(p), at + ".ports[" + p + "]"));
        }
        PodId id;
        try {
            id = new PodId(namespace, name);
        } catch (IllegalArgumentException e) {
            throw new PolicyInputException(at + ": " + e.getMessage(), e);
        }
        if (declared.putIfAbsent(id, new Topology.Pod(id, labels, ports, ips)) != null) {
            throw new PolicyInputException(at + ": pod " + id + " is declared twice");
        }
    }

    private static Port port(Object entry, String where) {
        Map<String, Object> port = map(entry, where);
        unknownKeys(port, PORT_KEYS, where);
        Object number = port.get("port");
        if (!(number instanceof Number n) || n.doubleValue() != n.intValue()) {
            throw new PolicyInputException(where + ".port: expected a port number 1..65535, got " + quote(number));
        }
        try {
            Protocol protocol = Protocol.parse(port.get("protocol") == null ? null : port.get("protocol").toString());
            Object name = port.get("name");
            return new Port(n.intValue(), protocol, name == null ? null : name.toString());
        } catch (IllegalArgumentException e) {
            throw new PolicyInputException(where + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, String> labels(Object value, String where) {
        if (value == null) {
            return Map.of();
        }
        Map<String, String> labels = new LinkedHashMap<>();
        map(value, where).forEach((k, v) -> {
            if (v == null || v instanceof Map || v instanceof List) {
                throw new PolicyInputException(where + "." + k + ": a label value must be a string, got " + quote(v));
            }
            labels.put(k, v.toString());
        });
        return labels;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, String where) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map)) {
            throw new PolicyInputException(where + ": expected a mapping, got " + quote(value));
        }
        Map<String, Object> result = new LinkedHashMap<>();
        ((Map<Object, Object>) value).forEach((k, v) -> result.put(String.valueOf(k), v));
        return result;
    }

    private static String string(Object value, String where) {
        if (value == null || value instanceof Map || value instanceof List || value.toString().isBlank()) {
            throw new PolicyInputException(where + ": expected a non-empty string, got " + quote(value));
        }
        return value.toString();
    }

    private static void unknownKeys(Map<String, Object> map, Set<String> known, String where) {
        for (String key : map.keySet()) {
            if (!known.contains(key)) {
                throw new PolicyInputException(where + ": unknown key '" + key + "' (expected one of "
                        + known.stream().sorted().toList() + ")");
            }
        }
    }

    private static String quote(Object value) {
        return value == null ? "nothing" : value instanceof String s ? "'" + s + "'" : String.valueOf(value);
    }
}
