package org.jnft.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnft.testing.KernelFrames.checksumsValid;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.jnft.nft.Frontend;
import org.jnft.nft.SnapshotBuilder;
import org.jnft.nft.Source;
import org.jnft.packet.Addresses;
import org.jnft.packet.Bytes;
import org.jnft.packet.PacketBuffer;
import org.jnft.packet.PacketBuilder;
import org.jnft.packet.TcpView;
import org.jnft.route.NetConfig;
import org.jnft.route.NetFile;
import org.jnft.vm.RulesetHolder;
import org.junit.jupiter.api.Test;

/**
 * The flowtable's fast path allocates nothing per packet: IPv4 and IPv6, TCP and UDP, masqueraded and
 * port-forwarded (DNAT) connections, both directions, one frame at a time and in receive batches (with and
 * without their lookups prefetched, which changes nothing in what leaves), with the
 * clock running (GC ticks) while the packets flow. Each connection is opened through the classic path first
 * (its handshake, then the packet that offloads it); the bursts measured then go by the fast path only, which
 * the test checks too, with what the frames look like when they leave.
 */
class FlowtableAllocationTest {
    static final String NET = """
            link add lan address 02:00:00:00:01:01
            link add wan address 02:00:00:00:02:01
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

    /** The seed's policy with a home gateway's NAT: masquerade out of wan (both families), wan:8080 to the host's 80. */
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
                    iifname "lan" counter accept
                    ct status dnat counter accept
                }
            }
            table inet nat {
                chain pre {
                    type nat hook prerouting priority dstnat; policy accept;
                    iifname "wan" meta nfproto ipv4 tcp dport 8080 dnat ip to 192.168.1.10:80
                }
                chain post {
                    type nat hook postrouting priority srcnat; policy accept;
                    oifname "wan" masquerade
                }
            }
            """;

    static final long HOST = Addresses.parseMac("02:00:00:00:01:10");
    static final long R_LAN = Addresses.parseMac("02:00:00:00:01:01");
    static final long GW = Addresses.parseMac("02:00:00:00:02:fe");
    static final long R_WAN = Addresses.parseMac("02:00:00:00:02:01");
    static final int H4 = Addresses.parseIpv4("192.168.1.10");
    static final int WAN4 = Addresses.parseIpv4("203.0.113.1");
    static final int FAR4 = Addresses.parseIpv4("198.51.100.20");
    static final int CLIENT4 = Addresses.parseIpv4("192.0.2.33");
    static final long[] H6 = Addresses.parseIpv6("2001:db8:1::10");
    static final long[] WAN6 = Addresses.parseIpv6("2001:db8:2::1");
    static final long[] FAR6 = Addresses.parseIpv6("2001:db8:100::20");

    private Router router;
    private int lan;
    private int wan;
    private long clock = 1_000_000_000L;
    private final List<byte[]> sent = new ArrayList<>();
    private boolean capture = true;
    private long transmitted;

