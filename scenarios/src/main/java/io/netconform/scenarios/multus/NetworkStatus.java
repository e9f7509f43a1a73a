package io.netconform.scenarios.multus;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.netconform.report.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One network of a pod as Multus reports it in the {@value Attachment#STATUS_ANNOTATION} annotation (the
 * Network Plumbing WG format), and the addresses {@code ip -o addr show} prints, for when that annotation is absent
 * (Multus before 3.x, or thin plugins configured not to write it).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record NetworkStatus(String name, @JsonProperty("interface") String iface, List<String> ips, String mac,
                     @JsonProperty("default") boolean primary) {
    private static final Pattern INET = Pattern.compile("\\binet6?\\s+([0-9A-Fa-f.:]+)/\\d+\\s.*?scope (\\w+)");

    NetworkStatus {
        ips = ips == null ? List.of() : List.copyOf(ips);
    }

    /** Every network in the annotation; an empty list for no annotation. */
    static List<NetworkStatus> parse(String annotation) {
        if (annotation == null || annotation.isBlank()) {
            return List.of();
        }
        try {
            return List.copyOf(Json.MAPPER.readValue(annotation, new TypeReference<List<NetworkStatus>>() { }));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the " + Attachment.STATUS_ANNOTATION + " annotation is not the JSON list"
                    + " Multus writes: " + e.getOriginalMessage() + "\n  value: " + annotation, e);
        }
    }

    static Optional<NetworkStatus> onInterface(List<NetworkStatus> networks, String iface) {
        return networks.stream().filter(n -> iface.equals(n.iface())).findFirst();
    }

    /** Addresses of global scope in {@code ip -o addr show dev} output, IPv4 before IPv6; link-local ones cannot be pinged without a zone. */
    static List<String> addresses(String ipOutput) {
        List<String> v4 = new ArrayList<>();
        List<String> v6 = new ArrayList<>();
        Matcher m = INET.matcher(ipOutput);
        while (m.find()) {
            if ("global".equals(m.group(2))) {
                (m.group(1).contains(":") ? v6 : v4).add(m.group(1));
            }
        }
        v4.addAll(v6);
        return List.copyOf(v4);
    }
}
