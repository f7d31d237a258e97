package org.jnft.live;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The topology of Linux's selftest nft_flowtable.sh, in throw-away network namespaces:
 *
 * <pre>
 *  ns1 eth0 (mtu 9000) -- veth0 nsr1 veth1 (mtu 1500) -- veth0 nsr2 veth1 (mtu 2000) -- eth0 ns2
 *  10.0.1.99 dead:1::99    10.0.1.1   192.168.10.1         192.168.10.2   10.0.2.1        10.0.2.99 dead:2::99
 *                          dead:1::1  fee1:2::1            fee1:2::2      dead:2::1
 * </pre>
 *
 * nsr1 is jnft ({@code jnft daemon} as a subprocess, the kernel not forwarding), nsr2 the Linux kernel
 * forwarding. Namespaces are named {@code jnfte-PID-N-ROLE} (no clash with parallel runs) and deleted on
 * {@link #close} or by a shutdown hook. Root is needed: without it the tests are skipped, except under
 * CI=true, where they run (and fail) so that a misconfigured runner shows.
 */
final class Topology implements AutoCloseable {
    private static final AtomicInteger SEQ = new AtomicInteger();
    static final String ORIG_MTU = "9000", LINK_MTU = "1500", RESP_MTU = "2000";

    final String ns1;
    final String nsr1;
    final String nsr2;
    final String ns2;
    final Path dir;
    private final List<String> names = new ArrayList<>();
    private final List<Process> processes = new CopyOnWriteArrayList<>();
    private final Thread hook = new Thread(this::cleanUp);

    static void assumeRoot() {
        boolean root = "root".equals(System.getProperty("user.name"));
        Assumptions.assumeTrue(root || "true".equals(System.getenv("CI")), "needs root (network namespaces)");
    }

    /** Builds the topology, addresses and routes (nsr1's included: the daemon reads them from the kernel). */
    Topology() throws IOException {
        assumeRoot();
        Runtime.getRuntime().addShutdownHook(hook);
        String prefix = "jnfte-" + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet() + "-";
        ns1 = prefix + "ns1";
        nsr1 = prefix + "r1";
        nsr2 = prefix + "r2";
        ns2 = prefix + "ns2";
        dir = Files.createTempDirectory("jnft-live-");
        try {
            for (String n : List.of(ns1, nsr1, nsr2, ns2)) {
                run("ip", "netns", "add", n);
                names.add(n);
                ip(n, "link set lo up");
            }
            run("ip", "link", "add", "veth0", "netns", nsr1, "type", "veth", "peer", "name", "eth0", "netns", ns1);
            run("ip", "link", "add", "veth1", "netns", nsr1, "type", "veth", "peer", "name", "veth0", "netns", nsr2);
            run("ip", "link", "add", "veth1", "netns", nsr2, "type", "veth", "peer", "name", "eth0", "netns", ns2);
            ip(nsr1, "link set veth0 mtu " + ORIG_MTU);
            ip(ns1, "link set eth0 mtu " + ORIG_MTU);
            ip(nsr1, "link set veth1 mtu " + LINK_MTU);
            ip(nsr2, "link set veth0 mtu " + LINK_MTU);
            ip(nsr2, "link set veth1 mtu " + RESP_MTU);
            ip(ns2, "link set eth0 mtu " + RESP_MTU);
            ip(nsr1, "addr add 10.0.1.1/24 dev veth0");
            ip(nsr1, "addr add dead:1::1/64 dev veth0 nodad");
            ip(nsr1, "addr add 192.168.10.1/24 dev veth1");
            ip(nsr1, "addr add fee1:2::1/64 dev veth1 nodad");
            ip(nsr2, "addr add 192.168.10.2/24 dev veth0");
            ip(nsr2, "addr add fee1:2::2/64 dev veth0 nodad");
            ip(nsr2, "addr add 10.0.2.1/24 dev veth1");
            ip(nsr2, "addr add dead:2::1/64 dev veth1 nodad");
            ip(ns1, "addr add 10.0.1.99/24 dev eth0");
            ip(ns1, "addr add dead:1::99/64 dev eth0 nodad");
            ip(ns2, "addr add 10.0.2.99/24 dev eth0");
            ip(ns2, "addr add dead:2::99/64 dev eth0 nodad");
            for (String dev : List.of("veth0", "veth1")) {
                ip(nsr1, "link set " + dev + " up");
                ip(nsr2, "link set " + dev + " up");
            }
            ip(ns1, "link set eth0 up");
            ip(ns2, "link set eth0 up");
            sysctl(nsr1, "net.ipv4.ip_forward=0", "net.ipv6.conf.all.forwarding=0");
            sysctl(nsr2, "net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1");
            for (String n : List.of(ns1, ns2)) {
                sysctl(n, "net.ipv4.tcp_no_metrics_save=1");
            }
            ip(ns1, "route add default via 10.0.1.1");
            ip(ns1, "-6 route add default via dead:1::1");
            ip(ns2, "route add default via 10.0.2.1");
            ip(ns2, "-6 route add default via dead:2::1");
            ip(nsr1, "route add default via 192.168.10.2");
            ip(nsr1, "-6 route add default via fee1:2::2");
            ip(nsr2, "route add default via 192.168.10.1");
            ip(nsr2, "-6 route add default via fee1:2::1");
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The selftest's ruleset for nsr1: a flowtable, flows to port 12345 marked, offloaded and counted. */
    static String flowtableRuleset(String extraTables) {
        return """
                table inet filter {
                  flowtable f1 {
                    hook ingress priority 0
                    devices = { veth0, veth1 }
                  }

                  counter routed_orig { }
                  counter routed_repl { }

                  chain forward {
                    type filter hook forward priority 0; policy drop;
                    meta oif "veth1" tcp dport 12345 ct mark set 1 flow add @f1 counter name routed_orig accept
                    meta oif "veth0" ct status dnat tcp dport 12345 ct mark set 1 flow add @f1 counter name routed_orig accept
                    ct mark 1 counter name ct direction map { original : routed_orig, reply : routed_repl } accept
                    ct state established,related accept
                    meta nfproto ipv4 meta l4proto icmp accept
                    meta nfproto ipv6 meta l4proto icmpv6 accept
                  }
                }
                """ + extraTables;
    }

    /** Masquerade towards nsr2 and a port forward from nsr1's outside address to ns1, as the selftest's NAT. */
    static final String NAT_TABLE = """
            table ip nat {
              chain prerouting {
                type nat hook prerouting priority 0; policy accept;
                meta iifname "veth1" ip daddr 192.168.10.1 tcp dport 8080 counter dnat ip to 10.0.1.99:12345
              }
              chain postrouting {
                type nat hook postrouting priority 0; policy accept;
                meta oifname "veth1" counter masquerade
              }
            }
            """;

    // ------------------------------------------------------------------ commands

    String ip(String ns, String args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", ns));
        cmd.addAll(List.of(args.trim().split("\\s+")));
        return run(cmd.toArray(String[]::new));
    }

    void sysctl(String ns, String... kv) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, "sysctl", "-q", "-w"));
        cmd.addAll(List.of(kv));
        run(cmd.toArray(String[]::new));
    }

    /** Runs a command in NS to its end; its output (stdout and stderr), failing on a non-zero exit. */
    String exec(String ns, String... cmd) throws IOException {
        return run(inNs(ns, cmd));
    }

    /** Runs a command in NS to its end and returns its exit status (output discarded). */
    int status(String ns, String... cmd) throws IOException {
        Process p = new ProcessBuilder(inNs(ns, cmd)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return waitFor(p, 60, String.join(" ", cmd));
    }

    static String[] inNs(String ns, String... cmd) {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        c.addAll(List.of(cmd));
        return c.toArray(String[]::new);
    }

    /** Starts a command in NS with stdin from IN and stdout to OUT (files; null: none), stderr discarded. */
    Process start(String ns, Path in, Path out, String... cmd) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(inNs(ns, cmd));
        pb.redirectInput(in == null ? ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))
                : ProcessBuilder.Redirect.from(in.toFile()));
        pb.redirectOutput(out == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(out.toFile()));
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    static String run(String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = waitFor(p, 60, String.join(" ", cmd));
        if (rc != 0) {
            throw new IOException(String.join(" ", cmd) + ": exit " + rc + ": " + out);
        }
        return out;
    }

    static int waitFor(Process p, int seconds, String what) throws IOException {
        try {
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(what + ": did not end within " + seconds + " s");
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** Polls CHECK every 50 ms until it holds; fails with WHAT after SECONDS. */
    static void await(String what, int seconds, Check check) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (!check.holds()) {
            if (System.nanoTime() > end) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    @FunctionalInterface
    interface Check {
        boolean holds() throws Exception;
    }

    // ------------------------------------------------------------------ traffic

    /** A file of SIZE random bytes (seeded: reproducible). */
    Path randomFile(String name, int size, long seed) throws IOException {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        Path p = dir.resolve(name);
        Files.write(p, b);
        return p;
    }

    /** Waits until a TCP listener on ADDR:PORT exists in NS. */
    void awaitListener(String ns, String addr, int port) throws Exception {
        String want = (addr.contains(":") ? "[" + addr + "]" : addr) + ":" + port;
        await("a listener on " + want + " in " + ns, 20,
                () -> exec(ns, "ss", "-Hlnt", "sport = :" + port).contains(want));
    }

    /** A transfer both ways at once: the listener side, then the connecting side (see {@link #startTransfer}). */
    record Transfer(Process listener, Process client, Path in, Path fromClient, Path fromListener) {
        /** Waits for both ends and checks that each received the other's file whole. */
        void verify() throws Exception {
            int c = waitFor(client, 120, "socat client");
            int l = waitFor(listener, 120, "socat listener");
            assertEquals(0, c, "client socat exit status");
            assertEquals(0, l, "listener socat exit status");
            assertArrayEquals(Files.readAllBytes(in), Files.readAllBytes(fromClient), "file sent by the client");
            assertArrayEquals(Files.readAllBytes(in), Files.readAllBytes(fromListener), "file sent by the listener");
        }
    }

    /**
     * Starts a transfer of IN both ways at once, as the selftest does: socat listens on LADDR:LPORT in LNS
     * and the client in CNS connects to DST:DPORT (IPv6 addresses without brackets); each sends IN and
     * writes what it receives.
     */
    Transfer startTransfer(String lns, String laddr, int lport, String cns, String dst, int dport, Path in)
            throws Exception {
        boolean v6 = dst.contains(":");
        String tag = lns.substring(lns.lastIndexOf('-') + 1) + "-" + lport + "-" + SEQ.incrementAndGet();
        Path fromClient = dir.resolve("at-listener-" + tag);
        Path fromListener = dir.resolve("at-client-" + tag);
        String fam = v6 ? "6" : "4";
        String bind = v6 ? "[" + laddr + "]" : laddr;
        Process l = start(lns, in, fromClient, "socat", "-" + fam,
                "TCP" + fam + "-LISTEN:" + lport + ",reuseaddr,bind=" + bind, "STDIO");
        awaitListener(lns, laddr, lport);
        String target = v6 ? "[" + dst + "]" : dst;
        Process c = start(cns, in, fromListener, "socat", "-" + fam, "TCP" + fam + ":" + target + ":" + dport, "STDIO");
        return new Transfer(l, c, in, fromClient, fromListener);
    }

    /** ns1 to DST:12345 in ns2, both ways (the selftest's transfer). */
    Transfer startTransfer(String dst, Path in) throws Exception {
        return startTransfer(ns2, dst, 12345, ns1, dst, 12345, in);
    }

    void transfer(String dst, Path in) throws Exception {
        startTransfer(dst, in).verify();
    }

    /**
     * A long-lived TCP connection from ns1 to DST:12345 in ns2, where socat echoes what it gets: {@link
     * EchoConnection#roundTrip} sends bytes and reads them back.
     */
    EchoConnection startEcho(String dst) throws Exception {
        boolean v6 = dst.contains(":");
        String fam = v6 ? "6" : "4";
        String host = v6 ? "[" + dst + "]" : dst;
        start(ns2, null, null, "socat", "-" + fam, "TCP" + fam + "-LISTEN:12345,reuseaddr,bind=" + host, "EXEC:cat");
        awaitListener(ns2, dst, 12345);
        Process c = new ProcessBuilder(inNs(ns1, "socat", "-" + fam, "STDIO", "TCP" + fam + ":" + host + ":12345"))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        processes.add(c);
        return new EchoConnection(c);
    }

    /** The client end of {@link #startEcho}. */
    static final class EchoConnection {
        final Process client;
        private final Random random = new Random(7);

        EchoConnection(Process client) {
            this.client = client;
        }

        /** Sends N random bytes and checks that the same N come back (within 30 s). */
        void roundTrip(int n) throws Exception {
            byte[] b = new byte[n];
            random.nextBytes(b);
            client.getOutputStream().write(b);
            client.getOutputStream().flush();
            byte[] back = new byte[n];
            java.util.concurrent.Future<Integer> f = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()
                    .submit(() -> client.getInputStream().readNBytes(back, 0, n));
            assertEquals(n, f.get(30, TimeUnit.SECONDS), "bytes echoed");
            assertArrayEquals(b, back, "echoed bytes");
        }
    }

    // ------------------------------------------------------------------ the daemon

    /** Starts {@code jnft daemon} in nsr1 on veth0 and veth1 with RULES (null: none) and ARGS; waits for ready. */
    JnftDaemon startDaemon(String rules, String... args) throws Exception {
        Path out = Files.createTempDirectory(dir, "out-");
        List<String> cmd = new ArrayList<>(List.of(javaCommand()));
        cmd.addAll(List.of("daemon", "--iface", "veth0", "--iface", "veth1", "--out", out.toString()));
        Path rulesFile = dir.resolve("rules-" + SEQ.incrementAndGet() + ".nft");
        if (rules != null) {
            Files.writeString(rulesFile, rules);
            cmd.addAll(List.of("--ruleset", rulesFile.toString()));
        }
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(inNs(nsr1, cmd.toArray(String[]::new)))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        processes.add(p);
        JnftDaemon d = new JnftDaemon(p, out, rulesFile);
        d.awaitLine("jnft: ready", 60);
        return d;
    }

    /** {@code java ... org.jnft.ctl.Main} on this JVM's class path (the built classes). */
    static String[] javaCommand() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new String[] {java, "--enable-native-access=ALL-UNNAMED", "-XX:+UseParallelGC", "-Xmx1g", "-cp",
                System.getProperty("java.class.path"), "org.jnft.ctl.Main"};
    }

    /** A running daemon: its stderr lines, its state files. */
    static final class JnftDaemon {
        final Process process;
        final Path out;
        final Path rules;
        final List<String> stderr = new CopyOnWriteArrayList<>();

        JnftDaemon(Process process, Path out, Path rules) {
            this.process = process;
            this.out = out;
            this.rules = rules;
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        stderr.add(line);
                    }
                } catch (IOException e) {
                    // the process ended
                }
            }, "jnft-daemon-stderr");
            t.setDaemon(true);
            t.start();
        }

        void awaitLine(String text, int seconds) throws Exception {
            await("daemon stderr line '" + text + "' (stderr so far: " + stderr + ")", seconds, () -> {
                if (!process.isAlive() && stderr.stream().noneMatch(l -> l.contains(text))) {
                    Thread.sleep(200); // let the reader drain
                    if (stderr.stream().noneMatch(l -> l.contains(text))) {
                        fail("daemon exited with " + process.exitValue() + " before '" + text + "': " + stderr);
                    }
                }
                return stderr.stream().anyMatch(l -> l.contains(text));
            });
        }

        long countLines(String text) {
            return stderr.stream().filter(l -> l.contains(text)).count();
        }

        void signal(String sig) throws IOException {
            run("kill", "-" + sig, Long.toString(process.pid()));
        }

        /** SIGUSR1, then waits until the files are written anew. */
        void dump() throws Exception {
            Path stats = out.resolve("stats.txt");
            Files.deleteIfExists(stats);
            signal("USR1");
            await("stats.txt after SIGUSR1", 20, () -> Files.exists(stats));
        }

        String file(String name) throws IOException {
            return Files.readString(out.resolve(name));
        }

        /** SIGTERM; returns the exit status. */
        int stop() throws Exception {
            signal("TERM");
            return waitFor(process, 30, "daemon after SIGTERM");
        }

        /** A named counter's (packets, bytes) from ruleset.nft as last dumped. */
        long[] counter(String name) throws IOException {
            Matcher m = Pattern.compile("counter " + name + " \\{\\s*packets (\\d+) bytes (\\d+)").matcher(file("ruleset.nft"));
            assertTrue(m.find(), "counter " + name + " in ruleset.nft:\n" + file("ruleset.nft"));
            return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
        }

        /** The count of a drop reason in stats.txt as last dumped (0 when absent). */
        long drops(String reason) throws IOException {
            Matcher m = Pattern.compile("(?m)^drop " + reason + " (\\d+)$").matcher(file("stats.txt"));
            return m.find() ? Long.parseLong(m.group(1)) : 0;
        }
    }

    // ------------------------------------------------------------------ cleanup

    private void cleanUp() {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : processes) {
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        processes.clear();
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
        cleanUp();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // shutting down
        }
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }
}