    @Test
    void theFastPathAllocatesNothingPerPacket() throws Exception {
        NetConfig cfg = NetFile.parse(NET, "test.net");
        RulesetHolder rules = new RulesetHolder();
        rules.swap(SnapshotBuilder.build(Frontend.loadText(new Source("rules.nft", RULES)), 1));
        router = new Router(cfg, new Sysctl(), (dev, frame, off, len, now) -> {
            transmitted++;
            if (capture) {
                sent.add(frame.asSlice(off, len).toArray(ValueLayout.JAVA_BYTE));
            }
        }, rules);
        lan = cfg.devices().byName("lan").ifindex();
        wan = cfg.devices().byName("wan").ifindex();

        // the connections, opened on the classic path: handshake, then a packet that offloads them
        tcpHandshake4(41000, 443);
        tcpHandshake6(41001, 443);
        udpExchange4(53000, 53);
        tcpPortForward(50000);
        assertThat(router.flowtablesText()).startsWith("flowtable inet filter ft ").contains(" flows=4\n");

        // the traffic measured: both directions of each, as the fast path sees it (the wan side addressed to
        // the masqueraded address; the port-forwarded client to wan:8080)
        List<byte[]> frames = new ArrayList<>();
        List<Integer> ifaces = new ArrayList<>();
        add(frames, ifaces, lan, out4().tcp(41000, 443, TcpView.ACK | TcpView.PSH, 2001, 9001).window(502)
                .payloadLength(100).build());
        add(frames, ifaces, wan, in4(WAN4).tcp(443, 41000, TcpView.ACK | TcpView.PSH, 9001, 2101).window(501)
                .payloadLength(200).build());
        add(frames, ifaces, lan, PacketBuilder.ether(HOST, R_LAN).ipv6(H6[0], H6[1], FAR6[0], FAR6[1]).hopLimit(64)
                .tcp(41001, 443, TcpView.ACK | TcpView.PSH, 2001, 9001).window(502).payloadLength(100).build());
        add(frames, ifaces, wan, PacketBuilder.ether(GW, R_WAN).ipv6(FAR6[0], FAR6[1], WAN6[0], WAN6[1]).hopLimit(50)
                .tcp(443, 41001, TcpView.ACK | TcpView.PSH, 9001, 2101).window(501).payloadLength(200).build());
        add(frames, ifaces, lan, out4().udp(53000, 53).payloadLength(40).build());
        add(frames, ifaces, wan, in4(WAN4).udp(53, 53000).payloadLength(80).build());
        add(frames, ifaces, wan, PacketBuilder.ether(GW, R_WAN).ipv4(CLIENT4, WAN4).ttl(50).df(true)
                .tcp(50000, 8080, TcpView.ACK | TcpView.PSH, 3001, 7001).window(501).payloadLength(60).build());
        add(frames, ifaces, lan, PacketBuilder.ether(HOST, R_LAN).ipv4(H4, CLIENT4).ttl(64).df(true)
                .tcp(80, 50000, TcpView.ACK | TcpView.PSH, 7001, 3061).window(502).payloadLength(300).build());

        // one round, looked at: every frame leaves by the fast path, rewritten as NAT and TTL want it
        long hits = hits();
        String forward = router.flowtablesText();
        sent.clear();
        for (int i = 0; i < frames.size(); i++) {
            receive(frames.get(i), ifaces.get(i));
        }
        assertThat(hits() - hits).as("frames forwarded by the fast path").isEqualTo(frames.size());
        assertThat(sent).hasSize(frames.size()).allSatisfy(f -> assertThat(checksumsValid(f)).isTrue());
        assertThat(ipv4Src(sent.get(0))).as("masqueraded").isEqualTo(WAN4);
        assertThat(ipv4Dst(sent.get(1))).as("un-masqueraded").isEqualTo(H4);
        assertThat(Bytes.u64(MemorySegment.ofArray(sent.get(2)), 14 + 8)).as("IPv6 masqueraded")
                .isEqualTo(WAN6[0]);
        assertThat(ipv4Dst(sent.get(6))).as("port forward to the host").isEqualTo(H4);
        assertThat(u16(sent.get(6), 14 + 20 + 2)).as("... port 80").isEqualTo(80);
        assertThat(ipv4Src(sent.get(7))).as("the host's answer leaves from wan:8080").isEqualTo(WAN4);
        assertThat(u16(sent.get(7), 14 + 20)).isEqualTo(8080);
        assertThat(sent.get(0)[14 + 8] & 0xff).as("TTL").isEqualTo(63);
        assertThat(router.flowtablesText().lines().skip(1).toList()).as("the flows, as before")
                .isEqualTo(forward.lines().skip(1).toList());

        // the same round as one receive batch, its lookups prefetched (as for a table beyond the CPU's cache):
        // the same frames leave, in the same order
        int n = frames.size();
        PacketBuffer[] batch = new PacketBuffer[n];
        for (int i = 0; i < n; i++) {
            batch[i] = new PacketBuffer(PacketBuffer.DEFAULT_CAPACITY);
        }
        List<String> expected = sent.stream().map(java.util.HexFormat.of()::formatHex).toList();
        sent.clear();
        router.flowtables.prefetchMinBytes = 0;
        for (int i = 0; i < n; i++) {
            batch[i].load(frames.get(i));
            batch[i].ifindex = ifaces.get(i);
        }
        router.receive(batch, n);
        assertThat(sent.stream().map(java.util.HexFormat.of()::formatHex).toList()).as("batched, prefetched")
                .isEqualTo(expected);
        capture = false;
        int rounds = 2500; // 20,000 packets
        Runnable oneByOne = () -> {
            for (int r = 0; r < rounds; r++) {
                clock += 1_000_000; // a millisecond a round: the GC runs every 1000 rounds, flows stay fresh
                router.advanceTo(clock);
                for (int i = 0; i < n; i++) {
                    PacketBuffer b = batch[i];
                    b.load(frames.get(i));
                    b.ifindex = ifaces.get(i);
                    router.receive(b);
                }
            }
        };
        java.util.function.LongFunction<Runnable> batched = prefetchMinBytes -> () -> {
            router.flowtables.prefetchMinBytes = prefetchMinBytes;
            for (int r = 0; r < rounds; r++) {
                clock += 1_000_000;
                router.advanceTo(clock);
                for (int i = 0; i < n; i++) {
                    batch[i].load(frames.get(i));
                    batch[i].ifindex = ifaces.get(i);
                }
                router.receive(batch, n);
            }
        };
        // one by one; batches as a table of this size gets them (no prefetching); batches prefetched
        for (Runnable burst : List.of(oneByOne, batched.apply(Flowtables.PREFETCH_MIN_BYTES), batched.apply(0))) {
            for (int i = 0; i < 3; i++) {
                burst.run(); // warm up: class loading and JIT compilation allocate, packets must not
            }
            long before = hits();
            long tx = transmitted;
            long allocated = Long.MAX_VALUE;
            for (int attempt = 0; attempt < 3 && allocated > 0; attempt++) {
                // the least of three bursts: a deoptimisation or a late compilation may allocate once
                var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
                long start = mx.getCurrentThreadAllocatedBytes();
                burst.run();
                allocated = Math.min(allocated, mx.getCurrentThreadAllocatedBytes() - start);
            }
            assertThat(hits() - before).as("all by the fast path").isEqualTo(transmitted - tx)
                    .isGreaterThanOrEqualTo((long) rounds * n);
            assertThat(allocated).as("bytes allocated for %d packets through the fast path", rounds * n).isZero();
        }
        assertThat(router.flowtablesText()).contains(" flows=4\n");
    }

