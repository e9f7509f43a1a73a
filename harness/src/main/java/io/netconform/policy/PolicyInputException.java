package io.netconform.policy;

/**
 * A policy fixture or model file that cannot be used. The message is meant for the person who wrote
 * the file: it names the file, the line or document where known, and what is wrong.
 */
public class PolicyInputException extends RuntimeException {

    public PolicyInputException(String message) {
        super(message);
    }

    public PolicyInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
