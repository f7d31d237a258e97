package org.jnft.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.jnft.conntrack.Conntrack;
import org.jnft.conntrack.ConntrackParams;
import org.jnft.conntrack.CtEntry;
import org.jnft.flowtable.FlowStore;
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
 * Issue 7, item 9: the flow table's lookup alone, and its memory. A {@link FlowStore} holding {@code flows}
 * IPv4 TCP flows (random addresses and ports, both directions indexed, as {@code flow add} leaves them); each
 * operation looks up one direction of a random flow. {@code lookup}: one after the other, as a lone packet
 * would. {@code lookupBatchOf32}: 32 at a time the way {@code Router.receive(PacketBuffer[], int)} does it
 * (hashes, then the index slots, then the records, read in rounds so that their cache misses overlap; then
 * the lookups proper). Score: nanoseconds per lookup.
 *
 * <p>The set-up prints the memory the store takes per flow, measured (heap in use after a full GC, with and
 * without the store; the store lives on the heap in primitive arrays the GC never scans), next to
 * {@link FlowStore#bytesPerFlow()}. Conntrack entries are not counted: every flow here links one and the same.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx2g"})
public class FlowtableLookupBenchmark {
    static final int BATCH = 32;
    static final int IIF_LAN = 2;
    static final int IIF_WAN = 3;

    @Param({"1000", "100000", "1000000"})
    public int flows;

    private FlowStore store;
    /** Per query: the tuple looked up (a random direction of a random flow), in a random order. */
    private int[] src;
    private int[] dst;
    private int[] ports;
    private int[] iif;
    private int next;
    private final int[] hashes = new int[BATCH];
    private int sink;

    @Setup(Level.Trial)
    public void setUp() {
        Random r = new Random(7);
        int[] fs = new int[flows];
        int[] fd = new int[flows];
        int[] fp = new int[flows];
        for (int i = 0; i < flows; i++) {
            fs[i] = r.nextInt();
            fd[i] = r.nextInt();
            fp[i] = (1024 + r.nextInt(64000)) << 16 | 443;
        }
        // one conntrack entry stands for all (a lookup never reads it; a store keeps only flows with an entry)
        CtEntry ct = new Conntrack(new ConntrackParams()).insert(2, 6, 0, 0x0a000001, 0, 0x0a000002, 1, 2, 0, 0);
        long before = FlowtableBenchmark.usedMemory();
        store = new FlowStore(false, 64, 0x5eed);
        for (int i = 0; i < flows; i++) {
            int s = fs[i];
            int d = fd[i];
            int sp = fp[i] >>> 16;
            if (store.lookup4(s, d, fp[i], 6, IIF_LAN) >= 0 || store.lookup4(d, s, 443 << 16 | sp, 6, IIF_WAN) >= 0) {
                throw new IllegalStateException("the random flows collide: change the seed");
            }
            int id = store.allocate();
            store.tuple4(id, 0, s, d);
            store.tuple4(id, 1, d, s);
            store.ports(id, 0, sp, 443);
            store.ports(id, 1, 443, sp);
            store.iif(id, 0, IIF_LAN);
            store.iif(id, 1, IIF_WAN);
            store.oif(id, 0, IIF_WAN);
            store.oif(id, 1, IIF_LAN);
            store.proto(id, 6);
            store.mtu(id, 0, 1500);
            store.mtu(id, 1, 1500);
            store.link(id, ct);
        }
        long bytes = FlowtableBenchmark.usedMemory() - before;
        int queries = Math.max(1 << 16, Integer.highestOneBit(flows) << 1);
        src = new int[queries];
        dst = new int[queries];
        ports = new int[queries];
        iif = new int[queries];
        for (int q = 0; q < queries; q++) {
            int f = r.nextInt(flows);
            boolean reply = r.nextBoolean();
            src[q] = reply ? fd[f] : fs[f];
            dst[q] = reply ? fs[f] : fd[f];
            ports[q] = reply ? fp[f] >>> 16 | fp[f] << 16 : fp[f];
            iif[q] = reply ? IIF_WAN : IIF_LAN;
            if (store.lookup4(src[q], dst[q], ports[q], 6, iif[q]) < 0) {
                throw new IllegalStateException("query " + q + " finds nothing");
            }
        }
        System.out.println("\n[" + flows + " flows] flow table memory: " + bytes / flows + " bytes per flow measured"
                + " (heap after GC), " + store.bytesPerFlow() + " by the layout when full");
    }

    @Benchmark
    public int lookup() {
        int q = next;
        next = q + 1 == src.length ? 0 : q + 1;
        return store.lookup4(src[q], dst[q], ports[q], 6, iif[q]);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int lookupBatchOf32() {
        int q0 = next;
        next = q0 + BATCH >= src.length ? 0 : q0 + BATCH;
        FlowStore s = store;
        int[] h = hashes;
        for (int k = 0; k < BATCH; k++) {
            int q = q0 + k;
            h[k] = s.hashOf4(src[q], dst[q], ports[q], 6, iif[q]);
        }
        int x = 0;
        for (int k = 0; k < BATCH; k++) {
            x ^= s.slotAt(h[k]);
        }
        for (int k = 0; k < BATCH; k++) {
            x ^= s.touch(h[k]);
        }
        for (int k = 0; k < BATCH; k++) {
            int q = q0 + k;
            x += s.lookup4(src[q], dst[q], ports[q], 6, iif[q]);
        }
        sink = x;
        return x;
    }
}
