package org.jnft.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
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
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 7, item 9: the flowtable's fast path against this project's own classic path, on the same established
 * IPv4 TCP traffic. {@code flows} connections between a LAN host and servers behind the uplink are opened by
 * real handshakes through the router (SYN, SYN-ACK, ACK: the ACK makes conntrack ESTABLISHED and ASSURED and
 * {@code flow add @ft} offloads it); then 64-byte segments (14 + 20 + 20 + 10 bytes) of every connection, both
 * directions, round-robin over the flows, in batches of 32, each copied into its buffer first as a receive
 * ring would, then handed to {@code Router.receive(PacketBuffer[], int)} (which, once the flow table outgrows
 * the CPU's caches, starts the batch's lookups before handling its frames). {@code path=flowtable} runs an
 * fw4-style ruleset (OpenWrt's: a flowtable on lan and wan,
 * {@code meta l4proto { tcp, udp } flow add @ft} first in forward, a {@code ct state} verdict map, zones,
 * about 50 rules); {@code path=classic} the same ruleset without the flowtable and its rule. With
 * {@code nat=true} both masquerade out of wan. The transmitter does nothing. Score: packets per second on one
 * core.
 *
 * <p>Round-robin over up to two million frames (128 MB) makes every lookup at 1M flows a cache miss in the flow
 * index and the flow record, as a router's traffic mix would; the frames themselves stream sequentially.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
public class FlowtableBenchmark {
    static final int BATCH = 32;
    static final int FRAME = 64;
    /** Connections per server: source ports 10000..59999 of the one LAN host. */
    static final int PORTS = 50_000;

    @Param({"1000", "100000", "1000000"})
    public int flows;

    @Param({"flowtable", "classic"})
    public String path;

    @Param({"false", "true"})
    public boolean nat;

    private Router router;
    private final PacketBuffer[] batch = new PacketBuffer[BATCH];
    /** Two frames per flow (ORIGINAL from lan, REPLY from wan), FRAME bytes each. */
    private MemorySegment frames;
    private int frameCount;
    private int cursor;
    private int lan;
    private int wan;
    private long clock;

    static final long HOST_MAC = Addresses.parseMac("02:00:00:00:01:10");
    static final long LAN_MAC = Addresses.parseMac("02:00:00:00:01:01");
    static final long GW_MAC = Addresses.parseMac("02:00:00:00:02:fe");
    static final long WAN_MAC = Addresses.parseMac("02:00:00:00:02:01");
    static final int HOST = Addresses.parseIpv4("192.168.1.10");
    static final int WAN_ADDR = Addresses.parseIpv4("203.0.113.1");
    /** Servers 198.18.0.1, 198.18.0.2, ... (RFC 2544's benchmarking range), PORTS connections each. */
    static final int SERVERS = Addresses.parseIpv4("198.18.0.1");

    static final String NET = """
            link add lan address 02:00:00:00:01:01
            link add wan address 02:00:00:00:02:01
            addr add 192.168.1.1/24 dev lan
            addr add 203.0.113.1/24 dev wan
            route add default via 203.0.113.254 dev wan
            neigh add 203.0.113.254 lladdr 02:00:00:00:02:fe dev wan
            neigh add 192.168.1.10 lladdr 02:00:00:00:01:10 dev lan
            """;

