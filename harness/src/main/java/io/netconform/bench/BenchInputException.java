package io.netconform.bench;

import io.netconform.InputException;

/** A file given to the benchmark tools is missing, unreadable, or not what it should be. */
public class BenchInputException extends InputException {

    public BenchInputException(String message) {
        super(message);
    }

    public BenchInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
