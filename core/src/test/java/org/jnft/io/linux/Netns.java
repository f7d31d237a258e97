package org.jnft.io.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Assumptions;

/**
 * Throw-away network namespaces for the live tests, named {@code jnftio-PID-N-SUFFIX}, deleted on
 * {@link #close} (and by a shutdown hook should a test die). The tests need root: without it they are
 * skipped, except under CI=true, where they run (and fail) so that a misconfigured runner shows.
 */
final class Netns implements AutoCloseable {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final String PREFIX = "jnftio-" + ProcessHandle.current().pid() + "-";
    private final List<String> names = new ArrayList<>();
    private final Thread hook = new Thread(this::deleteAll);

    static void assumeRoot() {
        boolean root = "root".equals(System.getProperty("user.name"));
        Assumptions.assumeTrue(root || "true".equals(System.getenv("CI")), "needs root (network namespaces)");
    }

    Netns() {
        assumeRoot();
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Creates a namespace with loopback up; returns its name. */
    String add(String suffix) throws IOException {
        String name = PREFIX + SEQ.incrementAndGet() + "-" + suffix;
        run("ip", "netns", "add", name);
        names.add(name);
        run("ip", "-n", name, "link", "set", "lo", "up");
        return name;
    }

    /** Runs {@code ip -n NS ARGS...} (ARGS split on blanks). */
    String ip(String ns, String args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", ns));
        cmd.addAll(List.of(args.trim().split("\\s+")));
        return run(cmd.toArray(String[]::new));
    }

    /** Runs a command inside NS ({@code ip netns exec}). */
    String exec(String ns, String... cmd) throws IOException {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        c.addAll(List.of(cmd));
        return run(c.toArray(String[]::new));
    }

    Process start(String ns, String... cmd) throws IOException {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        c.addAll(List.of(cmd));
        return new ProcessBuilder(c).redirectErrorStream(true).start();
    }

    <T> T in(String ns, Callable<T> body) throws Exception {
        return NetNamespace.call(ns, body);
    }

    static String run(String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + ": timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + ": exit " + p.exitValue() + ": " + out);
        }
        return out;
    }

    private void deleteAll() {
        for (String n : names) {
            try {
                run("ip", "netns", "del", n);
            } catch (IOException e) {
                // already gone
            }
        }
        names.clear();
    }

    @Override
    public void close() {
        deleteAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // shutting down
        }
    }
}
