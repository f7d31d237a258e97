package org.jnft.ctl;

import java.io.IOException;
import java.nio.file.Path;
import org.jnft.io.PcapWriter;
import org.jnft.nft.Frontend;
import org.jnft.nft.SnapshotBuilder;
import org.jnft.nft.Source;
import org.jnft.packet.Addresses;
import org.jnft.packet.PacketBuffer;
import org.jnft.packet.PacketBuilder;
import org.jnft.packet.TcpView;
import org.jnft.pipeline.Router;
import org.jnft.pipeline.Sysctl;
import org.jnft.route.NetConfig;
import org.jnft.route.NetFile;
import org.jnft.vm.RulesetHolder;

/**
 * The demo's network, policy and traffic: a LAN host and an upstream gateway on either side of the router;
 * the seed's policy (a flowtable on both devices, {@code flow add @ft} in forward, masquerade out of the
 * uplink); a ping, a short TCP connection, a DNS exchange, an IPv6 ping through, a traceroute probe whose TTL
 * runs out, a too-big packet with DF, a frame for someone else's MAC; then bulk downloads over three TCP
 * connections and a UDP (QUIC-like) stream, offloaded to the flowtable; then 40 seconds of silence for all of
 * them, and a last ping, by which time the flows have expired.
 */
final class DemoTraffic {
    static final String NET = """
            # jnft demo network: a home router between a LAN and an uplink
            link add lan address 02:00:00:00:01:01
            link add wan address 02:00:00:00:02:01 mtu 1400
            addr add 192.168.1.1/24 dev lan
            addr add 2001:db8:1::1/64 dev lan
            addr add 203.0.113.1/24 dev wan
            addr add 2001:db8:2::1/64 dev wan
            route add default via 203.0.113.254 dev wan
            route add default via 2001:db8:2::fe dev wan
            neigh add 192.168.1.10 lladdr 02:00:00:00:01:10 dev lan
            neigh add 2001:db8:1::10 lladdr 02:00:00:00:01:10 dev lan
            neigh add 203.0.113.254 lladdr 02:00:00:00:02:fe dev wan
            neigh add 2001:db8:2::fe lladdr 02:00:00:00:02:fe dev wan
            """;

    /**
     * The seed's example as a home router runs it: a stateful forward policy (the LAN opens connections, the
     * uplink only answers), a flowtable on both devices that established TCP and UDP connections are offloaded
     * to, and masquerade out of the uplink.
     */
    static final String RULES = """
            table inet filter {
                flowtable ft {
                    hook ingress priority filter
                    devices = { lan, wan }
                }
                chain forward {
                    type filter hook forward priority filter; policy drop;
                    meta l4proto { tcp, udp } flow add @ft
                    ct state established,related counter accept
                    ct state invalid counter drop
                    iifname "lan" oifname "wan" ct state new counter accept
                    log prefix "demo-drop: " counter
                }
            }
            table ip nat {
                chain postrouting {
                    type nat hook postrouting priority srcnat; policy accept;
                    oifname "wan" masquerade
                }
            }
            """;

    /** {@link #RULES} without the flowtable: the same policy on the classic path only (for the comparison). */
    static final String CLASSIC_RULES = RULES
            .replace("""
                        flowtable ft {
                            hook ingress priority filter
                            devices = { lan, wan }
                        }
                    """, "")
            .replace("""
                            meta l4proto { tcp, udp } flow add @ft
                    """, "");

    /** Virtual times (ms after the first frame): the bulk transfers start after BULK_START, end before BULK_END. */
    static final int BULK_START_MS = 1000;
    static final int BULK_END_MS = 2500;
    /** The last frame: long after the flows' 30 s idle timeout. */
    static final int END_MS = 45_000;
    /** Bulk traffic: segments per TCP connection in each direction, datagrams each way on the UDP stream. */
    static final int BULK_SEGMENTS = 200;
    static final int BULK_DATAGRAMS = 100;

