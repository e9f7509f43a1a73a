package io.netconform.bench;

/** A file given to the benchmark tools is missing, unreadable, or not what it should be. */
public class BenchInputException extends IllegalArgumentException {

    public BenchInputException(String message) {
        super(message);
    }

    public BenchInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
