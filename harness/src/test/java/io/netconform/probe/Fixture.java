package io.netconform.probe;

import io.netconform.exec.ExecResult;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One real probe output from the test resources' {@code probe-outputs/} (copied from the team's captures, see its
 * README): first line the command, last line "# exit=N". The only loader of those files, for every package's tests.
 */
public record Fixture(String name, String command, String output, int exitCode) {

    private static final Pattern EXIT = Pattern.compile("# exit=(\\d+)\\s*\\z");

    public static Fixture load(String name) {
        try (InputStream in = Fixture.class.getResourceAsStream("/probe-outputs/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no probe output fixture '" + name
                        + "' in harness/src/test/resources/probe-outputs/");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
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
            throw new UncheckedIOException("cannot read probe output fixture " + name, e);
        }
    }

    public ExecResult exec() {
        return ExecResult.completed(exitCode, output, "", Duration.ofMillis(10));
    }

    ProbeResult readWith(Probe probe) {
        return probe.read(exec(), "kubectl exec -n lab pa -c main -- " + command);
    }
}
