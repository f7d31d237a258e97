package org.jnft.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnft.pipeline.FragFixtures.MAC_A;
import static org.jnft.pipeline.FragFixtures.MAC_B;
import static org.jnft.pipeline.FragFixtures.v4;
import static org.jnft.pipeline.FragFixtures.v6;

import java.lang.foreign.MemorySegment;
import org.jnft.packet.Bytes;
import org.jnft.packet.Checksum;
import org.jnft.packet.PacketBuilder;
import org.junit.jupiter.api.Test;

/** ip_do_fragment / ip6_fragment, and the decisions around them (ip_exceeds_mtu, ip6_pkt_too_big). */
class RefragmenterTest {
    final Ipv4Refragmenter r4 = new Ipv4Refragmenter();
    final Ipv6Refragmenter r6 = new Ipv6Refragmenter();

    static MemorySegment seg(byte[] frame) {
        return MemorySegment.ofArray(frame);
    }

    static int u16(byte[] f, int off) {
        return Bytes.u16(MemorySegment.ofArray(f), off);
    }

    @Test
    void plainDatagramSlowPath() {
        byte[] d = PacketBuilder.ether(MAC_A, MAC_B).ipv4(1, 2).id(0x1234).udp(1, 2).payloadLength(3000).build();
        FragMeta meta = new FragMeta();
        assertThat(Ipv4Refragmenter.mustFragment(d.length - 14, 1500, meta)).isTrue();
        FragFixtures.Collector c = new FragFixtures.Collector(d);
        assertThat(r4.fragment(seg(d), 14, d.length - 14, 1500, meta, c)).isEqualTo(Ipv4Refragmenter.OK);
        assertThat(c.frames).hasSize(3);
        assertThat(c.frames.get(0)).isEqualTo(v4(d, 0, 1480, true));
        assertThat(c.frames.get(1)).isEqualTo(v4(d, 1480, 1480, true));
        assertThat(c.frames.get(2)).isEqualTo(v4(d, 2960, 48, false));
    }

    @Test
    void lastPieceMayUseTheWholeRoomUnrounded() {
        // 1478 bytes of room: 1472 (rounded) then the 1478 left fit in one, as ip_frag_next cuts.
        byte[] d = PacketBuilder.ether(MAC_A, MAC_B).ipv4(1, 2).udp(1, 2).payloadLength(1472 + 1478 - 8).build();
        FragFixtures.Collector c = new FragFixtures.Collector(d);
        r4.fragment(seg(d), 14, d.length - 14, 1498, new FragMeta(), c);
        assertThat(c.frames).hasSize(2);
        assertThat(c.frames.get(1).length - 14).isEqualTo(1498);
    }

    @Test
    void dfDatagramsNeedIcmpUnlessReassembledWithinTheMtu() {
        byte[] d = PacketBuilder.ether(MAC_A, MAC_B).ipv4(1, 2).df(true).udp(1, 2).payloadLength(3000).build();
        FragMeta plain = new FragMeta();
        assertThat(Ipv4Refragmenter.exceedsMtu(d.length - 14, true, plain, 1500)).isTrue();
        assertThat(r4.fragment(seg(d), 14, d.length - 14, 1500, plain, new FragFixtures.Collector(d)))
                .isEqualTo(Ipv4Refragmenter.FRAG_NEEDED);
        FragMeta reasm = new FragMeta();
        reasm.reassembled = true;
        reasm.fragMaxSize = 1400;
        reasm.pmtu = true;
        assertThat(Ipv4Refragmenter.exceedsMtu(d.length - 14, true, reasm, 1500)).isFalse();
        assertThat(Ipv4Refragmenter.exceedsMtu(d.length - 14, true, reasm, 1300)).isTrue();
        assertThat(Ipv4Refragmenter.exceedsMtu(d.length - 14, false, reasm, 1300)).isFalse();
        assertThat(r4.fragment(seg(d), 14, d.length - 14, 1300, reasm, new FragFixtures.Collector(d)))
                .isEqualTo(Ipv4Refragmenter.FRAG_NEEDED);
        // Slow path (no geometry): pieces of min(MTU, frag_max_size), DF kept on each (IPSKB_FRAG_PMTU).
        FragFixtures.Collector c = new FragFixtures.Collector(d);
        assertThat(r4.fragment(seg(d), 14, d.length - 14, 1500, reasm, c)).isEqualTo(Ipv4Refragmenter.OK);
        assertThat(c.frames).hasSize(3);
        for (byte[] f : c.frames) {
            assertThat(f.length - 14).isLessThanOrEqualTo(1400);
            assertThat(u16(f, 14 + 6) & 0x4000).isEqualTo(0x4000);
            assertThat(Checksum.ipv4HeaderValid(seg(f), 14)).isTrue();
        }
    }

