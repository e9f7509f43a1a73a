package io.netconform;

/**
 * Something the user gave cannot be used: a flag, a file, a kubeconfig, a cluster the credentials cannot reach or
 * use. The message is the whole story for a person (what, where, what is expected); the CLI prints it without a
 * stack trace and exits 2 ("could not run"). Subtypes say which kind of input.
 */
public class InputException extends RuntimeException {
    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }
}
