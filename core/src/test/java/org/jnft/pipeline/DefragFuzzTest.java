package org.jnft.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnft.pipeline.FragFixtures.MAC_A;
import static org.jnft.pipeline.FragFixtures.MAC_B;

import java.util.Random;
import org.jnft.packet.PacketBuilder;
import org.junit.jupiter.api.Test;

/**
 * Random, mostly wrong fragments (overlaps, duplicates, odd lengths, conflicting ends, offsets near 64 KiB)
 * from a few sources and ids, over a moving clock and a small memory limit: nothing throws, every verdict
 * is a known one, the charge stays within its bound, and once every queue has expired nothing is left.
 */
class DefragFuzzTest {
    static final long SEED = 0xf00d_f4a6L;
    static final long S = 1_000_000_000L;

    @Test
    void randomFragmentsNeverBreakTheBookkeeping() {
        Random rnd = new Random(SEED);
        long high = 16_000;
        Ipv4Defrag d4 = new Ipv4Defrag(high, 30 * S, 8, DefragEvents.NONE);
        Ipv6Defrag d6 = new Ipv6Defrag(high, 60 * S, DefragEvents.NONE);
        FragFixtures.Feeder feeder = new FragFixtures.Feeder(d4, d6);
        byte[][] v4 = new byte[4][];
        byte[][] v6 = new byte[4][];
        for (int i = 0; i < 4; i++) {
            v4[i] = java.util.Arrays.copyOf(PacketBuilder.ether(MAC_A, MAC_B).ipv4(0x0a000001 + (i & 1), 0x0a000009)
                    .id(i).udp(1, 2).payloadLength(4000).build(), 14 + 20 + 68000);
            v6[i] = java.util.Arrays.copyOf(PacketBuilder.ether(MAC_A, MAC_B).ipv6(1, 1 + (i & 1), 2, 2)
                    .udp(1, 2).payloadLength(4000).build(), 14 + 40 + 68000);
        }
        long now = 0;
        int[] seen = new int[16];
        for (int n = 0; n < 60_000; n++) {
            now += rnd.nextInt(20) * 10_000_000L;
            int i = rnd.nextInt(4);
            int off = rnd.nextInt(10) == 0 ? 65528 - 8 * rnd.nextInt(8) : 8 * rnd.nextInt(600);
            int len = rnd.nextInt(10) == 0 ? rnd.nextInt(16) : 8 * (1 + rnd.nextInt(200)) - (rnd.nextInt(4) == 0 ? rnd.nextInt(8) : 0);
            boolean more = rnd.nextInt(3) != 0;
            feeder.ifindex = 2 + rnd.nextInt(2);
            byte[] f = rnd.nextBoolean()
                    ? FragFixtures.v4(v4[i], off, len, more, rnd.nextBoolean())
                    : FragFixtures.v6(v6[i], off, Math.max(len, 0), more, i);
            String what = "seed " + SEED + " step " + n;
            int r = feeder.feed(f, now);
            assertThat(r).as(what).isBetween(DefragResult.ACCEPT, DefragResult.NOMEM);
            seen[r]++;
            long bound = high + FragQueueTable.truesize(65536 + 64) + Ipv4Defrag.QUEUE_COST;
            assertThat(d4.memory()).as(what).isBetween(0L, bound);
            assertThat(d6.memory()).as(what).isBetween(0L, bound);
        }
        for (int code : new int[] {DefragResult.QUEUED, DefragResult.DUP, DefragResult.OVERLAP, DefragResult.INVALID,
                DefragResult.NOMEM}) {
            assertThat(seen[code]).as(DefragResult.name(code)).isPositive();
        }
        d4.expire(now + 61 * S);
        d6.expire(now + 61 * S);
        assertThat(d4.queues() + d6.queues()).isZero();
        assertThat(d4.memory() + d6.memory()).isZero();
        assertThat(d4.nextDeadline()).isEqualTo(Long.MAX_VALUE);
    }
}
