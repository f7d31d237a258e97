package org.jnft.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnft.pipeline.FragFixtures.MAC_A;
import static org.jnft.pipeline.FragFixtures.MAC_B;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.jnft.packet.PacketBuilder;
import org.junit.jupiter.api.Test;

/**
 * Fragment, then reassemble in a random order (with duplicates): the original datagram comes back byte for
 * byte; refragmenting the result for another MTU and reassembling again gives it once more. Seeded; the
 * seed and case are in the failure message.
 */
class DefragPropertyTest {
    static final long SEED = 0x5eed_f4a6L;

    @Test
    void ipv4FragmentThenReassemble() {
        Random rnd = new Random(SEED);
        Ipv4Defrag defrag = new Ipv4Defrag(DefragEvents.NONE);
        FragFixtures.Feeder feeder = new FragFixtures.Feeder(defrag, null);
        Ipv4Refragmenter refrag = new Ipv4Refragmenter();
        for (int i = 0; i < 400; i++) {
            int maxPayload = 65535 - 28;
            int payload = i % 10 == 0 ? maxPayload - rnd.nextInt(16) : 100 + rnd.nextInt(maxPayload - 100);
            PacketBuilder b = PacketBuilder.ether(MAC_A, MAC_B).ipv4(0x0a000001 + i, 0xc6336407).id(rnd.nextInt(65536))
                    .ttl(1 + rnd.nextInt(255)).tos(rnd.nextInt(64) << 2);
            if (rnd.nextInt(4) == 0) {
                b.ipv4Options(new byte[] {7, 7, 4, 0, 0, 0, 0, 0}); // record route: NOPs after the first fragment
                payload = Math.min(payload, maxPayload - 8);
            }
            byte[] d = b.udp(rnd.nextInt(65536), rnd.nextInt(65536)).payloadLength(payload).build();
            int len = d.length - 14;
            int mtu = 68 + rnd.nextInt(Math.min(9000, len - 1) - 68 + 1);
            String what = "seed " + SEED + " case " + i + " len " + len + " mtu " + mtu;
            FragFixtures.Collector c = new FragFixtures.Collector(d);
            assertThat(refrag.fragment(MemorySegment.ofArray(d), 14, len, mtu, new FragMeta(), c))
                    .as(what).isEqualTo(Ipv4Refragmenter.OK);
            for (byte[] f : c.frames) {
                assertThat(f.length - 14).as(what).isLessThanOrEqualTo(mtu);
            }
            byte[] r = reassemble(feeder, c.frames, rnd, what);
            assertThat(r).as(what).isEqualTo(d);
            // Out again through another MTU, and back.
            FragMeta meta = new FragMeta();
            meta.copyFrom(feeder.meta);
            int mtu2 = 68 + rnd.nextInt(9000 - 68 + 1);
            FragFixtures.Collector c2 = new FragFixtures.Collector(r);
            assertThat(Ipv4Refragmenter.mustFragment(len, mtu2, meta)).isTrue();
            assertThat(refrag.fragment(MemorySegment.ofArray(r), 14, len, mtu2, meta, c2)).as(what).isEqualTo(0);
            for (byte[] f : c2.frames) {
                assertThat(f.length - 14).as(what + " mtu2 " + mtu2).isLessThanOrEqualTo(Math.min(mtu2, meta.fragMaxSize));
            }
            assertThat(reassemble(feeder, c2.frames, rnd, what + " mtu2 " + mtu2)).as(what).isEqualTo(d);
        }
        assertThat(defrag.queues()).isZero();
        assertThat(defrag.memory()).isZero();
    }

