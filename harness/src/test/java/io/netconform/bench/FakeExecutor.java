package io.netconform.bench;

import io.netconform.exec.ExecResult;
import io.netconform.exec.Executor;
import io.netconform.exec.PodRef;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;

/** Answers commands with scripted results, first matching rule wins; fails loudly on an unscripted command. */
final class FakeExecutor implements Executor {

    private record Rule(BiPredicate<PodRef, String> matches, ExecResult result) {
    }

    private final List<Rule> rules = new ArrayList<>();
    final List<String> calls = new ArrayList<>();

    FakeExecutor on(String commandContains, ExecResult result) {
        rules.add(new Rule((pod, cmd) -> cmd.contains(commandContains), result));
        return this;
    }

    FakeExecutor on(String podName, String commandContains, ExecResult result) {
        rules.add(new Rule((pod, cmd) -> pod.pod().equals(podName) && cmd.contains(commandContains), result));
        return this;
    }

    static ExecResult ok(String stdout) {
        return ExecResult.completed(0, stdout, "", Duration.ofMillis(5));
    }

    static ExecResult exit(int code, String stdout, String stderr) {
        return ExecResult.completed(code, stdout, stderr, Duration.ofMillis(5));
    }

    @Override
    public ExecResult exec(PodRef pod, List<String> command, Duration timeout) {
        String joined = String.join(" ", command);
        calls.add(pod.pod() + ": " + joined);
        return rules.stream().filter(r -> r.matches().test(pod, joined)).findFirst()
                .map(Rule::result)
                .orElseThrow(() -> new AssertionError("unscripted command in " + pod + ": " + joined));
    }
}
