package io.netconform.report;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Objects;

/** The fixture summaries under {@code src/test/resources/summaries/}, shared with the compare command's tests. */
public final class SummaryFixtures {

    private SummaryFixtures() {
    }

    public static Path path(String name) {
        try {
            return Path.of(Objects.requireNonNull(SummaryFixtures.class.getResource("/summaries/" + name),
                    "no fixture summaries/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Summary read(String name) {
        return Summary.read(path(name));
    }
}
