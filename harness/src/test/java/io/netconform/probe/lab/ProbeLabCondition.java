package io.netconform.probe.lab;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The check behind {@link RequiresProbeLab}. */
final class ProbeLabCondition implements ExecutionCondition {

    /** Each command the lab or its tests run, with the Debian package to install for it. */
    static final Map<String, String> TOOLS = tools(
            "ip", "iproute2", "ss", "iproute2", "setsid", "util-linux",
            "ping", "iputils-ping", "tracepath", "iputils-tracepath", "dig", "dnsutils", "curl", "curl",
            "nc", "netcat-openbsd", "socat", "socat", "nginx", "nginx-light", "dnsmasq", "dnsmasq-base",
            "iptables", "iptables");

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return evaluate(effectiveUid(),
                Arrays.asList(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
    }

    static ConditionEvaluationResult evaluate(String uid, List<String> path) {
        if (!"0".equals(uid)) {
            return ConditionEvaluationResult.disabled("the probe lab creates network namespaces and needs root; effective uid is " + uid);
        }
        String missing = TOOLS.entrySet().stream()
                .filter(tool -> path.stream().noneMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, tool.getKey()))))
                .map(tool -> tool.getKey() + " (apt-get install " + tool.getValue() + ")")
                .collect(Collectors.joining(", "));
        return missing.isEmpty()
                ? ConditionEvaluationResult.enabled("root, and every probe lab tool is on the PATH")
                : ConditionEvaluationResult.disabled("the probe lab needs tools missing from the PATH: " + missing);
    }

    private static String effectiveUid() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(line -> line.startsWith("Uid:"))
                    .map(line -> line.split("\\s+")[2])
                    .findFirst().orElse("unknown (no Uid line in /proc/self/status)");
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static Map<String, String> tools(String... pairs) {
        Map<String, String> tools = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            tools.put(pairs[i], pairs[i + 1]);
        }
        return tools;
    }
}
