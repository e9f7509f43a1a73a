package io.netconform.probe;

import io.netconform.exec.ExecResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One real probe output from {@code netconform.fixtures}: first line the command, last line "# exit=N". */
record Fixture(String name, String command, String output, int exitCode) {

    private static final Pattern EXIT = Pattern.compile("# exit=(\\d+)\\s*\\z");

    static Fixture load(String name) {
        String dir = System.getProperty("netconform.fixtures");
        if (dir == null) {
            throw new IllegalStateException("system property netconform.fixtures is not set (surefire sets it)");
        }
        try {
            String text = Files.readString(Path.of(dir, name));
            int firstNewline = text.indexOf('\n');
            String command = text.substring(0, firstNewline);
            String rest = text.substring(firstNewline + 1);
            Matcher m = EXIT.matcher(rest);
            if (!command.startsWith("# ") || !m.find()) {
                throw new IllegalStateException(name + " does not have the '# cmd' ... '# exit=N' frame");
            }
            // the exit line is not always on its own line: curl -w prints "200" without a newline
            return new Fixture(name, command.substring(2), rest.substring(0, m.start()), Integer.parseInt(m.group(1)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ExecResult exec() {
        return ExecResult.completed(exitCode, output, "", Duration.ofMillis(10));
    }

    ProbeResult readWith(Probe probe) {
        return probe.read(exec(), "kubectl exec -n lab pa -c main -- " + command);
    }
}