    /** The fw4-style ruleset of {@link ClassicPathBenchmark}, with or without the flowtable, with or without NAT. */
    static String rules(boolean flowtable, boolean nat) {
        String r = ClassicPathBenchmark.fw4();
        if (flowtable) {
            r = r.replace("""
                        chain forward {
                            type filter hook forward priority filter; policy drop;
                    """, """
                        flowtable ft {
                            hook ingress priority filter
                            devices = { lan, wan }
                        }
                        chain forward {
                            type filter hook forward priority filter; policy drop;
                            meta l4proto { tcp, udp } flow add @ft
                    """);
            if (!r.contains("flow add @ft")) {
                throw new IllegalStateException("the fw4 ruleset changed shape");
            }
        }
        if (nat) {
            r += """
                    table inet nat {
                        chain srcnat {
                            type nat hook postrouting priority srcnat; policy accept;
                            oifname "wan" masquerade
                        }
                    }
                    """;
        }
        return r;
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        boolean fast = path.equals("flowtable");
        if (!fast && !path.equals("classic")) {
            throw new IllegalArgumentException("path: flowtable or classic, not " + path);
        }
        NetConfig cfg = NetFile.parse(NET, "bench.net");
        RulesetHolder holder = new RulesetHolder();
        holder.swap(SnapshotBuilder.build(Frontend.loadText(new Source("fw4.nft", rules(fast, nat))), 1));
        Sysctl sysctl = new Sysctl();
        sysctl.set("net.netfilter.nf_conntrack_max=" + Math.max(65536, 2 * flows));
        sysctl.set("net.netfilter.nf_conntrack_buckets=" + Math.max(16384, Integer.highestOneBit(flows) * 2));
        Transmitter sink = (NetDevice dev, MemorySegment f, long off, int len, long now) -> { };
        router = new Router(cfg, sysctl, sink, holder);
        lan = cfg.devices().byName("lan").ifindex();
        wan = cfg.devices().byName("wan").ifindex();
        for (int i = 0; i < BATCH; i++) {
            batch[i] = new PacketBuffer(PacketBuffer.DEFAULT_CAPACITY);
        }
        long memBefore = usedMemory(); // the router with its empty tables (conntrack's buckets are sized up front)
        // every connection through its handshake: ESTABLISHED, ASSURED, and (flowtable) offloaded by the ACK
        PacketBuffer b = batch[0];
        int replyTo = nat ? WAN_ADDR : HOST;
        for (int i = 0; i < flows; i++) {
            int server = SERVERS + i / PORTS;
            int sport = 10000 + i % PORTS;
            send(b, PacketBuilder.ether(HOST_MAC, LAN_MAC).ipv4(HOST, server).ttl(64).df(true)
                    .tcp(sport, 443, TcpView.SYN, 1000, 0).window(64240).build(), lan);
            send(b, PacketBuilder.ether(GW_MAC, WAN_MAC).ipv4(server, replyTo).ttl(50).df(true)
                    .tcp(443, sport, TcpView.SYN | TcpView.ACK, 5000, 1001).window(65160).build(), wan);
            send(b, PacketBuilder.ether(HOST_MAC, LAN_MAC).ipv4(HOST, server).ttl(64).df(true)
                    .tcp(sport, 443, TcpView.ACK, 1001, 5001).window(502).build(), lan);
        }
        long perConnection = (usedMemory() - memBefore) / flows;
        frameCount = 2 * flows;
        frames = Arena.ofAuto().allocate((long) frameCount * FRAME, 64);
        for (int i = 0; i < flows; i++) {
            int server = SERVERS + i / PORTS;
            int sport = 10000 + i % PORTS;
            byte[] out = PacketBuilder.ether(HOST_MAC, LAN_MAC).ipv4(HOST, server).ttl(64).df(true)
                    .tcp(sport, 443, TcpView.ACK | TcpView.PSH, 1001, 5001).window(502).payloadLength(10).build();
            byte[] in = PacketBuilder.ether(GW_MAC, WAN_MAC).ipv4(server, replyTo).ttl(50).df(true)
                    .tcp(443, sport, TcpView.ACK | TcpView.PSH, 5001, 1011).window(501).payloadLength(10).build();
            if (out.length != FRAME || in.length != FRAME) {
                throw new IllegalStateException("frames of " + out.length + " bytes, not " + FRAME);
            }
            MemorySegment.copy(MemorySegment.ofArray(out), 0, frames, (long) (2 * i) * FRAME, FRAME);
            MemorySegment.copy(MemorySegment.ofArray(in), 0, frames, (long) (2 * i + 1) * FRAME, FRAME);
        }
        // one round over every frame: each must leave on the other side, and (flowtable) by the fast path
        long txBefore = router.stats().txPackets(lan) + router.stats().txPackets(wan);
        long hitsBefore = fast ? hits() : 0;
        for (int i = 0; i < frameCount / BATCH; i++) {
            batchOf32();
        }
        long tx = router.stats().txPackets(lan) + router.stats().txPackets(wan) - txBefore;
        long sent = (long) frameCount / BATCH * BATCH;
        if (tx != sent) {
            throw new IllegalStateException(path + ": " + tx + " of " + sent + " frames forwarded");
        }
        if (fast && hits() - hitsBefore != sent) {
            throw new IllegalStateException("only " + (hits() - hitsBefore) + " of " + sent
                    + " frames took the fast path");
        }
        cursor = 0;
        System.out.println("\n[" + flows + " flows, " + path + ", nat=" + nat + "] memory per connection "
                + "(heap + off-heap after GC, router state only): " + perConnection + " bytes");
    }

    /** Fast-path hits of the flowtable, from the header line of flowtables.txt. */
    private long hits() {
        String text = router.flowtablesText();
        int at = text.indexOf("hits=");
        return Long.parseLong(text.substring(at + 5, text.indexOf(' ', at)));
    }

    /** Heap and off-heap (direct, including Arena segments) bytes in use after a full GC. */
    static long usedMemory() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long direct = 0;
        for (BufferPoolMXBean p : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            direct += p.getMemoryUsed();
        }
        return heap + direct;
    }

    private void send(PacketBuffer b, byte[] frame, int ifindex) {
        clock += 1000;
        router.advanceTo(clock);
        b.load(frame);
        b.ifindex = ifindex;
        router.receive(b);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void batchOf32() {
        // the engine's clock moves as a daemon's would between two receive batches (GC every virtual second)
        clock += 1000;
        router.advanceTo(clock);
        int c = cursor;
        MemorySegment f = frames;
        PacketBuffer[] b = batch;
        for (int i = 0; i < BATCH; i++) {
            // the receive ring's copy into the buffers
            b[i].load(f, (long) c * FRAME, FRAME);
            b[i].ifindex = (c & 1) == 0 ? lan : wan;
            if (++c == frameCount) {
                c = 0;
            }
        }
        cursor = c;
        router.receive(b, BATCH);
    }
}
