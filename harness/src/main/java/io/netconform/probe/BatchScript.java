package io.netconform.probe;

import io.netconform.exec.ExecResult;
import io.netconform.exec.PodRef;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Frames many probe commands into one POSIX {@code sh} script (bash and busybox sh): each command runs
 * in the background into its own files, and after {@code wait} every probe prints one record
 * {@code @@NC <index> <exit> <base64 stdout> <base64 stderr>}, so parallel outputs never interleave.
 */
final class BatchScript {

    static final String MARKER = "@@NC";

    private BatchScript() {
    }

    static List<String> command(List<List<String>> commands) {
        StringBuilder s = new StringBuilder();
        s.append("d=$(mktemp -d) || exit 97\n");
        // </dev/null: a probe must never read the exec's stdin, which may be shared by all of them
        s.append("run() { i=$1; shift; \"$@\" >\"$d/$i.out\" 2>\"$d/$i.err\" </dev/null; echo $? >\"$d/$i.rc\"; }\n");
        for (int i = 0; i < commands.size(); i++) {
            s.append("run ").append(i).append(' ')
                    .append(commands.get(i).stream().map(PodRef::shellQuote).collect(Collectors.joining(" ")))
                    .append(" &\n");
        }
        s.append("wait\n");
        s.append("for i in ").append(IntStream.range(0, commands.size()).mapToObj(Integer::toString)
                .collect(Collectors.joining(" "))).append("; do\n");
        // base64 wraps lines (GNU at 76 columns); tr keeps each record on one line in both coreutils and busybox
        s.append("  if [ -f \"$d/$i.rc\" ]; then printf '" + MARKER + " %s %s %s %s\\n' \"$i\" \"$(cat \"$d/$i.rc\")\""
                + " \"$(base64 <\"$d/$i.out\" | tr -d '\\n')\" \"$(base64 <\"$d/$i.err\" | tr -d '\\n')\"; fi\n");
        s.append("done\n");
        s.append("rm -rf \"$d\"\n");
        return List.of("sh", "-c", s.toString());
    }

    /**
     * The per-probe results found in a completed batch exec, by index; a probe without a well-formed
     * record is simply absent. Each piece carries the whole exec's duration: the script does not time probes.
     */
    static Map<Integer, ExecResult> parse(ExecResult exec) {
        Map<Integer, ExecResult> pieces = new HashMap<>();
        for (String line : exec.stdout() == null ? new String[0] : exec.stdout().split("\n")) {
            String[] f = line.strip().isEmpty() ? new String[0] : line.split(" ", -1);
            if (f.length != 5 || !f[0].equals(MARKER) || !f[1].matches("\\d+") || !f[2].matches("\\d+")) {
                continue;
            }
            try {
                pieces.put(Integer.parseInt(f[1]), ExecResult.completed(Integer.parseInt(f[2]), decode(f[3]),
                        decode(f[4]), exec.duration()));
            } catch (IllegalArgumentException malformed) {
                // a truncated record is not evidence; the probe is reported as missing its record
            }
        }
        return pieces;
    }

    private static String decode(String b64) {
        return new String(Base64.getDecoder().decode(b64.strip()), StandardCharsets.UTF_8);
    }
}
