package io.netconform.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** One file of ../shared/fixtures/probe-outputs: first line the command, last line {@code # exit=N}. */
record ProbeFixture(String command, String output, int exitCode) {

    static ProbeFixture load(String name) {
        String dir = System.getProperty("netconform.fixtures", "../../shared/fixtures/probe-outputs");
        try {
            List<String> lines = Files.readAllLines(Path.of(dir, name));
            String last = lines.get(lines.size() - 1);
            // a command whose output has no final newline leaves "# exit=N" glued to its last line
            int at = last.lastIndexOf("# exit=");
            int exit = Integer.parseInt(last.substring(at + "# exit=".length()).strip());
            List<String> body = new java.util.ArrayList<>(lines.subList(1, lines.size() - 1));
            if (at > 0) {
                body.add(last.substring(0, at));
            }
            String output = String.join("\n", body) + (at > 0 ? "" : "\n");
            return new ProbeFixture(lines.get(0).substring(2), output, exit);
        } catch (IOException e) {
            throw new UncheckedIOException("fixture " + name + " not found under " + dir, e);
        }
    }
}
