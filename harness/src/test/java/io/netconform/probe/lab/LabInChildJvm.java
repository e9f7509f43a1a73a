package io.netconform.probe.lab;

import java.util.stream.Collectors;

/**
 * A JVM that starts a probe lab and never closes it, for the lifecycle tests: with {@code exit} it leaves
 * through {@link System#exit} (the shutdown hook must clean up), with {@code hang} it waits to be killed
 * with SIGKILL (the next {@link ProbeLab#start()} must sweep what it left).
 */
final class LabInChildJvm {

    static final String READY = "LAB-READY";

    private LabInChildJvm() {
    }

    public static void main(String[] args) throws InterruptedException {
        ProbeLab lab = ProbeLab.start();
        System.out.println(READY + " " + lab.name() + " "
                + lab.serverPids().stream().map(String::valueOf).collect(Collectors.joining(",")) + " " + lab.workDir());
        System.out.flush();
        if (args.length > 0 && args[0].equals("hang")) {
            Thread.sleep(120_000);
        }
        System.exit(0);
    }
}