    @Test
    void reassembledDatagramLeavesWithItsOriginalGeometry() {
        byte[] d = PacketBuilder.ether(MAC_A, MAC_B).ipv4(1, 2).id(99).udp(1, 2).payloadLength(2500).build();
        byte[][] in = {v4(d, 0, 1000, true), v4(d, 1000, 1000, true), v4(d, 2000, 508, false)};
        FragFixtures.Feeder f = new FragFixtures.Feeder(new Ipv4Defrag(DefragEvents.NONE), null);
        f.feed(in[2], 0);
        f.feed(in[0], 0);
        assertThat(f.feed(in[1], 0)).isEqualTo(DefragResult.REASSEMBLED);
        byte[] r = f.result();
        assertThat(Ipv4Refragmenter.mustFragment(r.length - 14, 9000, f.meta)).isTrue();
        FragFixtures.Collector c = new FragFixtures.Collector(r);
        assertThat(r4.fragment(seg(r), 14, r.length - 14, 9000, f.meta, c)).isEqualTo(Ipv4Refragmenter.OK);
        assertThat(c.frames).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(c.frames.get(i)).as("fragment %d", i).isEqualTo(in[i]);
        }
        // A smaller egress MTU: the slow path, pieces of at most 576 - 20 rounded to 8.
        c = new FragFixtures.Collector(r);
        r4.fragment(seg(r), 14, r.length - 14, 576, f.meta, c);
        assertThat(c.frames).hasSize(5);
        assertThat(c.frames.get(0).length - 14).isEqualTo(20 + 552);
    }

    @Test
    void uncopiedOptionsBecomeNopsAfterTheFirstFragment() {
        byte[] opts = {7, 7, 4, 0, 0, 0, 0, 0}; // record route (not copied), end of list
        byte[] d = PacketBuilder.ether(MAC_A, MAC_B).ipv4(1, 2).ipv4Options(opts).udp(1, 2).payloadLength(2000).build();
        FragFixtures.Collector c = new FragFixtures.Collector(d);
        r4.fragment(seg(d), 14, d.length - 14, 1000, new FragMeta(), c);
        assertThat(c.frames).hasSize(3);
        assertThat(java.util.Arrays.copyOfRange(c.frames.get(0), 34, 42)).isEqualTo(opts);
        for (int i = 1; i < 3; i++) {
            assertThat(java.util.Arrays.copyOfRange(c.frames.get(i), 34, 42)).isEqualTo(new byte[] {1, 1, 1, 1, 1, 1, 1, 0});
            assertThat(Checksum.ipv4HeaderValid(seg(c.frames.get(i)), 14)).isTrue();
        }
    }

    @Test
    void ipv6ReassembledLeavesAsItCame() {
        byte[] d = Ipv6DefragTest.datagram(3000);
        byte[][] in = {v6(d, 0, 1448, true, 77), v6(d, 1448, 1448, true, 77), v6(d, 2896, 112, false, 77)};
        FragFixtures.Feeder f = new FragFixtures.Feeder(null, new Ipv6Defrag(DefragEvents.NONE));
        f.feed(in[1], 0);
        f.feed(in[2], 0);
        assertThat(f.feed(in[0], 0)).isEqualTo(DefragResult.REASSEMBLED);
        byte[] r = f.result();
        int len = r.length - 14;
        assertThat(Ipv6Refragmenter.pktTooBig(len, f.meta, 1500)).isFalse();
        assertThat(Ipv6Refragmenter.pktTooBig(len, f.meta, 1400)).isTrue();
        assertThat(Ipv6Refragmenter.mustFragment(len, 9000, f.meta)).isTrue();
        FragFixtures.Collector c = new FragFixtures.Collector(r);
        assertThat(r6.fragment(seg(r), 14, len, 9000, f.meta, f.meta.id, c)).isEqualTo(Ipv6Refragmenter.OK);
        assertThat(c.frames).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(c.frames.get(i)).as("fragment %d", i).isEqualTo(in[i]);
        }
        assertThat(r6.fragment(seg(r), 14, len, 1400, f.meta, 1, c)).isEqualTo(Ipv6Refragmenter.TOO_BIG);
    }

    @Test
    void ipv6FragmentHeaderGoesAfterTheUnfragmentablePart() {
        byte[] d = PacketBuilder.ether(MAC_A, MAC_B).ipv6(1, 2, 3, 4).hopByHop().routing().destOptions()
                .udp(1, 2).payloadLength(3000).build();
        FragMeta meta = new FragMeta();
        meta.reassembled = true; // as skb->ignore_df: fragment without geometry, slow path
        FragFixtures.Collector c = new FragFixtures.Collector(d);
        assertThat(r6.fragment(seg(d), 14, d.length - 14, 1280, meta, 0xabcd, c)).isEqualTo(Ipv6Refragmenter.OK);
        // Unfragmentable: IPv6, hop-by-hop, routing (24 bytes here); destination options after routing are not.
        int unfrag = 40 + 8 + ((d[14 + 48 + 1] & 0xff) + 1) * 8;
        int total = 0;
        for (int i = 0; i < c.frames.size(); i++) {
            byte[] f = c.frames.get(i);
            assertThat(f.length - 14).isLessThanOrEqualTo(1280);
            assertThat(f[14 + 48] & 0xff).as("routing header's next header").isEqualTo(44);
            int fh = 14 + unfrag;
            assertThat(f[fh] & 0xff).isEqualTo(60);
            assertThat(Bytes.u32(seg(f), fh + 4)).isEqualTo(0xabcd);
            int off = u16(f, fh + 2);
            assertThat(off & ~7).isEqualTo(total);
            assertThat((off & 1) == 1).isEqualTo(i < c.frames.size() - 1);
            total += f.length - fh - 8;
        }
        assertThat(total).isEqualTo(d.length - 14 - unfrag);
    }
}
