package org.jnft.bench;

import java.util.concurrent.TimeUnit;
import org.jnft.route.Neighbours;
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

/** The cost of one neighbour lookup (next hop to MAC) in tables of 16 and 4096 entries. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class NeighbourBenchmark {
    @Param({"16", "4096"})
    public int entries;

    private final Neighbours table = new Neighbours();
    private int[] addrs;
    private int next;

    @Setup
    public void setUp() {
        addrs = new int[entries];
        for (int i = 0; i < entries; i++) {
            addrs[i] = 0x0a00_0000 | (i * 2654435 & 0xff_ffff);
            table.put4(2, addrs[i], 0x0200_0000_0000L | i);
        }
    }

    @Benchmark
    public long lookup4() {
        int i = next++ & (entries - 1);
        return table.lookup4(2, addrs[i]);
    }
}
