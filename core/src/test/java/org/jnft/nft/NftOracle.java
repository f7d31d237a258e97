package org.jnft.nft;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs real nft 1.0.6 in a throw-away network namespace ({@code unshare -n}). In CI (env CI=true) it must
 * be there (the CI script installs nftables and runs as root); elsewhere tests skip without it.
 */
final class NftOracle {
    record Result(int exit, String stdout, String stderr) {}

    private static Boolean available;

    private NftOracle() {}

    static String binary() {
        for (String p : List.of("/usr/sbin/nft", "/sbin/nft", "/usr/bin/nft")) {
            if (Files.isExecutable(Path.of(p))) return p;
        }
        return null;
    }

    static synchronized boolean available() {
        if (available == null) {
            String nft = binary();
            boolean ok = false;
            if (nft != null) {
                try {
                    Result r = run(List.of("unshare", "-n", nft, "--version"));
                    ok = r.exit == 0 && r.stdout.contains("v1.0.6");
                } catch (IOException e) {
                    ok = false;
                }
            }
            available = ok;
        }
        return available;
    }

    /** Skips outside CI when nft cannot run; fails in CI. */
    static void require() {
        if ("true".equals(System.getenv("CI"))) {
            if (!available()) throw new AssertionError("CI=true but nft 1.0.6 cannot run via unshare -n (root?)");
            return;
        }
        Assumptions.assumeTrue(available(), "nft 1.0.6 not runnable here (needs root and unshare)");
    }

    static Result check(Path file) throws IOException {
        return run(List.of("unshare", "-n", binary(), "--debug=netlink", "-c", "-f", file.toString()));
    }

    static Result run(List<String> cmd) throws IOException {
        Path out = Files.createTempFile("nft-out", ".txt"), err = Files.createTempFile("nft-err", ".txt");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("nft timed out: " + cmd);
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
