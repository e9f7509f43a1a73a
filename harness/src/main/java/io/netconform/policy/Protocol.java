package io.netconform.policy;

import java.util.Locale;

/** The transport protocols a NetworkPolicy port can name; each is matched separately. */
public enum Protocol {
    TCP, UDP, SCTP;

    /** Parses a protocol as NetworkPolicy YAML writes it; {@code null} means TCP, the v1 default. */
    public static Protocol parse(String text) {
        if (text == null || text.isBlank()) {
            return TCP;
        }
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown protocol '" + text + "': expected TCP, UDP or SCTP");
        }
    }
}