    static final long ROUTER_LAN = mac("02:00:00:00:01:01");
    static final long ROUTER_WAN = mac("02:00:00:00:02:01");
    static final long HOST = mac("02:00:00:00:01:10");
    static final long GATEWAY = mac("02:00:00:00:02:fe");
    static final int HOST4 = Addresses.parseIpv4("192.168.1.10");
    static final int ROUTER4 = Addresses.parseIpv4("192.168.1.1");
    /** The uplink address everything from the LAN is masqueraded to. */
    static final int WAN4 = Addresses.parseIpv4("203.0.113.1");
    static final int SERVER4 = Addresses.parseIpv4("198.51.100.20");
    static final int DNS4 = Addresses.parseIpv4("198.51.100.53");
    static final long[] HOST6 = Addresses.parseIpv6("2001:db8:1::10");
    static final long[] SERVER6 = Addresses.parseIpv6("2001:db8:100::20");
    static final long T0 = 1_764_000_000_000_000_000L;

    private final PcapWriter lan;
    private final PcapWriter wan;
    int lanFrames;
    int wanFrames;

    private DemoTraffic(PcapWriter lan, PcapWriter wan) {
        this.lan = lan;
        this.wan = wan;
    }

    static long mac(String s) {
        return Addresses.parseMac(s);
    }

    /** Writes lan-in.pcap and wan-in.pcap; returns {lan frames, wan frames}. */
    static int[] write(Path lanFile, Path wanFile) throws IOException {
        try (PcapWriter l = PcapWriter.create(lanFile); PcapWriter w = PcapWriter.create(wanFile)) {
            DemoTraffic t = new DemoTraffic(l, w);
            t.generate();
            return new int[] {t.lanFrames, t.wanFrames};
        }
    }

    private void fromLan(double ms, byte[] frame) throws IOException {
        lan.write(T0 + (long) (ms * 1_000_000), frame);
        lanFrames++;
    }

    private void fromWan(double ms, byte[] frame) throws IOException {
        wan.write(T0 + (long) (ms * 1_000_000), frame);
        wanFrames++;
    }

    private PacketBuilder outbound() {
        return PacketBuilder.ether(HOST, ROUTER_LAN).ipv4(HOST4, SERVER4).ttl(64).df(true);
    }

    /** From the server to the host, as the server sees it: to the masqueraded address. */
    private PacketBuilder inbound() {
        return inbound(SERVER4);
    }

    private PacketBuilder inbound(int server) {
        return PacketBuilder.ether(GATEWAY, ROUTER_WAN).ipv4(server, WAN4).ttl(52).df(true);
    }

