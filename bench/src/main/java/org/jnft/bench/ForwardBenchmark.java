package org.jnft.bench;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.jnft.packet.Addresses;
import org.jnft.packet.PacketBuffer;
import org.jnft.packet.PacketBuilder;
import org.jnft.pipeline.Router;
import org.jnft.pipeline.Sysctl;
import org.jnft.pipeline.Transmitter;
import org.jnft.route.NetConfig;
import org.jnft.route.NetDevice;
import org.jnft.route.NetFile;
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
 * Issue 1's figure: parse + route + TTL + L2 rewrite + transmit of 64-byte IPv4/UDP frames, in batches of 32,
 * with no ruleset. The transmitter only counts, so this measures the router's own per-packet work; the frame
 * is copied into its buffer first, as a receive ring would.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class ForwardBenchmark {
    static final int BATCH = 32;

    /** Routes in the FIB besides the connected ones: 1 (a default route) or 100k /24s plus the default. */
    @Param({"1", "100000"})
    public int routes;

    private Router router;
    private final PacketBuffer[] batch = new PacketBuffer[BATCH];
    private byte[][] frames;
    private int lanIndex;
    private long sent;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Path net = Files.createTempFile("jnft-bench", ".net");
        StringBuilder text = new StringBuilder("""
                link add lan address 02:00:00:00:01:01
                link add wan address 02:00:00:00:02:01
                addr add 192.168.1.1/24 dev lan
                addr add 203.0.113.1/24 dev wan
                route add default via 203.0.113.254 dev wan
                neigh add 203.0.113.254 lladdr 02:00:00:00:02:fe dev wan
                """);
        for (int i = 1; i < routes; i++) {
            // 100k /24s spread over 10.0.0.0/8 and 100.64.0.0/10, all via the uplink's gateway
            int n = i - 1;
            String prefix = n < 65536 ? "10." + (n >> 8) + "." + (n & 255) + ".0/24"
                    : "100." + (64 + ((n - 65536) >> 8)) + "." + ((n - 65536) & 255) + ".0/24";
            text.append("route add ").append(prefix).append(" via 203.0.113.254 dev wan\n");
        }
        Files.writeString(net, text);
        NetConfig cfg = NetFile.parse(net, net.toString());
        Files.delete(net);
        Transmitter counting = (NetDevice dev, MemorySegment frame, long offset, int length, long now) -> sent++;
        router = new Router(cfg, new Sysctl(), counting);
        lanIndex = cfg.devices().byName("lan").ifindex();
        frames = new byte[BATCH][];
        long host = Addresses.parseMac("02:00:00:00:01:10");
        long routerMac = Addresses.parseMac("02:00:00:00:01:01");
        for (int i = 0; i < BATCH; i++) {
            // 14 + 20 + 8 + 22 = 64 bytes: the smallest Ethernet frame without FCS padding games
            // with many routes, destinations fall in routes spread over the table
            String dst = routes > 1 ? "10." + (i * 7 % 256) + "." + (i * 31 % 256) + ".9" : "198.51.100." + (i + 1);
            frames[i] = PacketBuilder.ether(host, routerMac)
                    .ipv4(Addresses.parseIpv4("192.168.1.10"), Addresses.parseIpv4(dst))
                    .ttl(64).udp(40000 + i, 53).payloadLength(22).build();
            batch[i] = new PacketBuffer(PacketBuffer.DEFAULT_CAPACITY);
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void forwardBatchOf32(Blackhole bh) {
        for (int i = 0; i < BATCH; i++) {
            PacketBuffer b = batch[i];
            b.load(frames[i]);
            b.ifindex = lanIndex;
            router.receive(b);
        }
        bh.consume(sent);
    }
}
