package org.jnft.bench;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.jnft.nft.Frontend;
import org.jnft.nft.SnapshotBuilder;
import org.jnft.nft.Source;
import org.jnft.packet.Addresses;
import org.jnft.packet.PacketBuffer;
import org.jnft.packet.PacketBuilder;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Issue 6's figure: the per-packet cost of NAT on established traffic. A batch of 32 64-byte UDP frames of 32
 * established flows: 16 from a LAN host to far servers (masqueraded at postrouting when {@code nat} is on) and
 * 16 from far clients to port-forwarded ports (DNAT to the LAN host at prerouting). With {@code nat} off the
 * same flows are tracked and forwarded untranslated (the far clients address the LAN host itself), so the
 * difference is NAT's: the nat hooks at prerouting and postrouting and the rewrite of address, port and
 * checksums. Conntrack and a forward filter whose first rule ({@code ct state established accept}) takes
 * every packet run in both.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class NatBenchmark {
    static final int BATCH = 32;
    static final String FILTER = """
            table inet filter {
                chain forward {
                    type filter hook forward priority filter; policy accept;
                    ct state established accept
                }
            }
            """;
    static final String NAT = """
            table ip nat {
                chain pre {
                    type nat hook prerouting priority dstnat; policy accept;
                    iifname "wan" udp dport 5000-5015 dnat to 192.168.1.10
                }
                chain post {
                    type nat hook postrouting priority srcnat; policy accept;
                    oifname "wan" masquerade
                }
            }
            """;

    /** "on": masquerade and DNAT; "off": the same flows tracked but not translated. */
    @Param({"off", "on"})
    public String nat;

    private Router router;
    private final PacketBuffer[] batch = new PacketBuffer[BATCH];
    private byte[][] frames;
    private int[] ifindex;
    private long sent;

    @Setup(Level.Trial)
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
        boolean on = nat.equals("on");
        RulesetHolder rules = new RulesetHolder();
        rules.swap(SnapshotBuilder.build(Frontend.loadText(new Source("nat.nft", on ? FILTER + NAT : FILTER)), 1));
        Transmitter counting = (NetDevice dev, MemorySegment frame, long offset, int length, long now) -> sent++;
        router = new Router(cfg, new Sysctl(), counting, rules);
        int lan = cfg.devices().byName("lan").ifindex();
        int wan = cfg.devices().byName("wan").ifindex();
        long host = Addresses.parseMac("02:00:00:00:01:10");
        long rLan = Addresses.parseMac("02:00:00:00:01:01");
        long gw = Addresses.parseMac("02:00:00:00:02:fe");
        long rWan = Addresses.parseMac("02:00:00:00:02:01");
        int h = Addresses.parseIpv4("192.168.1.10");
        int pub = on ? Addresses.parseIpv4("203.0.113.1") : h; // where the far side sends
        frames = new byte[BATCH][];
        ifindex = new int[BATCH];
        PacketBuffer b = new PacketBuffer(PacketBuffer.DEFAULT_CAPACITY);
        for (int i = 0; i < BATCH / 2; i++) {
            int far = Addresses.parseIpv4("198.51.100." + (i + 1));
            // 14 + 20 + 8 + 22 = 64 bytes
            byte[] out = PacketBuilder.ether(host, rLan).ipv4(h, far).ttl(64).udp(40000 + i, 53).payloadLength(22).build();
            byte[] back = PacketBuilder.ether(gw, rWan).ipv4(far, pub).ttl(50).udp(53, 40000 + i).payloadLength(22)
                    .build();
            byte[] in = PacketBuilder.ether(gw, rWan).ipv4(far, pub).ttl(50).udp(45000 + i, 5000 + i).payloadLength(22)
                    .build();
            byte[] answer = PacketBuilder.ether(host, rLan).ipv4(h, far).ttl(64).udp(5000 + i, 45000 + i)
                    .payloadLength(22).build();
            frames[2 * i] = out;
            ifindex[2 * i] = lan;
            frames[2 * i + 1] = in;
            ifindex[2 * i + 1] = wan;
            // each flow opens (first packet, answer): ESTABLISHED from then on
            send(b, out, lan);
            send(b, back, wan);
            send(b, in, wan);
            send(b, answer, lan);
        }
        long before = sent;
        for (int i = 0; i < BATCH; i++) {
            send(b, frames[i], ifindex[i]);
            batch[i] = new PacketBuffer(PacketBuffer.DEFAULT_CAPACITY);
        }
        if (sent - before != BATCH || router.conntrackLines().size() != BATCH) {
            throw new IllegalStateException("the flows are not established: " + (sent - before) + " sent, "
                    + router.conntrackLines());
        }
    }

    private void send(PacketBuffer b, byte[] frame, int dev) {
        b.load(frame);
        b.ifindex = dev;
        router.receive(b);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void establishedBatchOf32(Blackhole bh) {
        for (int i = 0; i < BATCH; i++) {
            PacketBuffer b = batch[i];
            b.load(frames[i]);
            b.ifindex = ifindex[i];
            router.receive(b);
        }
        bh.consume(sent);
    }
}
