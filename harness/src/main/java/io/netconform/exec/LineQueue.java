package io.netconform.exec;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An output stream cut into lines for a reader waiting on them: what an {@link ExecSession} reads its answers from.
 * {@link #end()} wakes the reader for good (the exec closed).
 */
public final class LineQueue extends OutputStream {

    /** Put after the last line: a sentinel no command can print (compared by identity). */
    private static final String END = new String("<end of stream>");

    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final java.io.ByteArrayOutputStream partial = new java.io.ByteArrayOutputStream();
    private volatile boolean ended;

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            lines.add(partial.toString(StandardCharsets.UTF_8));
            partial.reset();
        } else {
            partial.write(b);
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            write(b[i]);
        }
    }

    public void end() {
        ended = true;
        lines.add(END);
    }

    public boolean ended() {
        return ended;
    }

    /** The lines before {@code end}, or empty when the stream ended or the time ran out first. */
    public Optional<String> readUntil(String end, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        StringBuilder text = new StringBuilder();
        while (true) {
            String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null || line == END) {
                if (line == END) {
                    lines.add(END);
                }
                return Optional.empty();
            }
            if (line.equals(end)) {
                return Optional.of(text.toString());
            }
            text.append(line).append('\n');
        }
    }
}
