package io.netconform.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The top-level {@code ./netconform} launcher keeps the jar's exit codes (make turns every failure into 2, so CI could
 * not tell "the network is broken" from "could not run"), passes arguments through untouched, and builds the jar only
 * when it is missing or older than the sources. Run against a copy of the launcher beside a stand-in jar whose main
 * exits with the code it is given, so the test needs neither a cluster nor a packaged netconform.
 */
class LauncherTest {

    @TempDir
    Path repo;
    Path jar;
    Path bin;

    @BeforeEach
    void layout() throws Exception {
        Files.copy(Path.of(System.getProperty("netconform.policies", "../policies")).getParent().resolve("netconform"),
                repo.resolve("netconform"));
        repo.resolve("netconform").toFile().setExecutable(true);
        Files.createDirectories(repo.resolve("scenarios/src/main/java"));
        Files.createDirectories(repo.resolve("harness/src"));
        Files.createDirectories(repo.resolve("policies"));
        Files.writeString(repo.resolve("pom.xml"), "<project/>");
        Files.writeString(repo.resolve("scenarios/pom.xml"), "<project/>");
        Path source = Files.writeString(repo.resolve("scenarios/src/main/java/Main.java"),
                "public class Main { public static void main(String[] a) { System.out.println(String.join(\"|\", a));"
                        + " System.exit(Integer.parseInt(a[0])); } }");
        jar = Files.createDirectories(repo.resolve("scenarios/target")).resolve("netconform.jar");
        writeJar(source, jar);
        // only what the launcher needs: a shell's basics and java, and no mvn unless a test puts one there
        bin = Files.createDirectories(repo.resolve("bin"));
        for (String tool : List.of("sh", "dirname", "find", "head")) {
            Files.createSymbolicLink(bin.resolve(tool), Path.of("/usr/bin", tool).toRealPath());
        }
        Files.createSymbolicLink(bin.resolve("java"), Path.of(System.getProperty("java.home"), "bin", "java"));
    }

    @Test
    void theJarsExitCodesAndArgumentsComeThroughUnchanged() throws Exception {
        for (int code : List.of(0, 1, 2)) {
            Result r = launch(Integer.toString(code), "--include-tags", "dns, mtu");
            assertThat(r.exit).as(r.output).isEqualTo(code);
            assertThat(r.output).contains(code + "|--include-tags|dns, mtu");
        }
    }

    @Test
    void aJarOlderThanTheSourcesIsRebuiltFirst() throws Exception {
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(3600)));
        Path calls = repo.resolve("mvn-calls");
        Path mvn = Files.writeString(bin.resolve("mvn"), "#!/bin/sh\necho \"$*\" >> " + calls + "\n: > /dev/null\n"
                + "touch " + jar + "\n");
        mvn.toFile().setExecutable(true);
        Files.createSymbolicLink(bin.resolve("touch"), Path.of("/usr/bin/touch").toRealPath());

        Result r = launch("1", "run");

        assertThat(r.exit).as(r.output).isEqualTo(1);
        assertThat(Files.readString(calls)).contains("package -DskipTests");
        assertThat(r.output).contains("building").contains("1|run");
        assertThat(launch("0").output).as("fresh now: no second build").doesNotContain("building");
    }

    @Test
    void noJarAndNoMavenIsExitTwoSayingWhy() throws Exception {
        Files.delete(jar);
        Result r = launch("0");
        assertThat(r.exit).isEqualTo(2);
        assertThat(r.output).contains("netconform.jar is missing and Maven (mvn) is not on the PATH");
    }

    record Result(int exit, String output) {
    }

    private Result launch(String... args) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(concat(repo.resolve("netconform").toString(), args))
                .redirectErrorStream(true);
        pb.environment().put("PATH", bin.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("launcher finished").isTrue();
        return new Result(p.exitValue(), out);
    }

    private static List<String> concat(String first, String... rest) {
        List<String> all = new java.util.ArrayList<>(List.of(first));
        all.addAll(List.of(rest));
        return all;
    }

    private static void writeJar(Path source, Path jar) throws IOException {
        Path classes = Files.createTempDirectory("launcher-main");
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(), source.toString());
        assertThat(rc).as("compiling the stand-in main").isZero();
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "Main");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            out.putNextEntry(new JarEntry("Main.class"));
            out.write(Files.readAllBytes(classes.resolve("Main.class")));
            out.closeEntry();
        }
    }
}
