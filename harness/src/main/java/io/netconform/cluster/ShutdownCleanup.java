package io.netconform.cluster;

/**
 * A cleanup that must also run on Ctrl-C: registered as a JVM shutdown hook on first use, unregistered when the
 * owner cleans up normally (so the JVM does not run it twice).
 */
final class ShutdownCleanup {

    private final String name;
    private final Runnable cleanup;
    private Thread hook;

    ShutdownCleanup(String name, Runnable cleanup) {
        this.name = name;
        this.cleanup = cleanup;
    }

    synchronized void register() {
        if (hook != null) {
            return;
        }
        hook = new Thread(cleanup, name);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    synchronized void unregister() {
        if (hook == null) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or about to; it cleans up the same objects
        }
        hook = null;
    }
}
