package io.netconform.probe;

import io.netconform.exec.ExecResult;
import io.netconform.exec.PodRef;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Frames many probe commands into one POSIX {@code sh} script (bash, dash and busybox sh): each command runs in the
 * background into its own files, and after {@code wait} every finished probe prints its record, one line each:
 * <pre>
 * @@NC 3 rc 1          the exit code
 * @@NC 3 out TEXT      a line of stdout ("out-": the last line, without a newline); "err"/"err-" for stderr
 * @@NC 3 end           the record is complete
 * </pre>
 * so parallel outputs never interleave. Printing uses shell builtins only: one fork per probe line (cat, base64, …)
 * times 32 probes times 9 pods is what made a busy 2-core node fall minutes behind.
 *
 * <p>A watchdog ends the probes still running after {@code limit}: when the exec is given up on, the script must not
 * go on running in the pod (it did, and each later round piled more onto the node). Probes that finished still report.
 */
final class BatchScript {

    static final String MARKER = "@@NC";

    private BatchScript() {
    }

    static List<String> command(List<List<String>> commands, Duration limit) {
        StringBuilder s = new StringBuilder();
        s.append("d=$(mktemp -d) || exit 97\n");
        // </dev/null: a probe must never read the exec's stdin, which may be shared by all of them
        s.append("run() { i=$1; shift; \"$@\" >\"$d/$i.out\" 2>\"$d/$i.err\" </dev/null; echo $? >\"$d/$i.rc\"; }\n");
        // emit TAG I FILE: the file's lines as records; read's partial last line (no newline) gets TAG-
        s.append("emit() { l=; while IFS= read -r l; do printf '" + MARKER + " %s %s %s\\n' \"$2\" \"$1\" \"$l\"; done <\"$3\"; "
                + "[ -n \"$l\" ] && printf '" + MARKER + " %s %s- %s\\n' \"$2\" \"$1\" \"$l\"; }\n");
        s.append("pids=\n");
        for (int i = 0; i < commands.size(); i++) {
            s.append("run ").append(i).append(' ')
                    .append(commands.get(i).stream().map(PodRef::shellQuote).collect(Collectors.joining(" ")))
                    .append(" & pids=\"$pids $!\"\n");
        }
        // the watchdog's own output goes nowhere: holding the exec's stdout open would keep the exec from ending
        s.append("(sleep ").append(Math.max(1, (limit.toMillis() + 999) / 1000))
                .append("; kill -9 $pids) >/dev/null 2>&1 </dev/null & w=$!\n");
        s.append("wait $pids\n");
        s.append("kill $w 2>/dev/null\n");
        s.append("for i in ").append(IntStream.range(0, commands.size()).mapToObj(Integer::toString)
                .collect(Collectors.joining(" "))).append("; do\n");
        s.append("  if [ -f \"$d/$i.rc\" ]; then read rc <\"$d/$i.rc\"; printf '" + MARKER + " %s rc %s\\n' \"$i\" \"$rc\"; "
                + "emit out \"$i\" \"$d/$i.out\"; emit err \"$i\" \"$d/$i.err\"; printf '" + MARKER + " %s end\\n' \"$i\"; fi\n");
        s.append("done\n");
        s.append("rm -rf \"$d\"\n");
        return List.of("sh", "-c", s.toString());
    }

    /**
     * The per-probe results found in a completed batch exec, by index; a probe without a complete record (rc … end)
     * is simply absent. Each piece carries the whole exec's duration: the script does not time probes.
     */
    static Map<Integer, ExecResult> parse(ExecResult exec) {
        Map<Integer, Integer> codes = new HashMap<>();
        Map<Integer, StringBuilder> out = new HashMap<>();
        Map<Integer, StringBuilder> err = new HashMap<>();
        Map<Integer, ExecResult> pieces = new HashMap<>();
        for (String line : exec.stdout() == null ? new String[0] : exec.stdout().split("\n", -1)) {
            String[] f = line.split(" ", 4);
            if (f.length < 3 || !f[0].equals(MARKER) || !f[1].matches("\\d{1,6}")) {
                continue;
            }
            int i = Integer.parseInt(f[1]);
            String text = f.length == 4 ? f[3] : "";
            switch (f[2]) {
                case "rc" -> {
                    if (text.matches("\\d{1,3}")) {
                        codes.put(i, Integer.parseInt(text));
                        out.put(i, new StringBuilder());
                        err.put(i, new StringBuilder());
                    }
                }
                case "out", "out-", "err", "err-" -> {
                    StringBuilder into = (f[2].startsWith("out") ? out : err).get(i);
                    if (into != null) {
                        into.append(text).append(f[2].endsWith("-") ? "" : "\n");
                    }
                }
                case "end" -> {
                    if (codes.containsKey(i)) {
                        pieces.put(i, ExecResult.completed(codes.get(i), out.get(i).toString(), err.get(i).toString(),
                                exec.duration()));
                    }
                }
                default -> {
                    // not ours: ignored
                }
            }
        }
        return pieces;
    }
}