    private void add(List<byte[]> frames, List<Integer> ifaces, int iface, byte[] frame) {
        frames.add(frame);
        ifaces.add(iface);
    }

    private PacketBuilder out4() {
        return PacketBuilder.ether(HOST, R_LAN).ipv4(H4, FAR4).ttl(64).df(true);
    }

    private PacketBuilder in4(int to) {
        return PacketBuilder.ether(GW, R_WAN).ipv4(FAR4, to).ttl(50).df(true);
    }

    private final PacketBuffer buf = new PacketBuffer(PacketBuffer.DEFAULT_CAPACITY);

    private void receive(byte[] frame, int iface) {
        clock += 1_000_000;
        router.advanceTo(clock);
        buf.load(frame);
        buf.ifindex = iface;
        router.receive(buf);
    }

    private void tcpHandshake4(int sport, int dport) {
        receive(out4().tcp(sport, dport, TcpView.SYN, 1000, 0).window(64240).build(), lan);
        receive(in4(WAN4).tcp(dport, sport, TcpView.SYN | TcpView.ACK, 9000, 1001).window(65160).build(), wan);
        receive(out4().tcp(sport, dport, TcpView.ACK, 1001, 9001).window(502).build(), lan);
        receive(out4().tcp(sport, dport, TcpView.ACK | TcpView.PSH, 1001, 9001).window(502).payloadLength(1000)
                .build(), lan);
    }

    private void tcpHandshake6(int sport, int dport) {
        Supplier<PacketBuilder> out = () -> PacketBuilder.ether(HOST, R_LAN)
                .ipv6(H6[0], H6[1], FAR6[0], FAR6[1]).hopLimit(64);
        Supplier<PacketBuilder> in = () -> PacketBuilder.ether(GW, R_WAN)
                .ipv6(FAR6[0], FAR6[1], WAN6[0], WAN6[1]).hopLimit(50);
        receive(out.get().tcp(sport, dport, TcpView.SYN, 1000, 0).window(64240).build(), lan);
        receive(in.get().tcp(dport, sport, TcpView.SYN | TcpView.ACK, 9000, 1001).window(65160).build(), wan);
        receive(out.get().tcp(sport, dport, TcpView.ACK, 1001, 9001).window(502).build(), lan);
        receive(out.get().tcp(sport, dport, TcpView.ACK | TcpView.PSH, 1001, 9001).window(502).payloadLength(1000)
                .build(), lan);
    }

    private void udpExchange4(int sport, int dport) {
        receive(out4().udp(sport, dport).payloadLength(40).build(), lan);
        receive(in4(WAN4).udp(dport, sport).payloadLength(80).build(), wan);
        receive(out4().udp(sport, dport).payloadLength(40).build(), lan); // offloads it
    }

    /** A client on the Internet opens a connection to wan:8080, forwarded to the host's port 80. */
    private void tcpPortForward(int sport) {
        Supplier<PacketBuilder> in = () -> PacketBuilder.ether(GW, R_WAN).ipv4(CLIENT4, WAN4).ttl(50).df(true);
        Supplier<PacketBuilder> out = () -> PacketBuilder.ether(HOST, R_LAN).ipv4(H4, CLIENT4)
                .ttl(64).df(true);
        receive(in.get().tcp(sport, 8080, TcpView.SYN, 2000, 0).window(64240).build(), wan);
        receive(out.get().tcp(80, sport, TcpView.SYN | TcpView.ACK, 7000, 2001).window(65160).build(), lan);
        receive(in.get().tcp(sport, 8080, TcpView.ACK, 2001, 7001).window(502).build(), wan);
        receive(in.get().tcp(sport, 8080, TcpView.ACK | TcpView.PSH, 2001, 7001).window(502).payloadLength(500)
                .build(), wan);
    }

    /** Fast-path hits of the flowtable, from the header line of flowtables.txt. */
    private long hits() {
        String text = router.flowtablesText();
        int at = text.indexOf("hits=");
        return Long.parseLong(text.substring(at + 5, text.indexOf(' ', at)));
    }

    private static int ipv4Src(byte[] f) {
        return Bytes.u32(MemorySegment.ofArray(f), 14 + 12);
    }

    private static int ipv4Dst(byte[] f) {
        return Bytes.u32(MemorySegment.ofArray(f), 14 + 16);
    }

    private static int u16(byte[] f, int at) {
        return ((f[at] & 0xff) << 8) | (f[at + 1] & 0xff);
    }
}
