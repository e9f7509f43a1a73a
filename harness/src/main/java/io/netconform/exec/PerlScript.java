package io.netconform.exec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

/**
 * A perl script kept as a commented resource next to the class that runs it in pods, loaded as one line of code: the
 * comments are for the reader of the resource, not the pod, and one line stays one word on one line wherever a shell
 * script frames it. The scripts end every statement with ';' or a brace, so joining lines with spaces keeps them valid.
 */
public final class PerlScript {

    private PerlScript() {
    }

    public static String load(Class<?> anchor, String name) {
        try (InputStream in = anchor.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the harness jar (next to " + anchor.getName() + ")");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .collect(Collectors.joining(" "));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
