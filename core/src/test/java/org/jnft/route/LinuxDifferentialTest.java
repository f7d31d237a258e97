package org.jnft.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Differential test against Linux: random NET files are run line by line through iproute2 in a throw-away
 * network namespace (veth links, forwarding on, no DAD, as ../shared/tools/kernel-replay does) and through
 * {@link NetFile}; both must accept and reject the same lines, and end with the same local and main tables
 * ({@code ip route show table all}, both families), and answer {@code ip route get} alike for random
 * destinations. Needs root, iproute2, network namespaces and veth; skipped otherwise. Written against
 * Linux 6.x (checked on 6.18). {@code -Djnft.diffNets=N -Djnft.diffSeed=S} for longer runs.
 */
class LinuxDifferentialTest {
    /** Number of random NET files (-Djnft.diffNets=N for a longer run). */
    static final int NETS = Integer.getInteger("jnft.diffNets", 30);

    record Result(int rc, String out) {
    }

    static Result run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timeout: " + String.join(" ", cmd));
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    static Result ip(String ns, String line) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", ns));
        cmd.addAll(List.of(line.trim().split("\\s+")));
        return run(cmd.toArray(new String[0]));
    }

    static boolean available() {
        try {
            if (!"root".equals(System.getProperty("user.name"))) {
                return false;
            }
            String ns = "jnftprobe" + ProcessHandle.current().pid();
            boolean ok = run("ip", "netns", "add", ns).rc() == 0
                    && ip(ns, "link add e0 type veth peer name p0").rc() == 0
                    && ip(ns, "link set e0 up").rc() == 0;
            run("ip", "netns", "del", ns);
            return ok;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    void acceptsAndBuildsTheSameTablesAsLinux() throws Exception {
        if ("true".equals(System.getenv("CI")) && !available()) {
            throw new AssertionError("CI=true but root, iproute2 or network namespaces are missing");
        }
        assumeTrue(available(), "needs root, iproute2 and network namespaces");
        long seed = Long.getLong("jnft.diffSeed", 0xD1FFL);
        for (int t = 0; t < NETS; t++) {
            one(seed + t);
        }
    }

    void one(long seed) throws Exception {
        Random rnd = new Random(seed);
        String ns = "jnftdiff" + ProcessHandle.current().pid() + "s" + seed;
        assertThat(run("ip", "netns", "add", ns).rc()).isZero();
        try {
            run("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv4.ip_forward=1",
                    "net.ipv6.conf.all.forwarding=1", "net.ipv6.conf.default.accept_dad=0",
                    "net.ipv6.conf.all.accept_dad=0");
            ip(ns, "link set lo up");
            List<String> accepted = new ArrayList<>();
            int links = 2 + rnd.nextInt(2);
            int[] mtus = {1500, 1500, 9000, 1280, 1000};
            for (int k = 0; k < links; k++) {
                int mtu = mtus[rnd.nextInt(mtus.length)];
                String line = "link add e" + k + " address 02:00:00:00:00:0" + (k + 1) + (mtu == 1500 ? "" : " mtu " + mtu);
                NetFile.parse(String.join("\n", accepted) + "\n" + line + "\n", "N");
                Result r = ip(ns, "link add e" + k + " address 02:00:00:00:00:0" + (k + 1) + " mtu " + mtu
                        + " type veth peer name p" + k);
                assertThat(r.rc()).as(r.out()).isZero();
                ip(ns, "link set e" + k + " up");
                ip(ns, "link set p" + k + " up");
                accepted.add(line);
                if (mtu >= 1280) {
                    waitFor(ns, "-6 route show table local dev e" + k, "local fe80::");
                }
            }
            for (int i = 0; i < 16; i++) {
                String line = randomLine(rnd, links);
                boolean mine;
                String why;
                try {
                    NetFile.parse(String.join("\n", accepted) + "\n" + line + "\n", "N");
                    mine = true;
                    why = "accepted";
                } catch (NetFileException e) {
                    assertThat(e.line()).isEqualTo(accepted.size() + 1);
                    mine = false;
                    why = e.getMessage();
                }
                String linuxLine = line.startsWith("addr add") && line.contains(":") ? line + " nodad" : line;
                Result r = ip(ns, linuxLine);
                assertThat(mine).as("seed %x: \"%s\": jnft %s, Linux rc %d %s", seed, line, why, r.rc(), r.out())
                        .isEqualTo(r.rc() == 0);
                if (mine) {
                    accepted.add(line);
                }
            }
            NetConfig c = NetFile.parse(String.join("\n", accepted) + "\n", "N");
            TreeSet<String> want = new TreeSet<>();
            for (Route route : c.fib().routes()) {
                if (route.device() != null) {
                    want.add(route.toString());
                }
            }
            TreeSet<String> got = null;
            for (int attempt = 0; attempt < 50; attempt++) {
                got = linuxRoutes(ns);
                if (got.equals(want)) {
                    break;
                }
                Thread.sleep(100);
            }
            TreeSet<String> onlyLinux = new TreeSet<>(got);
            onlyLinux.removeAll(want);
            TreeSet<String> onlyJnft = new TreeSet<>(want);
            onlyJnft.removeAll(got);
            assertThat(got).as("seed %x, NET:%n%s%nonly Linux: %s%nonly jnft: %s", seed, String.join("\n", accepted),
                    onlyLinux, onlyJnft).isEqualTo(want);
            compareLookups(ns, c, rnd, seed);
        } finally {
            run("ip", "netns", "del", ns);
        }
    }

    /** {@code ip route get} for random destinations vs {@link Fib#lookup4}/{@link Fib#lookup6}. */
    static void compareLookups(String ns, NetConfig c, Random rnd, long seed) throws Exception {
        Fib fib = c.fib();
        for (int q = 0; q < 30; q++) {
            boolean v6 = rnd.nextBoolean();
            String dst = v6
                    ? "2001:db8:" + pick(rnd, "0", "1", "2", "7") + "::" + pick(rnd, "", "1", "2", "5", "9", "1:0:0:5")
                    : pick(rnd, "10.", "10.", "10.", "127.") + pick(rnd, "0", "5", "6", "7") + "."
                            + pick(rnd, "0", "1", "2") + "." + pick(rnd, "0", "1", "2", "5", "9", "130", "255");
            if (dst.endsWith("::")) {
                dst = dst.substring(0, dst.length() - 2) + "::";
            }
            String oif = "";
            int hint = 0;
            if (v6 && rnd.nextInt(4) == 0) {
                // a link-local destination needs the interface
                dst = "fe80::" + pick(rnd, "5", "ff:fe00:1", "ff:fe00:2", "ff:fe00:3");
                NetDevice dev = c.devices().links().get(rnd.nextInt(c.devices().links().size()));
                oif = " oif " + dev.name();
                hint = dev.ifindex();
            }
            Result r = ip(ns, (v6 ? "-6" : "-4") + " route get " + dst + oif);
            String linux = r.rc() != 0 ? "none" : describe(r.out().split("\n")[0].trim().split("\\s+"));
            Route route;
            if (v6) {
                long[] a = Inet.parse6(dst);
                route = fib.lookup6(a[0], a[1], hint);
            } else {
                route = fib.lookup4(Inet.parse4(dst));
            }
            String mine = describe(route);
            if (route != null && route.hasGateway() && !route.isIpv6()
                    && (route.device().isLoopback() || c.devices().isLocalIpv4(route.gateway4()))) {
                continue; // known difference: Linux does not use a host-scope gateway as next hop (see NetFile)
            }
            if (!mine.equals(linux) && v6 && route != null && route.type() == Route.UNICAST) {
                // Linux chooses among IPv6 routes of equal prefix and metric by neighbour state; accept any
                boolean tie = false;
                for (Route o : fib.routes()) {
                    if (o.table() == route.table() && o.samePrefix(route) && o.metric() == route.metric()
                            && describe(o).equals(linux)) {
                        tie = true;
                    }
                }
                if (tie) {
                    continue;
                }
            }
            assertThat(mine).as("seed %x: route get %s: Linux said %s", seed, dst, r.out().strip()).isEqualTo(linux);
        }
    }

    static String describe(Route r) {
        if (r == null) {
            return "none";
        }
        return switch (r.type()) {
            case Route.LOCAL -> "local";
            case Route.ANYCAST -> "anycast";
            case Route.BROADCAST -> "broadcast dev " + r.device().name();
            default -> (r.hasGateway()
                    ? "via " + (r.isIpv6() ? Inet.format6(r.gatewayHi(), r.gatewayLo()) : Inet.format4(r.gateway4()))
                            + " "
                    : "") + "dev " + r.device().name();
        };
    }

    static String describe(String[] t) {
        String type = switch (t[0]) {
            case "local", "anycast", "broadcast", "multicast", "unreachable", "blackhole", "prohibit" -> t[0];
            default -> "unicast";
        };
        String dev = null;
        String via = null;
        for (int i = 0; i + 1 < t.length; i++) {
            if (t[i].equals("dev")) {
                dev = t[i + 1];
            } else if (t[i].equals("via")) {
                via = t[i + 1];
            }
        }
        return switch (type) {
            case "local", "anycast" -> type;
            case "broadcast" -> "broadcast dev " + dev;
            case "unicast" -> (via != null ? "via " + via + " " : "") + "dev " + dev;
            default -> type;
        };
    }

    static void waitFor(String ns, String cmd, String text) throws Exception {
        for (int i = 0; i < 50; i++) {
            if (ip(ns, cmd).out().contains(text)) {
                return;
            }
            Thread.sleep(100);
        }
    }

    static TreeSet<String> linuxRoutes(String ns) throws Exception {
        TreeSet<String> out = new TreeSet<>();
        for (String family : new String[] {"-4", "-6"}) {
            for (String l : ip(ns, family + " route show table all").out().split("\n")) {
                String s = l.replaceAll(" scope \\S+", "").replaceAll(" src \\S+", "").replace(" pref medium", "")
                        .replace(" linkdown", "").strip();
                if (s.isEmpty() || s.matches(".* dev p\\d+\\b.*")) {
                    continue;
                }
                out.add(s);
            }
        }
        return out;
    }

    static String pick(Random rnd, String... xs) {
        return xs[rnd.nextInt(xs.length)];
    }

    static String dev(Random rnd, int links) {
        return rnd.nextInt(10) == 0 ? "lo" : "e" + rnd.nextInt(links);
    }

    static String randomLine(Random rnd, int links) {
        String metric = rnd.nextInt(10) < 6 ? "" : " metric " + pick(rnd, "0", "5", "256", "1024");
        return switch (rnd.nextInt(5)) {
            case 0 -> "addr add 10.0." + rnd.nextInt(3) + "." + pick(rnd, "1", "2", "9", "130") + "/"
                    + pick(rnd, "24", "24", "16", "31", "32", "25") + " dev " + dev(rnd, links);
            case 1 -> "addr add 2001:db8:" + rnd.nextInt(3) + "::" + pick(rnd, "1", "2", "9") + "/"
                    + pick(rnd, "64", "64", "48", "128", "127", "126") + " dev " + dev(rnd, links);
            case 2 -> {
                String prefix = rnd.nextInt(10) == 0 ? "default"
                        : "10." + pick(rnd, "0", "5", "6", "7") + "." + pick(rnd, "0", "0", "1", "2") + "."
                                + pick(rnd, "0", "0", "0", "5") + "/" + pick(rnd, "8", "16", "24", "32", "25");
                String via = rnd.nextBoolean() ? ""
                        : " via " + (prefix.startsWith("10.6") ? "10.6.1." : "10.0." + rnd.nextInt(3) + ".")
                                + pick(rnd, "1", "2", "5", "254", "255", "0");
                yield "route add " + prefix + via + " dev " + dev(rnd, links) + metric;
            }
            case 3 -> {
                String prefix = rnd.nextInt(10) == 0 ? "default"
                        : "2001:db8:" + pick(rnd, "0", "1", "2", "7") + "::" + pick(rnd, "", "", "5") + "/"
                                + pick(rnd, "48", "64", "64", "128", "127");
                String via = rnd.nextInt(3) == 0 ? ""
                        : " via " + (rnd.nextBoolean() ? "fe80::" + pick(rnd, "1", "5")
                                : "2001:db8:" + rnd.nextInt(3) + "::" + pick(rnd, "1", "5"));
                if (prefix.equals("default") && via.isEmpty()) {
                    via = " via fe80::1";
                }
                yield "route add " + prefix + via + " dev " + dev(rnd, links) + metric;
            }
            default -> "neigh add " + (rnd.nextBoolean() ? "10.0." + rnd.nextInt(3) + ".7" : "2001:db8::" + rnd.nextInt(9))
                    + " lladdr 02:00:00:00:01:0" + rnd.nextInt(10) + " dev e" + rnd.nextInt(links);
        };
    }
}
