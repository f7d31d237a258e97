package org.jnft.bench;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.jnft.nft.Frontend;
import org.jnft.nft.SnapshotBuilder;
import org.jnft.nft.Source;
import org.jnft.packet.Addresses;
import org.jnft.packet.PacketBuilder;
import org.jnft.vm.Engine;
import org.jnft.vm.Interpreter;
import org.jnft.vm.NftPacket;
import org.jnft.vm.Ruleset;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 2's interpreter figure: a UDP packet walks a forward chain of 100 typical rules that all fail to
 * match (address and port compares, an interval set, flags masks); the score is nanoseconds per rule.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class InterpreterBenchmark {
    static final int RULES = 100;

    private final Interpreter interp = new Interpreter();
    private final Engine engine = new Engine();
    private final NftPacket p = new NftPacket();
    private Ruleset rs;

    @Setup
    public void setUp() throws Exception {
        rs = SnapshotBuilder.build(Frontend.loadText(new Source("r.nft", Rulesets.typical(RULES))), 1);
        byte[] f = PacketBuilder.ether(1, 2).ipv4(Addresses.parseIpv4("198.51.100.1"),
                Addresses.parseIpv4("198.51.100.2")).ttl(64).udp(40000, 9).payloadLength(18).build();
        p.segment = MemorySegment.ofArray(f);
        p.frameOffset = 0;
        p.frameLength = f.length;
        p.linkOffset = 0;
        p.networkOffset = 14;
        p.transportOffset = 34;
        p.nfproto = NftPacket.NFPROTO_IPV4;
        p.l4proto = 17;
        p.protocol = 0x0800;
        p.setIif(2, "wan");
        p.setOif(3, "lan");
    }

    @Benchmark
    @OperationsPerInvocation(RULES)
    public int walkChainOf100Rules() {
        return interp.runHook(rs, NftPacket.NFPROTO_IPV4, NftPacket.HOOK_FORWARD, p, engine);
    }
}
