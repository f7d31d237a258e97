package org.jnft.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.jnft.packet.PacketBuffer;
import org.junit.jupiter.api.Test;

/**
 * After warm-up, resolution cycles allocate nothing: queueing behind INCOMPLETE entries, solicitations,
 * releases on replies, failures with their drops, the REACHABLE fast path, STALE -> DELAY -> PROBE.
 */
class NeighbourTableAllocationTest {
    static final long S = 1_000_000_000L;

    @Test
    void resolutionCyclesAllocateNothing() {
        Devices devices = Devices.create(List.of(new NetDevice.Builder("lan", 0x0200_0000_0001L)));
        NetDevice lan = devices.byName("lan");
        long[] seen = new long[4];
        NeighbourTable t = new NeighbourTable(new NeighbourTable.Events() {
            @Override
            public void solicit4(NetDevice dev, int target, long unicastMac, PacketBuffer tail) {
                seen[0]++;
            }

            @Override
            public void solicit6(NetDevice dev, long hi, long lo, long unicastMac, PacketBuffer tail) {
                seen[0]++;
            }

            @Override
            public void release(NetDevice dev, boolean ipv6, PacketBuffer pkt, long mac) {
                seen[1]++;
            }

            @Override
            public void dropped(NetDevice dev, boolean ipv6, PacketBuffer pkt, int why) {
                seen[2]++;
            }
        });
        MemorySegment pkt = MemorySegment.ofArray(new byte[2000]);
        long[] now = {1000 * S};
        Runnable cycles = () -> {
            for (int i = 0; i < 4000; i++) {
                int answered = 0x0a000000 | (i % 256);
                int silent = 0x0a000100 | (i % 256);
                long hi = 0x2001_0db8_0000_0000L;
                for (int k = 0; k < 3; k++) {
                    t.output4(lan, answered, pkt, 0, 100 + 400 * k, 3, now[0]);
                    t.output6(lan, hi, i % 256, pkt, 0, 1280, 3, now[0]);
                    t.output4(lan, silent, pkt, 0, 1500, 3, now[0]);
                }
                t.arpReceived(lan, false, answered, 0x0200_0000_1000L | (i % 256), 0x0a0000ff, 0, false, true,
                        now[0]);
                t.naReceived(lan, hi, i % 256, 0x0200_0000_2000L | (i % 256), true, true, false, now[0]);
                t.output4(lan, answered, pkt, 0, 1500, 3, now[0]);
                long to = now[0] + 700_000_000L;
                long d;
                while ((d = t.nextDeadline()) <= to) {
                    t.expire(d);
                }
                now[0] = to;
            }
        };
        cycles.run(); // warm-up: class loading, JIT, the pool growing to its working size
        cycles.run(); // (a second round: the first leaves a few hundred bytes of JIT warm-up behind)
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] before = seen.clone();
        long pooled = t.pooledBytes();
        long start = mx.getCurrentThreadAllocatedBytes();
        cycles.run();
        long allocated = mx.getCurrentThreadAllocatedBytes() - start;
        assertThat(t.pooledBytes()).as("the packet pool reached its working size in warm-up").isEqualTo(pooled);
        assertThat(seen[0] - before[0]).as("solicitations").isGreaterThan(4000);
        assertThat(seen[1] - before[1]).as("releases").isGreaterThan(4000);
        assertThat(seen[2] - before[2]).as("drops on failure").isGreaterThan(1000);
        assertThat(allocated).as("bytes allocated by 4,000 resolution cycles (JIT warm-up leaves a few hundred)")
                .isLessThan(4000);
    }
}
