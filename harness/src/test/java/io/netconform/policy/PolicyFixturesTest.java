package io.netconform.policy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Fixture lookup: the directory on disk first (edit and rerun without a rebuild), else the jar's copy. */
class PolicyFixturesTest {

    static final String IN_CLASS_PATH = "/fixture-lookup/policies/";

    @Test
    void aFixtureOnDiskWinsOverTheJarsCopy(@TempDir Path dir) throws Exception {
        Path edited = dir.resolve("lookup/on-both.yaml");
        Files.createDirectories(edited.getParent());
        Files.writeString(edited, "# edited by the user\n");

        Path found = new PolicyFixtures(dir, IN_CLASS_PATH).find("lookup/on-both.yaml");

        assertThat(found).isEqualTo(edited);
        assertThat(Files.readString(found)).contains("edited by the user");
    }

    @Test
    void aFixtureMissingOnDiskComesFromTheClassPath(@TempDir Path dir) throws Exception {
        Path found = new PolicyFixtures(dir, IN_CLASS_PATH).find("lookup/only-in-jar.yaml");

        assertThat(found).isNotEqualTo(dir.resolve("lookup/only-in-jar.yaml"));
        assertThat(Files.readString(found)).contains("name: from-the-jar");
        assertThat(PolicyFiles.loadAll(found).networkPolicies()).singleElement()
                .satisfies(p -> assertThat(p.getMetadata().getName()).isEqualTo("from-the-jar"));
    }

    @Test
    void aDirectoryFixtureIsFoundLikeAFile(@TempDir Path dir) {
        assertThat(new PolicyFixtures(dir, IN_CLASS_PATH).find("lookup")).isDirectory();
    }

    @Test
    void aFixtureNowhereNamesBothPlacesItLooked(@TempDir Path dir) {
        assertThatThrownBy(() -> new PolicyFixtures(dir, IN_CLASS_PATH).find("no-such/case.yaml"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no policy fixture 'no-such/case.yaml'")
                .hasMessageContaining(dir.toAbsolutePath().toString())
                .hasMessageContaining("fixture-lookup/policies/");
    }

    @Test
    void theRunLooksWhereThePropertyPoints(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("mine.yaml"), "# mine\n");
        String before = System.getProperty(PolicyFixtures.PROPERTY);
        System.setProperty(PolicyFixtures.PROPERTY, dir.toString());
        try {
            assertThat(PolicyFixtures.ofRun().find("mine.yaml")).isEqualTo(dir.resolve("mine.yaml"));
        } finally {
            if (before == null) {
                System.clearProperty(PolicyFixtures.PROPERTY);
            } else {
                System.setProperty(PolicyFixtures.PROPERTY, before);
            }
        }
    }
}
