package org.jnft.ctl;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * External oracles for tests (tshark, kernel-replay). Outside CI a missing tool skips the test; in CI
 * (CI=true) it fails it, since .ci/run installs every tool.
 */
final class Tools {
    private Tools() {}

    static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    static void require(boolean available, String what) {
        if (inCi() && !available) {
            throw new AssertionError("CI=true but " + what + " is not available");
        }
        assumeTrue(available, what + " is not available");
    }

    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/sbin", tool));
    }

    static boolean isRoot() {
        try {
            return run(List.of("id", "-u"), 10).out().trim().equals("0");
        } catch (IOException e) {
            return false;
        }
    }

    /** The repository root (the parent of core/). */
    static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("core").resolve("pom.xml"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("cannot find the repository root from " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    static Path kernelReplay() {
        return repoRoot().resolveSibling("shared").resolve("tools").resolve("kernel-replay");
    }

    record Result(int exit, String out, String err) {}

    static Result run(List<String> cmd, int timeoutSeconds) throws IOException {
        Path out = Files.createTempFile("jnft-tool", ".out");
        Path err = Files.createTempFile("jnft-tool", ".err");
        try {
            Process p = new ProcessBuilder(new ArrayList<>(cmd)).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new IOException(cmd + " timed out after " + timeoutSeconds + " s");
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
