package io.netconform.policy;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where a case's policy files ({@code apply("multi-tier/")}) are found: a directory on disk first, so a user can edit
 * a fixture next to the jar and rerun without rebuilding, else the copy the jar carries under {@code policies/}.
 */
public final class PolicyFixtures {

    /** The property that names the directory (the build points it at the repository's policies/). */
    public static final String PROPERTY = "netconform.policies";

    private final Path directory;
    private final String resourceRoot;

    /** Looks in {@code directory}, then in the class path under {@code resourceRoot} (e.g. "/policies/"). */
    PolicyFixtures(Path directory, String resourceRoot) {
        this.directory = directory;
        this.resourceRoot = resourceRoot.endsWith("/") ? resourceRoot : resourceRoot + "/";
    }

    /** The run's fixtures: the directory named by {@value #PROPERTY}, else policies/ in the working directory; then the jar's. */
    public static PolicyFixtures ofRun() {
        String dir = System.getProperty(PROPERTY);
        return new PolicyFixtures(Path.of(dir == null ? "policies" : dir), "/policies/");
    }

    /** The fixture's path (a file or a directory of files); in the jar, a path of the jar's file system. */
    public Path find(String name) {
        Path onDisk = directory.resolve(name);
        if (Files.exists(onDisk)) {
            return onDisk;
        }
        URL url = PolicyFixtures.class.getResource(resourceRoot + name);
        if (url == null) {
            throw new IllegalArgumentException("no policy fixture '" + name + "' in " + directory.toAbsolutePath()
                    + " or in the jar's " + resourceRoot.substring(1));
        }
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                // Path.of on a jar: URI needs the zip file system open; another thread or an earlier call may have opened it
                try {
                    FileSystems.getFileSystem(uri);
                } catch (FileSystemNotFoundException e) {
                    try {
                        FileSystems.newFileSystem(uri, Map.of());
                    } catch (java.nio.file.FileSystemAlreadyExistsException raced) {
                        // opened meanwhile: fine
                    }
                }
            }
            return Path.of(uri);
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("cannot read policy fixture " + url + ": " + e.getMessage(), e);
        }
    }
}
