package io.netconform.probe;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Tests that run real host tools skip, naming the tool and its Debian package, where the tool is not installed. */
public final class HostTools {

    private static final Map<String, String> PACKAGES = Map.of("nc", "netcat-openbsd", "socat", "socat", "ip", "iproute2",
            "ss", "iproute2", "unshare", "util-linux", "setsid", "util-linux");

    private HostTools() {
    }

    public static void assumeOnPath(String... tools) {
        String missing = Arrays.stream(tools).filter(t -> !onPath(t))
                .map(t -> t + " (apt-get install " + PACKAGES.getOrDefault(t, t) + ")")
                .collect(Collectors.joining(", "));
        assumeTrue(missing.isEmpty(), "needs host tools that are not on the PATH: " + missing);
    }

    static boolean onPath(String tool) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, tool)));
    }
}
