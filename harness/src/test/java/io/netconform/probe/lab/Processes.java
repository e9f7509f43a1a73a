package io.netconform.probe.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Stopping process trees the lab started, and telling whether one still runs. */
final class Processes {

    private static final long GRACE_MILLIS = 1000;

    private Processes() {
    }

    static void destroyTree(ProcessHandle root) {
        destroyTrees(List.of(root));
    }

    /**
     * Kills processes and everything they started: SIGTERM to all at once, then SIGKILL to whatever still
     * runs after one shared grace period (so ten servers cost one second at worst, not ten).
     */
    static void destroyTrees(Collection<ProcessHandle> roots) {
        List<ProcessHandle> all = new ArrayList<>();
        for (ProcessHandle root : roots) {
            all.addAll(root.descendants().toList());
            all.add(root);
        }
        all.forEach(ProcessHandle::destroy);
        long deadline = System.currentTimeMillis() + GRACE_MILLIS;
        while (all.stream().anyMatch(p -> isRunning(p.pid())) && System.currentTimeMillis() < deadline) {
            pause();
        }
        all.stream().filter(p -> isRunning(p.pid())).forEach(ProcessHandle::destroyForcibly);
    }

    /**
     * True while {@code pid} exists and is not a zombie. A killed orphan stays a zombie until the machine's
     * init reaps it, which may take seconds (or, under a container init that never reaps, forever);
     * {@link ProcessHandle#isAlive()} counts zombies as alive.
     */
    static boolean isRunning(long pid) {
        if (ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isEmpty()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // "pid (comm) S ...": comm may contain spaces and parentheses, the state follows the last ')'
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException | RuntimeException gone) {
            return false;
        }
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            // cleanup runs to the end; the caller restores the interrupt
        }
    }
}
