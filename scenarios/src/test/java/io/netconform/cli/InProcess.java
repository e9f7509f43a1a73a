package io.netconform.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.stream.Stream;

/** Runs one netconform command in this JVM through the real command line (its exception handler and exit codes). */
final class InProcess {
    private InProcess() {
    }

    static int execute(PrintWriter out, PrintWriter err, String command, String... args) {
        CommandLine cli = Netconform.commandLine();
        cli.setOut(out);
        cli.setErr(err);
        return cli.execute(Stream.concat(Stream.of(command), Stream.of(args)).toArray(String[]::new));
    }
}