    @Test
    void ipv6FragmentThenReassemble() {
        Random rnd = new Random(SEED + 6);
        Ipv6Defrag defrag = new Ipv6Defrag(DefragEvents.NONE);
        FragFixtures.Feeder feeder = new FragFixtures.Feeder(null, defrag);
        Ipv6Refragmenter refrag = new Ipv6Refragmenter();
        for (int i = 0; i < 400; i++) {
            PacketBuilder b = PacketBuilder.ether(MAC_A, MAC_B).ipv6(0x20010db8_00010000L, i, 0x20010db8_00020000L, 7)
                    .hopLimit(1 + rnd.nextInt(255)).trafficClass(rnd.nextInt(64) << 2).flowLabel(rnd.nextInt(1 << 20));
            int ext = rnd.nextInt(3);
            if (ext >= 1) {
                b.hopByHop();
            }
            if (ext == 2) {
                b.destOptions();
            }
            int maxPayload = 65535 - 8 * ext - 8;
            int payload = i % 10 == 0 ? maxPayload - rnd.nextInt(16) : 1300 + rnd.nextInt(maxPayload - 1300);
            byte[] d = b.udp(rnd.nextInt(65536), rnd.nextInt(65536)).payloadLength(payload).build();
            int len = d.length - 14;
            int mtu = 1280 + rnd.nextInt(Math.min(9000, len - 1) - 1280 + 1);
            String what = "seed " + (SEED + 6) + " case " + i + " len " + len + " mtu " + mtu;
            FragMeta local = new FragMeta();
            local.reassembled = true; // ignore_df: fragment what is too big
            FragFixtures.Collector c = new FragFixtures.Collector(d);
            int id = rnd.nextInt();
            assertThat(refrag.fragment(MemorySegment.ofArray(d), 14, len, mtu, local, id, c)).as(what).isEqualTo(0);
            for (byte[] f : c.frames) {
                assertThat(f.length - 14).as(what).isLessThanOrEqualTo(mtu);
            }
            byte[] r = reassemble(feeder, c.frames, rnd, what);
            assertThat(r).as(what).isEqualTo(d);
            assertThat(feeder.meta.id).isEqualTo(id);
            FragMeta meta = new FragMeta();
            meta.copyFrom(feeder.meta);
            int mtu2 = 1280 + rnd.nextInt(9000 - 1280 + 1);
            if (Ipv6Refragmenter.pktTooBig(len, meta, mtu2)) {
                assertThat(meta.fragMaxSize).isGreaterThan(mtu2);
                continue;
            }
            FragFixtures.Collector c2 = new FragFixtures.Collector(r);
            assertThat(Ipv6Refragmenter.mustFragment(len, mtu2, meta)).isTrue();
            assertThat(refrag.fragment(MemorySegment.ofArray(r), 14, len, mtu2, meta, id + 1, c2)).as(what).isEqualTo(0);
            for (byte[] f : c2.frames) {
                assertThat(f.length - 14).isLessThanOrEqualTo(mtu2);
            }
            assertThat(reassemble(feeder, c2.frames, rnd, what + " mtu2 " + mtu2)).as(what).isEqualTo(d);
        }
        assertThat(defrag.queues()).isZero();
        assertThat(defrag.memory()).isZero();
    }

    /** Feeds the fragments shuffled, with duplicates of already-fed ones mixed in before the last. */
    static byte[] reassemble(FragFixtures.Feeder feeder, List<byte[]> frames, Random rnd, String what) {
        List<byte[]> order = new ArrayList<>(frames);
        Collections.shuffle(order, rnd);
        int dups = order.size() > 1 ? rnd.nextInt(3) : 0;
        for (int k = 0; k < dups; k++) {
            int at = 1 + rnd.nextInt(order.size() - 1); // before the last, after at least one
            order.add(at, order.get(rnd.nextInt(at)));
        }
        for (int k = 0; k < order.size(); k++) {
            int r = feeder.feed(order.get(k), 0);
            if (k < order.size() - 1) {
                assertThat(r).as(what + " fragment " + k + " " + DefragResult.name(r))
                        .isIn(DefragResult.QUEUED, DefragResult.DUP);
            } else {
                assertThat(r).as(what + " last " + DefragResult.name(r)).isEqualTo(DefragResult.REASSEMBLED);
            }
        }
        return feeder.result();
    }
}
