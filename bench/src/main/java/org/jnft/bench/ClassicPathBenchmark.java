package org.jnft.bench;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.jnft.nft.Frontend;
import org.jnft.nft.SnapshotBuilder;
import org.jnft.nft.Source;
import org.jnft.packet.Addresses;
import org.jnft.packet.PacketBuffer;
import org.jnft.packet.PacketBuilder;
import org.jnft.packet.TcpView;
import org.jnft.pipeline.Router;
import org.jnft.pipeline.Sysctl;
import org.jnft.pipeline.Transmitter;
import org.jnft.route.NetConfig;
import org.jnft.route.NetDevice;
import org.jnft.route.NetFile;
import org.jnft.vm.RulesetHolder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 4: the classic path's cost per packet with conntrack and an fw4-style ruleset of about 50 rules
 * (zones, jumps, sets, counters): a packet of an established TCP connection, and the first packet of a new
 * one (a SYN from a new source port: conntrack_in, the ruleset down to the zone's accept, confirmation).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx3g"})
public class ClassicPathBenchmark {
    static final String RULES = fw4();

    private Router router;
    private final PacketBuffer buf = new PacketBuffer(PacketBuffer.DEFAULT_CAPACITY);
    private byte[] established;
    private byte[] syn;
    private int lan;
    private int port = 1024;
    private long clock;

    static String fw4() {
        StringBuilder sb = new StringBuilder("""
                table inet fw4 {
                    set blocked { type ipv4_addr; flags interval; elements = { 192.0.2.0/24, 203.0.113.128/25 } }
                    chain forward {
                        type filter hook forward priority filter; policy drop;
                        ct state vmap { established : accept, related : accept, invalid : drop }
                        iifname "lan" jump forward_lan
                        iifname "wan" jump forward_wan
                        jump handle_reject
                    }
                    chain forward_wan {
                        icmp type echo-request counter accept
                        ip6 nexthdr icmpv6 icmpv6 type { echo-request, destination-unreachable } accept
                        meta nfproto ipv4 ip protocol esp accept
                        jump reject_to_wan
                    }
                    chain reject_to_wan {
                        counter drop
                    }
                    chain handle_reject {
                        meta l4proto tcp reject with tcp reset
                        reject
                    }
                    chain forward_lan {
                        ip daddr @blocked counter drop
                """);
        for (int i = 0; i < 40; i++) {
            sb.append("            tcp dport ").append(8000 + i).append(" ip saddr 192.168.")
                    .append(i).append(".0/24 counter drop\n");
        }
        sb.append("""
                        jump accept_to_wan
                    }
                    chain accept_to_wan {
                        oifname "wan" counter accept
                    }
                }
                """);
        return sb.toString();
    }

    @Setup(Level.Trial) // per trial: a per-iteration router would show up as allocation per packet
    public void setUp() throws Exception {
        NetConfig cfg = NetFile.parse("""
                link add lan address 02:00:00:00:01:01
                link add wan address 02:00:00:00:02:01
                addr add 192.168.1.1/24 dev lan
                addr add 203.0.113.1/24 dev wan
                route add default via 203.0.113.254 dev wan
                neigh add 203.0.113.254 lladdr 02:00:00:00:02:fe dev wan
                neigh add 192.168.1.10 lladdr 02:00:00:00:01:10 dev lan
                """, "bench.net");
        RulesetHolder rules = new RulesetHolder();
        rules.swap(SnapshotBuilder.build(Frontend.loadText(new Source("fw4.nft", RULES)), 1));
        Sysctl sysctl = new Sysctl();
        sysctl.set("net.netfilter.nf_conntrack_max=2000000");
        sysctl.set("net.netfilter.nf_conntrack_buckets=1048576");
        Transmitter sink = (NetDevice dev, MemorySegment f, long off, int len, long now) -> { };
        router = new Router(cfg, sysctl, sink, rules);
        lan = cfg.devices().byName("lan").ifindex();
        long host = Addresses.parseMac("02:00:00:00:01:10");
        long r = Addresses.parseMac("02:00:00:00:01:01");
        int h = Addresses.parseIpv4("192.168.1.10");
        int far = Addresses.parseIpv4("198.51.100.20");
        // one connection through its handshake (SYN, SYN-ACK from the uplink, ACK): ESTABLISHED, ASSURED
        long gw = Addresses.parseMac("02:00:00:00:02:fe");
        long rw = Addresses.parseMac("02:00:00:00:02:01");
        int wan = cfg.devices().byName("wan").ifindex();
        send(PacketBuilder.ether(host, r).ipv4(h, far).ttl(64).df(true)
                .tcp(40000, 443, TcpView.SYN, 1000, 0).window(64240).build(), lan);
        send(PacketBuilder.ether(gw, rw).ipv4(far, h).ttl(50).df(true)
                .tcp(443, 40000, TcpView.SYN | TcpView.ACK, 5000, 1001).window(65160).build(), wan);
        send(PacketBuilder.ether(host, r).ipv4(h, far).ttl(64).df(true)
                .tcp(40000, 443, TcpView.ACK, 1001, 5001).window(502).build(), lan);
        established = PacketBuilder.ether(host, r).ipv4(h, far).ttl(64).df(true)
                .tcp(40000, 443, TcpView.ACK, 1001, 5001).window(502).payloadLength(100).build();
        syn = PacketBuilder.ether(host, r).ipv4(h, far).ttl(64).df(true)
                .tcp(1024, 443, TcpView.SYN, 1, 0).window(64240).build();
        send(established, lan);
        send(syn, lan);
        if (router.stats().txPackets(wan) != 4 || router.stats().txPackets(lan) != 1) {
            throw new IllegalStateException("the benchmark's packets are not forwarded: " + router.stats().txPackets(wan));
        }
        port = 1025;
    }

    private void send(byte[] frame) {
        send(frame, lan);
    }

    private void send(byte[] frame, int ifindex) {
        clock += 1000;
        router.advanceTo(clock);
        buf.load(frame);
        buf.ifindex = ifindex;
        router.receive(buf);
    }

    /** Rewrites a 16-bit TCP header field and its checksum incrementally (RFC 1624). */
    private static void set16(byte[] f, int at, int v) {
        int old = u16(f, at);
        f[at] = (byte) (v >>> 8);
        f[at + 1] = (byte) v;
        int sum = org.jnft.packet.Checksum.update16(u16(f, 50), old, v & 0xffff);
        f[50] = (byte) (sum >>> 8);
        f[51] = (byte) sum;
    }

    private static int u16(byte[] f, int at) {
        return ((f[at] & 0xff) << 8) | (f[at + 1] & 0xff);
    }

    @Benchmark
    public void establishedTcp() {
        send(established);
    }

    @Benchmark
    public void newTcpConnection() {
        byte[] f = syn;
        int p = port++;
        if (port > 65535) {
            port = 1024;
            set16(f, 36, u16(f, 36) + 1); // next destination port, so that tuples stay new
        }
        set16(f, 34, p);
        send(f);
    }
}
