package org.jnft.bench;

import java.util.concurrent.TimeUnit;
import org.jnft.conntrack.Conntrack;
import org.jnft.conntrack.ConntrackParams;
import org.jnft.conntrack.CtTuple;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Issue 4: conntrack lookups per second in tables of 1k, 100k and 1M entries (buckets = entries). */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx3g"})
public class ConntrackBenchmark {
    @Param({"1000", "100000", "1000000"})
    public int entries;

    private Conntrack ct;
    private int[] src;
    private int[] sport;
    private int next;

    @Setup
    public void setUp() {
        ConntrackParams p = new ConntrackParams();
        p.set("net.netfilter.nf_conntrack_max", Math.max(entries, 1024));
        p.set("net.netfilter.nf_conntrack_buckets", Math.max(entries, 1024));
        ct = new Conntrack(p);
        src = new int[entries];
        sport = new int[entries];
        java.util.Random r = new java.util.Random(7);
        for (int i = 0; i < entries; i++) {
            src[i] = 0x0a00_0000 | r.nextInt(1 << 24);
            sport[i] = 1024 + r.nextInt(60000);
            if (ct.insert(2, 6, 0, src[i], 0, 0xc633_6407, sport[i], 443, 0, 0) == null) {
                i--; // duplicate tuple: draw again
            }
        }
    }

    @Benchmark
    public CtTuple lookup() {
        int i = next;
        next = i + 1 == entries ? 0 : i + 1;
        return ct.findV4(6, src[i], 0xc633_6407, sport[i], 443, 0, 0);
    }
}
