package io.netconform.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which tags a run leaves out: the README's `--include-tags services,hostnetwork` must select those suites. */
class RunTagsTest {

    @Test
    void theOptInSuitesAreLeftOutUnlessNamed() {
        assertThat(RunCommand.excludedTags(List.of(), null)).containsExactly("bench", "services", "hostnetwork");
        assertThat(RunCommand.excludedTags(List.of("services", "hostnetwork"), null)).containsExactly("bench");
        assertThat(RunCommand.excludedTags(List.of("bench"), null)).containsExactly("services", "hostnetwork");
    }

    @Test
    void givenExclusionsAddToTheOptInSuitesNeverReplaceThem() {
        assertThat(RunCommand.excludedTags(List.of(), List.of("clusterpolicy")))
                .containsExactly("bench", "services", "hostnetwork", "clusterpolicy");
        assertThat(RunCommand.excludedTags(List.of("services"), List.of("services"))).containsExactly("bench", "hostnetwork", "services");
        assertThat(RunCommand.excludedTags(List.of("bench", "services", "hostnetwork"), List.of())).isEmpty();
    }
}
