package io.netconform.policy;

import io.netconform.InputException;

/**
 * A policy fixture or model file that cannot be used. The message is meant for the person who wrote
 * the file: it names the file, the line or document where known, and what is wrong.
 */
public class PolicyInputException extends InputException {

    public PolicyInputException(String message) {
        super(message);
    }

    public PolicyInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
