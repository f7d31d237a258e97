package org.jnft.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnft.pipeline.FragFixtures.MAC_A;
import static org.jnft.pipeline.FragFixtures.MAC_B;

import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.jnft.packet.PacketBuffer;
import org.jnft.packet.PacketBuilder;
import org.jnft.packet.PacketInfo;
import org.jnft.packet.PacketParser;
import org.junit.jupiter.api.Test;

/**
 * Reassembly and refragmentation allocate nothing per fragment once warm: complete datagrams in both
 * families, duplicates, overlaps, and queues left to expire.
 */
class DefragAllocationTest {
    static final long S = 1_000_000_000L;

    /** Counts without allocating. */
    static final class Counting implements DefragEvents, FragmentSink {
        long dropped;
        long timeouts;
        long emitted;

        @Override
        public void fragmentsDropped(int ifindex, int reason, int count) {
            dropped += count;
        }

        @Override
        public void reassemblyTimeout(int user, int iif, MemorySegment seg, long l3, int length) {
            timeouts++;
        }

        @Override
        public void emit(MemorySegment seg, long l3, int length) {
            emitted++;
        }
    }

    @Test
    void noAllocationPerFragment() {
        Counting counting = new Counting();
        Ipv4Defrag d4 = new Ipv4Defrag(counting);
        Ipv6Defrag d6 = new Ipv6Defrag(counting);
        Ipv4Refragmenter r4 = new Ipv4Refragmenter();
        Ipv6Refragmenter r6 = new Ipv6Refragmenter();
        List<byte[]> frames = new ArrayList<>();
        byte[] a = PacketBuilder.ether(MAC_A, MAC_B).ipv4(1, 2).id(5).udp(1, 2).payloadLength(4000).build();
        frames.add(FragFixtures.v4(a, 2960, 1048, false));
        frames.add(FragFixtures.v4(a, 0, 1480, true));
        frames.add(FragFixtures.v4(a, 0, 1480, true)); // duplicate
        frames.add(FragFixtures.v4(a, 1480, 1480, true));
        byte[] b = PacketBuilder.ether(MAC_A, MAC_B).ipv4(1, 2).id(6).udp(1, 2).payloadLength(4000).build();
        frames.add(FragFixtures.v4(b, 0, 1480, true));
        frames.add(FragFixtures.v4(b, 800, 1480, true)); // overlap: the queue goes
        byte[] c = PacketBuilder.ether(MAC_A, MAC_B).ipv4(1, 3).id(7).udp(1, 2).payloadLength(4000).build();
        frames.add(FragFixtures.v4(c, 0, 1480, true)); // left to expire
        byte[] e = Ipv6DefragTest.datagram(5000);
        frames.add(FragFixtures.v6(e, 2896, 2112, false, 9));
        frames.add(FragFixtures.v6(e, 0, 1448, true, 9));
        frames.add(FragFixtures.v6(e, 1448, 1448, true, 9));
        frames.add(FragFixtures.v6(e, 1448, 1448, true, 10)); // left to expire
        byte[][] all = frames.toArray(new byte[0][]);
        PacketBuffer in = new PacketBuffer(PacketBuffer.DEFAULT_CAPACITY);
        PacketBuffer out = new PacketBuffer(PacketBuffer.DEFAULT_CAPACITY);
        PacketInfo pi = new PacketInfo();
        FragMeta meta = new FragMeta();
        long[] now = {0};
        int[] reassembled = {0};
        Runnable burst = () -> {
            for (int round = 0; round < 2_000; round++) {
                for (int k = 0; k < all.length; k++) {
                    byte[] f = all[k];
                    in.load(f);
                    in.ifindex = 2;
                    PacketParser.parse(in.segment(), in.offset(), in.length(), pi);
                    int r = pi.isIpv4()
                            ? d4.gather(in, pi, Ipv4Defrag.user(false, 0), now[0], out, meta)
                            : d6.gather(in, pi, Ipv6Defrag.user(false, 0), now[0], out, meta);
                    if (r == DefragResult.REASSEMBLED) {
                        reassembled[0]++;
                        int len = out.length() - 14;
                        if (pi.isIpv4()) {
                            r4.fragment(out.segment(), out.offset() + 14, len, 1400, meta, counting);
                            r4.fragment(out.segment(), out.offset() + 14, len, 9000, meta, counting);
                        } else {
                            r6.fragment(out.segment(), out.offset() + 14, len, 9000, meta, meta.id, counting);
                            r6.fragment(out.segment(), out.offset() + 14, len, 2200, meta, meta.id, counting);
                        }
                    }
                }
                now[0] += 61 * S;
                d4.expire(now[0]);
                d6.expire(now[0]);
            }
        };
        burst.run(); // warm up
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        burst.run();
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertThat(reassembled[0]).isEqualTo(2 * 2_000 * 2);
        assertThat(counting.timeouts).as("queues expired with their first fragment").isEqualTo(2 * 2_000);
        assertThat(counting.dropped).as("fragments dropped on expiry").isEqualTo(2 * 2_000 * 2);
        assertThat(counting.emitted).isEqualTo(2 * 2_000 * 12);
        assertThat(d4.queues() + d6.queues()).isZero();
        assertThat(allocated).as("bytes allocated for 22,000 fragments").isLessThan(20_000);
    }
}