    /** A DNS question for example.com (type A), or its answer 192.0.2.80, as a resolver would send them. */
    static byte[] dnsQuery(boolean answer) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        int[] header = {0x1a, 0x2b, answer ? 0x81 : 0x01, answer ? 0x80 : 0x00, 0, 1, 0, answer ? 1 : 0, 0, 0, 0, 0};
        for (int x : header) {
            b.write(x);
        }
        for (String label : new String[] {"example", "com"}) {
            b.write(label.length());
            b.writeBytes(label.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        b.writeBytes(new byte[] {0, 0, 1, 0, 1});
        if (answer) {
            // name pointer to the question, type A, class IN, TTL 300, 4 bytes of address
            b.writeBytes(new byte[] {(byte) 0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 1, 0x2c, 0, 4, (byte) 192, 0, 2, 80});
        }
        return b.toByteArray();
    }

    private void generate() throws IOException {
        // 1. The host pings the router.
        fromLan(0, PacketBuilder.ether(HOST, ROUTER_LAN).ipv4(HOST4, ROUTER4).ttl(64).icmpEcho(true, 0x1234, 1)
                .payloadLength(56).build());
        // 2. A TCP connection to an HTTPS server: handshake, a request, a response, FIN both ways.
        int syn = TcpView.SYN;
        int ack = TcpView.ACK;
        int fin = TcpView.FIN;
        int psh = TcpView.PSH;
        fromLan(100, outbound().tcp(41000, 443, syn, 1000, 0).window(64240).mss(1460).build());
        fromWan(130, inbound().tcp(443, 41000, syn | ack, 5000, 1001).window(65160).mss(1360).build());
        fromLan(131, outbound().tcp(41000, 443, ack, 1001, 5001).window(502).build());
        fromLan(132, outbound().tcp(41000, 443, psh | ack, 1001, 5001).window(502).payloadLength(517).build());
        fromWan(160, inbound().tcp(443, 41000, ack, 5001, 1518).window(501).build());
        fromWan(161, inbound().tcp(443, 41000, psh | ack, 5001, 1518).window(501).payloadLength(1200).build());
        fromLan(162, outbound().tcp(41000, 443, ack, 1518, 6201).window(501).build());
        fromLan(200, outbound().tcp(41000, 443, fin | ack, 1518, 6201).window(501).build());
        fromWan(230, inbound().tcp(443, 41000, fin | ack, 6201, 1519).window(501).build());
        fromLan(231, outbound().tcp(41000, 443, ack, 1519, 6202).window(501).build());
        // 3. A DNS query and its answer.
        fromLan(300, PacketBuilder.ether(HOST, ROUTER_LAN).ipv4(HOST4, DNS4).ttl(64).udp(53000, 53)
                .payload(dnsQuery(false)).build());
        fromWan(320, PacketBuilder.ether(GATEWAY, ROUTER_WAN).ipv4(DNS4, WAN4).ttl(55).udp(53, 53000)
                .payload(dnsQuery(true)).build());
        // 4. IPv6: the host pings the server through the router.
        fromLan(400, PacketBuilder.ether(HOST, ROUTER_LAN).ipv6(HOST6[0], HOST6[1], SERVER6[0], SERVER6[1])
                .hopLimit(64).icmpv6Echo(true, 0x77, 1).payloadLength(56).build());
        fromWan(420, PacketBuilder.ether(GATEWAY, ROUTER_WAN).ipv6(SERVER6[0], SERVER6[1], HOST6[0], HOST6[1])
                .hopLimit(58).icmpv6Echo(false, 0x77, 1).payloadLength(56).build());
        // 5. A traceroute probe with TTL 1: the router answers time exceeded.
        fromLan(500, PacketBuilder.ether(HOST, ROUTER_LAN).ipv4(HOST4, SERVER4).ttl(1).udp(33434, 33434)
                .payloadLength(32).build());
        // 6. 1500 bytes with DF towards an uplink whose MTU is 1400: fragmentation needed.
        fromLan(600, outbound().udp(40000, 4500).payloadLength(1500 - 28).build());
        // 7. Someone on the Internet tries to open a connection to the host: the policy drops it, logged.
        fromWan(650, PacketBuilder.ether(GATEWAY, ROUTER_WAN).ipv4(Addresses.parseIpv4("192.0.2.66"), HOST4).ttl(50)
                .df(true).tcp(50000, 22, TcpView.SYN, 77, 0).window(1024).build());
        // 8. A frame for another host's MAC: not for the router, dropped (OTHERHOST).
        fromLan(700, PacketBuilder.ether(HOST, mac("02:00:00:00:01:99")).ipv4(HOST4, SERVER4).ttl(64)
                .udp(40001, 9).payloadLength(8).build());
        // 9. Bulk: three HTTPS downloads and a QUIC-like UDP stream. Each TCP connection's handshake goes by the
        //    classic path; its ACK makes it established and assured, and `flow add @ft` offloads it. The UDP
        //    stream is offloaded by its first reply. Everything after that takes the fast path.
        for (int c = 0; c < BULK_CONNECTIONS; c++) {
            double t = BULK_START_MS + 10 * c;
            int server = SERVER4 + 1 + c;
            int sport = 42000 + c;
            fromLan(t, outbound(server).tcp(sport, 443, syn, 1000, 0).window(64240).mss(1460).build());
            fromWan(t + 20, inbound(server).tcp(443, sport, syn | ack, 5000, 1001).window(65160).mss(1360).build());
            fromLan(t + 21, outbound(server).tcp(sport, 443, ack, 1001, 5001).window(502).build());
            fromLan(t + 22, outbound(server).tcp(sport, 443, psh | ack, 1001, 5001).window(502).payloadLength(400)
                    .build());
        }
        fromLan(BULK_START_MS + 40, outbound(QUIC4).udp(51000, 443).payloadLength(1200).build());
        fromWan(BULK_START_MS + 60, inbound(QUIC4).udp(443, 51000).payloadLength(1200).build());
        double start = BULK_START_MS + 100;
        double step = (BULK_END_MS - 100 - start) / BULK_SEGMENTS;
        for (int i = 0; i < BULK_SEGMENTS; i++) {
            double t = start + i * step;
            for (int c = 0; c < BULK_CONNECTIONS; c++) {
                int server = SERVER4 + 1 + c;
                int sport = 42000 + c;
                int down = 5001 + i * 1300;
                fromWan(t + c, inbound(server).tcp(443, sport, psh | ack, down, 1401).window(501).payloadLength(1300)
                        .build());
                fromLan(t + c + 0.5, outbound(server).tcp(sport, 443, ack, 1401, down + 1300).window(2000).build());
            }
            if (i < BULK_DATAGRAMS) {
                fromWan(t + 4, inbound(QUIC4).udp(443, 51000).payloadLength(1200).build());
                fromLan(t + 4.5, outbound(QUIC4).udp(51000, 443).payloadLength(60).build());
            }
        }
        // 10. Silence, then one more ping to the router: by now every flow has been idle for more than 30 s.
        fromLan(END_MS, PacketBuilder.ether(HOST, ROUTER_LAN).ipv4(HOST4, ROUTER4).ttl(64).icmpEcho(true, 0x1234, 2)
                .payloadLength(56).build());
    }

    static final int BULK_CONNECTIONS = 3;
    /** The QUIC-like server. */
    static final int QUIC4 = Addresses.parseIpv4("198.51.100.40");

    private PacketBuilder outbound(int server) {
        return PacketBuilder.ether(HOST, ROUTER_LAN).ipv4(HOST4, server).ttl(64).df(true);
    }

    /**
     * The demo's speed test: the demo's network and policy, {@link #CONNECTIONS} TCP connections opened by real
     * handshakes, then 64-byte segments of both directions of every connection, round-robin, in batches of 32,
     * copied into their buffers as a receive ring would, the transmitter doing nothing. Once with {@link #RULES}
     * (the flowtable carries them), once with {@link #CLASSIC_RULES} (conntrack, the forward chain and NAT for
     * each). A few hundred milliseconds of warm-up each, then the best of several short rounds (the machine may
     * be busy with other things).
     */
    static final class Speed {
        static final int CONNECTIONS = 1000;
        static final int BATCH = 32;
        static final int ROUNDS = 6;
        static final long ROUND_NANOS = 150_000_000L;

        record Result(double fastPps, double classicPps) {}

        private Speed() {}

        static Result measure() throws Exception {
            double fast = pps(RULES, true);
            double classic = pps(CLASSIC_RULES, false);
            return new Result(fast, classic);
        }

        private static double pps(String rules, boolean flowtable) throws Exception {
            NetConfig cfg = NetFile.parse(NET, "demo.net");
            RulesetHolder holder = new RulesetHolder();
            holder.swap(SnapshotBuilder.build(Frontend.loadText(new Source("demo.nft", rules)), 1));
            Router router = new Router(cfg, new Sysctl(), (dev, frame, off, len, now) -> { }, holder);
            router.engine().logSink = (prefix, level, flags, p) -> { };
            int lan = cfg.devices().byName("lan").ifindex();
            int wan = cfg.devices().byName("wan").ifindex();
            long[] clock = {T0};
            PacketBuffer one = new PacketBuffer(PacketBuffer.DEFAULT_CAPACITY);
            byte[][] frames = new byte[2 * CONNECTIONS][];
            for (int c = 0; c < CONNECTIONS; c++) {
                int sport = 20000 + c;
                // the handshake by the classic path; its ACK makes the connection established and assured
                send(router, clock, one, lan, speedOut().tcp(sport, 443, TcpView.SYN, 1000, 0).window(64240).build());
                send(router, clock, one, wan, speedIn().tcp(443, sport, TcpView.SYN | TcpView.ACK, 5000, 1001)
                        .window(65160).build());
                send(router, clock, one, lan, speedOut().tcp(sport, 443, TcpView.ACK, 1001, 5001).window(502).build());
                frames[2 * c] = speedOut().tcp(sport, 443, TcpView.ACK | TcpView.PSH, 1001, 5001).window(502)
                        .payloadLength(10).build();
                frames[2 * c + 1] = speedIn().tcp(443, sport, TcpView.ACK | TcpView.PSH, 5001, 1011).window(501)
                        .payloadLength(10).build();
            }
            PacketBuffer[] batch = new PacketBuffer[BATCH];
            for (int i = 0; i < BATCH; i++) {
                batch[i] = new PacketBuffer(PacketBuffer.DEFAULT_CAPACITY);
            }
            int[] cursor = {0};
            Runnable oneBatch = () -> {
                clock[0] += 1000;
                router.advanceTo(clock[0]);
                int k = cursor[0];
                for (int i = 0; i < BATCH; i++) {
                    batch[i].load(frames[k]);
                    batch[i].ifindex = (k & 1) == 0 ? lan : wan;
                    k = k + 1 == frames.length ? 0 : k + 1;
                }
                cursor[0] = k;
                router.receive(batch, BATCH);
            };
            // one pass over every frame: each must be forwarded, by the fast path when there is a flowtable
            long tx = router.stats().txPackets(lan) + router.stats().txPackets(wan);
            long hits = DemoCommand.hits(router.flowtablesText());
            int passes = frames.length / BATCH;
            for (int i = 0; i < passes; i++) {
                oneBatch.run();
            }
            long sent = router.stats().txPackets(lan) + router.stats().txPackets(wan) - tx;
            if (sent != (long) passes * BATCH
                    || (flowtable && DemoCommand.hits(router.flowtablesText()) - hits != sent)) {
                throw new IllegalStateException("the speed test's frames did not all take the "
                        + (flowtable ? "fast" : "classic") + " path: " + sent + " of " + passes * BATCH + " sent");
            }
            long warmUntil = System.nanoTime() + 400_000_000L;
            while (System.nanoTime() < warmUntil) {
                for (int i = 0; i < 100; i++) {
                    oneBatch.run();
                }
            }
            double best = 0;
            for (int round = 0; round < ROUNDS; round++) {
                long start = System.nanoTime();
                long packets = 0;
                long elapsed;
                do {
                    for (int i = 0; i < 100; i++) {
                        oneBatch.run();
                    }
                    packets += 100 * BATCH;
                    elapsed = System.nanoTime() - start;
                } while (elapsed < ROUND_NANOS);
                best = Math.max(best, packets * 1e9 / elapsed);
            }
            return best;
        }

        private static void send(Router router, long[] clock, PacketBuffer buf, int ifindex, byte[] frame) {
            clock[0] += 1000;
            router.advanceTo(clock[0]);
            buf.load(frame);
            buf.ifindex = ifindex;
            router.receive(buf);
        }

        private static PacketBuilder speedOut() {
            return PacketBuilder.ether(HOST, ROUTER_LAN).ipv4(HOST4, SPEED_SERVER4).ttl(64).df(true);
        }

        private static PacketBuilder speedIn() {
            return PacketBuilder.ether(GATEWAY, ROUTER_WAN).ipv4(SPEED_SERVER4, WAN4).ttl(52).df(true);
        }
    }

    /** The speed test's server. */
    static final int SPEED_SERVER4 = Addresses.parseIpv4("198.51.100.80");
}
