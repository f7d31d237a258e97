package org.jnft.io.linux;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GRO/GSO through a forwarder made of two links: ns a (a0 10.77.0.1) -- r0 [ns r: r0 <-> r1, a two-port
 * bridge of AfPacketLinks, no kernel forwarding] r1 -- b0 (10.77.0.2) in ns b, veth offloads as Linux
 * sets them (TSO/GSO on). A socat transfer from a to b makes the sender's TCP emit 64 KiB GSO frames,
 * which r0 hands over whole with their vnet header; r1 sends them with that header, and the file arrives
 * intact. With a tbf qdisc on r1 (4 kB burst) the kernel must segment them itself on r1's transmit, from
 * the metadata the link passed on: b0 then sees no frame over the burst, and the file still arrives intact.
 */
class AfPacketGsoTest {
    static Netns nets;
    static String a, r, b;
    static Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        nets = new Netns();
        a = nets.add("a");
        r = nets.add("r");
        b = nets.add("b");
        nets.ip(r, "link add r0 type veth peer name a0 netns " + a);
        nets.ip(r, "link add r1 type veth peer name b0 netns " + b);
        nets.ip(a, "addr add 10.77.0.1/24 dev a0");
        nets.ip(b, "addr add 10.77.0.2/24 dev b0");
        nets.ip(a, "addr add 2001:db8:77::1/64 dev a0 nodad");
        nets.ip(b, "addr add 2001:db8:77::2/64 dev b0 nodad");
        for (String[] d : new String[][] {{a, "a0"}, {r, "r0"}, {r, "r1"}, {b, "b0"}}) {
            nets.ip(d[0], "link set " + d[1] + " up");
        }
        dir = Files.createTempDirectory("jnftio-gso");
        byte[] data = new byte[24 << 20];
        new Random(42).nextBytes(data);
        Files.write(dir.resolve("in"), data);
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (nets != null) {
            nets.close();
        }
        if (dir != null) {
            for (String f : new String[] {"in", "out1", "out2", "out3"}) {
                Files.deleteIfExists(dir.resolve(f));
            }
            Files.deleteIfExists(dir);
        }
    }

    /** Forwards every frame between r0 and r1 until stopped; counts the largest frame seen. */
    static final class Bridge implements Runnable {
        final AfPacketLink p0, p1;
        final AtomicBoolean stop = new AtomicBoolean();
        volatile Throwable failure;
        int maxLen;
        long gsoFrames;

        Bridge(AfPacketLink p0, AfPacketLink p1) {
            this.p0 = p0;
            this.p1 = p1;
        }

        @Override
        public void run() {
            AfPacketLink.FrameHandler to1 = f -> {
                maxLen = Math.max(maxLen, f.length());
                gsoFrames += f.vnet().isGso() ? 1 : 0;
                p1.send(f);
            };
            AfPacketLink.FrameHandler to0 = f -> p0.send(f);
            try (LinkPoller poller = new LinkPoller(2)) {
                poller.add(p0);
                poller.add(p1);
                while (!stop.get()) {
                    if (!p0.ready() && !p1.ready()) {
                        poller.poll(5);
                    }
                    p0.receive(to1, 0);
                    p1.flush();
                    p1.receive(to0, 0);
                    p0.flush();
                }
            } catch (Throwable t) {
                failure = t;
            }
        }
    }

    /** Sends the file from a to b with socat through the bridge; returns what b received. */
    Path transfer(String out) throws Exception {
        return transfer(out, false);
    }

    Path transfer(String out, boolean v6) throws Exception {
        Path dst = dir.resolve(out);
        Process server = nets.start(b, "socat", "-u", v6 ? "TCP6-LISTEN:5001,reuseaddr,bind=[2001:db8:77::2]"
                : "TCP-LISTEN:5001,reuseaddr,bind=10.77.0.2", "CREATE:" + dst);
        try {
            Process client = nets.start(a, "socat", "-u", "OPEN:" + dir.resolve("in"),
                    (v6 ? "TCP6:[2001:db8:77::2]" : "TCP:10.77.0.2") + ":5001,retry=50,interval=0.1");
            assertThat(client.waitFor(30, TimeUnit.SECONDS)).as("client finished").isTrue();
            assertThat(client.exitValue()).as(new String(client.getInputStream().readAllBytes())).isZero();
            assertThat(server.waitFor(10, TimeUnit.SECONDS)).as("server finished").isTrue();
        } finally {
            server.destroyForcibly();
        }
        return dst;
    }

    @Test
    void tcpGsoFramesAreForwardedWholeAndTheFileArrivesIntact() throws Exception {
        try (AfPacketLink r0 = nets.in(r, () -> AfPacketLink.open("r0"));
             AfPacketLink r1 = nets.in(r, () -> AfPacketLink.open("r1"))) {
            Bridge br = new Bridge(r0, r1);
            Thread t = new Thread(br, "jnftio-bridge");
            t.start();
            long t0 = System.nanoTime();
            Path out;
            try {
                out = transfer("out1");
            } finally {
                br.stop.set(true);
                t.join();
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            assertThat(br.failure).isNull();
            assertThat(Files.mismatch(dir.resolve("in"), out)).isEqualTo(-1L);
            assertThat(br.gsoFrames).as("GSO frames seen on r0").isPositive();
            assertThat(br.maxLen).as("largest frame on r0").isGreaterThan(9000);
            assertThat(r0.rxTruncated()).isZero();
            System.out.printf("jnftio: 24 MiB through the AF_PACKET bridge in %.2f s (%.0f Mbit/s), %d GSO frames,"
                    + " largest %d bytes%n", secs, 24 * 8 * 1.048576 / secs, br.gsoFrames, br.maxLen);
        }
    }

    @Test
    void kernelSegmentsFromTheForwardedMetadataWhenTheDeviceCannot() throws Exception {
        // tbf segments GSO frames longer than its burst in software (tbf_segment), from their metadata
        Netns.run("tc", "-n", r, "qdisc", "add", "dev", "r1", "root", "tbf", "rate", "4gbit", "burst", "4000",
                "latency", "10ms");
        try (AfPacketLink r0 = nets.in(r, () -> AfPacketLink.open("r0"));
             AfPacketLink r1 = nets.in(r, () -> AfPacketLink.open("r1"));
             AfPacketLink tap = nets.in(b, () -> AfPacketLink.open("b0"))) {
            Bridge br = new Bridge(r0, r1);
            Thread t = new Thread(br, "jnftio-bridge");
            t.start();
            int[] maxOnB = new int[1];
            long[] framesOnB = new long[1];
            AtomicBoolean stopTap = new AtomicBoolean();
            Thread tapper = new Thread(() -> {
                try {
                    while (!stopTap.get()) {
                        tap.receive(f -> {
                            maxOnB[0] = Math.max(maxOnB[0], f.length());
                            framesOnB[0]++;
                        }, 5);
                    }
                } catch (NativeException e) {
                    throw new RuntimeException(e);
                }
            }, "jnftio-tap");
            tapper.start();
            Path out;
            try {
                out = transfer("out2");
            } finally {
                br.stop.set(true);
                t.join();
                stopTap.set(true);
                tapper.join();
            }
            assertThat(br.failure).isNull();
            assertThat(Files.mismatch(dir.resolve("in"), out)).isEqualTo(-1L);
            assertThat(br.gsoFrames).as("GSO frames seen on r0").isPositive();
            assertThat(framesOnB[0]).isGreaterThan(24L * 1024 * 1024 / 1500);
            // segments fit tbf's 4000-byte burst (tbf leaves GSO frames that fit it whole)
            assertThat(maxOnB[0]).as("largest frame on b0").isLessThanOrEqualTo(4000);
        } finally {
            Netns.run("tc", "-n", r, "qdisc", "del", "dev", "r1", "root");
        }
    }

    /** 20 UDP echoes from a to b through the bridge (Java sockets made inside the namespaces). */
    static String udpRoundTrips() throws Exception {
        try (java.net.DatagramSocket server = nets.in(b, () -> new java.net.DatagramSocket(
                new java.net.InetSocketAddress("10.77.0.2", 7007)));
             java.net.DatagramSocket client = nets.in(a, () -> new java.net.DatagramSocket())) {
            Thread echo = new Thread(() -> {
                byte[] buf = new byte[64];
                try {
                    while (true) {
                        java.net.DatagramPacket p = new java.net.DatagramPacket(buf, buf.length);
                        server.receive(p);
                        server.send(p);
                    }
                } catch (java.io.IOException closed) {
                    // done
                }
            }, "jnftio-echo");
            echo.start();
            client.setSoTimeout(2000);
            long min = Long.MAX_VALUE, max = 0, sum = 0;
            for (int i = 0; i < 20; i++) {
                byte[] m = {(byte) i};
                long t0 = System.nanoTime();
                client.send(new java.net.DatagramPacket(m, 1, new java.net.InetSocketAddress("10.77.0.2", 7007)));
                client.receive(new java.net.DatagramPacket(new byte[64], 64));
                long us = (System.nanoTime() - t0) / 1000;
                min = Math.min(min, us);
                max = Math.max(max, us);
                sum += us;
            }
            server.close();
            echo.join();
            return "min/avg/max " + min + "/" + sum / 20 + "/" + max + " us";
        }
    }

    @Test
    void tcpOverIpv6GsoFramesToo() throws Exception {
        try (AfPacketLink r0 = nets.in(r, () -> AfPacketLink.open("r0"));
             AfPacketLink r1 = nets.in(r, () -> AfPacketLink.open("r1"))) {
            Bridge br = new Bridge(r0, r1);
            Thread t = new Thread(br, "jnftio-bridge");
            t.start();
            Path out;
            String ping;
            try {
                out = transfer("out3", true);
                ping = udpRoundTrips();
            } finally {
                br.stop.set(true);
                t.join();
            }
            assertThat(br.failure).isNull();
            assertThat(Files.mismatch(dir.resolve("in"), out)).isEqualTo(-1L);
            assertThat(br.gsoFrames).as("GSO frames seen on r0").isPositive();
            assertThat(br.maxLen).isGreaterThan(9000);
            System.out.println("jnftio: UDP round trips through the bridge (block retire timeout "
                    + r0.options().retireTimeoutMillis() + " ms): " + ping);
        }
    }
}
