package io.netconform.probe;

import io.netconform.exec.ExecResult;
import io.netconform.exec.PodRef;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The batch framing, executed by real shells on this machine with harmless commands. */
class BatchScriptTest {

    static final PodRef POD = new PodRef("local", "sh", "main");

    @ParameterizedTest
    @ValueSource(strings = {"/bin/sh", "/bin/bash", "/bin/busybox"})
    void everyProbeComesBackWithItsOwnOutputAndExitCode(String shell) {
        assumeTrue(Files.isExecutable(Path.of(shell)), shell + " is not installed here");
        List<List<String>> commands = List.of(
                List.of("echo", "hello"),
                List.of("sh", "-c", "exit 7"),
                List.of("sh", "-c", "echo to-stderr >&2; echo 'it''s \"quoted\" $HOME'; exit 3"),
                List.of("sh", "-c", "i=0; while [ $i -lt 300 ]; do echo line-$i; i=$((i+1)); done"),
                List.of("printf", "%s", "no newline at the end"),
                List.of("sh", "-c", "read x; echo \"stdin gave [$x]\""));
        ExecResult exec = new LocalExecutor(shell).exec(POD, BatchScript.command(commands, Duration.ofSeconds(9)), Duration.ofSeconds(10));

        assertThat(exec.completed()).as(exec.toString() + exec.output()).isTrue();
        Map<Integer, ExecResult> pieces = BatchScript.parse(exec);
        assertThat(pieces).hasSize(commands.size());
        assertThat(pieces.get(0).stdout()).isEqualTo("hello\n");
        assertThat(pieces.get(0).exitCode()).isZero();
        assertThat(pieces.get(1).exitCode()).isEqualTo(7);
        assertThat(pieces.get(2).exitCode()).isEqualTo(3);
        assertThat(pieces.get(2).stderr()).isEqualTo("to-stderr\n");
        // the probe's own quoting survives the framing: single quotes kept $HOME literal
        assertThat(pieces.get(2).stdout()).isEqualTo("its \"quoted\" $HOME\n");
        assertThat(pieces.get(3).stdout().lines()).hasSize(300).startsWith("line-0").endsWith("line-299");
        assertThat(pieces.get(4).stdout()).isEqualTo("no newline at the end");
        // probes read /dev/null, never the exec's stdin
        assertThat(pieces.get(5).stdout()).isEqualTo("stdin gave []\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/bin/sh", "/bin/busybox"})
    void probesRunConcurrentlyInsideTheScript(String shell) throws Exception {
        assumeTrue(Files.isExecutable(Path.of(shell)), shell + " is not installed here");
        // a rendezvous, not a stopwatch: each probe marks itself present and waits until all five are, which only
        // concurrent probes can achieve (run one after another, the first would give up after 10 s and exit 1)
        Path meeting = Files.createTempDirectory("batch-rendezvous");
        String wait = "touch " + meeting + "/$0; n=0; while [ $(ls " + meeting + " | wc -l) -lt 5 ]; do"
                + " n=$((n+1)); [ $n -gt 100 ] && exit 1; sleep 0.1; done; exit 0";
        List<List<String>> waiters = java.util.stream.IntStream.range(0, 5)
                .mapToObj(i -> List.of("sh", "-c", wait, "p" + i)).toList();
        ExecResult exec = new LocalExecutor(shell).exec(POD, BatchScript.command(waiters, Duration.ofSeconds(29)), Duration.ofSeconds(30));
        Map<Integer, ExecResult> pieces = BatchScript.parse(exec);
        assertThat(pieces).hasSize(5);
        assertThat(pieces.values()).as("every probe met the other four").allMatch(p -> p.exitCode() == 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/bin/sh", "/bin/bash", "/bin/busybox"})
    void theWatchdogEndsTheScriptAndTheFinishedProbesStillReport(String shell) {
        assumeTrue(Files.isExecutable(Path.of(shell)), shell + " is not installed here");
        // counted, not timed: without the watchdog this exec would run into its 60 s limit and report nothing
        ExecResult exec = new LocalExecutor(shell).exec(POD, BatchScript.command(List.of(
                List.of("echo", "done"), List.of("sleep", "50")), Duration.ofSeconds(1)), Duration.ofSeconds(60));

        assertThat(exec.completed()).as(exec.toString() + exec.output()).isTrue();
        Map<Integer, ExecResult> pieces = BatchScript.parse(exec);
        assertThat(pieces).containsOnlyKeys(0);
        assertThat(pieces.get(0).stdout()).isEqualTo("done\n");
        assertThat(exec.duration()).as("ended by the watchdog, not by the sleeper").isLessThan(Duration.ofSeconds(50));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/bin/sh"})
    void aTruncatedOrForeignRecordIsNotEvidence(String ignored) {
        String stdout = "@@NC 0 rc 0\n@@NC 0 out- hi\n@@NC 0 end\n"
                + "@@NC 1 rc 0\n@@NC 1 out cut off before its end\n"     // no end: the exec was cut short
                + "@@NC 2 rc x\n@@NC 2 end\nnoise\n@@NC 3 end\n";           // a bad exit code; an end without rc
        Map<Integer, ExecResult> pieces = BatchScript.parse(ExecResult.completed(0, stdout, "", Duration.ZERO));
        assertThat(pieces).containsOnlyKeys(0);
        assertThat(pieces.get(0).stdout()).isEqualTo("hi");
    }
}
