package org.jnft.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnft.pipeline.FragFixtures.MAC_A;
import static org.jnft.pipeline.FragFixtures.MAC_B;
import static org.jnft.pipeline.FragFixtures.v4;

import java.lang.foreign.MemorySegment;
import org.jnft.packet.Addresses;
import org.jnft.packet.Checksum;
import org.jnft.packet.PacketBuilder;
import org.junit.jupiter.api.Test;

/** ip_defrag's rules, one by one. */
class Ipv4DefragTest {
    static final long S = 1_000_000_000L;
    static final int SRC = Addresses.parseIpv4("192.0.2.1");
    static final int DST = Addresses.parseIpv4("198.51.100.7");

    static byte[] datagram(int payload, int id) {
        return PacketBuilder.ether(MAC_A, MAC_B).ipv4(SRC, DST).id(id).udp(1000, 2000).payloadLength(payload).build();
    }

    final FragFixtures.Events events = new FragFixtures.Events();
    final Ipv4Defrag defrag = new Ipv4Defrag(events);
    final FragFixtures.Feeder feeder = new FragFixtures.Feeder(defrag, null);

    @Test
    void nonFragmentsPassUntouched() {
        assertThat(feeder.feed(datagram(100, 1), 0)).isEqualTo(DefragResult.ACCEPT);
        assertThat(defrag.reasmReqds()).isZero();
    }

    @Test
    void inOrderAndOutOfOrderGiveTheOriginal() {
        byte[] d = datagram(3000, 7); // 3008 bytes of IP payload
        byte[] a = v4(d, 0, 1480, true);
        byte[] b = v4(d, 1480, 1480, true);
        byte[] c = v4(d, 2960, 48, false);
        assertThat(feeder.feed(a, 0)).isEqualTo(DefragResult.QUEUED);
        assertThat(feeder.feed(b, 0)).isEqualTo(DefragResult.QUEUED);
        assertThat(feeder.feed(c, 0)).isEqualTo(DefragResult.REASSEMBLED);
        assertThat(feeder.result()).isEqualTo(d);
        assertThat(feeder.meta.fragMaxSize).isEqualTo(1500);
        assertThat(feeder.meta.fragments).isEqualTo(3);
        assertThat(feeder.meta.firstLen).isEqualTo(1500);
        assertThat(feeder.meta.pieceLen[0]).isEqualTo(1480);
        assertThat(feeder.meta.pieceLen[1]).isEqualTo(48);
        assertThat(feeder.meta.pmtu).isFalse();
        assertThat(feeder.meta.id).isEqualTo(7);
        for (byte[][] order : new byte[][][] {{c, b, a}, {b, c, a}, {c, a, b}}) {
            assertThat(feeder.feed(order[0], 0)).isEqualTo(DefragResult.QUEUED);
            assertThat(feeder.feed(order[1], 0)).isEqualTo(DefragResult.QUEUED);
            assertThat(feeder.feed(order[2], 0)).isEqualTo(DefragResult.REASSEMBLED);
            assertThat(feeder.result()).isEqualTo(d);
        }
        assertThat(defrag.queues()).isZero();
        assertThat(defrag.memory()).isZero();
        assertThat(defrag.reasmOks()).isEqualTo(4);
        assertThat(defrag.reasmReqds()).isEqualTo(12);
    }

    @Test
    void overlapDropsTheWholeQueue() {
        byte[] d = datagram(3000, 8);
        assertThat(feeder.feed(v4(d, 0, 1480, true), 0)).isEqualTo(DefragResult.QUEUED);
        assertThat(feeder.feed(v4(d, 1000, 1480, true), 0)).isEqualTo(DefragResult.OVERLAP);
        assertThat(defrag.queues()).isZero();
        assertThat(defrag.memory()).isZero();
        assertThat(defrag.reasmOverlaps()).isEqualTo(1);
        // What follows starts a new queue and cannot complete without the first fragment again.
        assertThat(feeder.feed(v4(d, 1480, 1528, false), 0)).isEqualTo(DefragResult.QUEUED);
        assertThat(feeder.feed(v4(d, 0, 1480, true), 0)).isEqualTo(DefragResult.REASSEMBLED);
        assertThat(feeder.result()).isEqualTo(d);
        assertThat(DefragResult.linuxReason(DefragResult.OVERLAP, false)).isEqualTo("NOT_SPECIFIED");
    }

    @Test
    void overlapInTheMiddleAndAcrossRuns() {
        byte[] d = datagram(4000, 9);
        feeder.feed(v4(d, 0, 800, true), 0);
        feeder.feed(v4(d, 2400, 800, true), 0);
        // [1600, 2400) fits the hole before the run at 2400: a new run.
        assertThat(feeder.feed(v4(d, 1600, 800, true), 0)).isEqualTo(DefragResult.QUEUED);
        // [1600, 3200) spans two runs that touch but were never merged: an overlap, not a duplicate.
        assertThat(feeder.feed(v4(d, 1600, 1600, true), 0)).isEqualTo(DefragResult.OVERLAP);
        assertThat(defrag.queues()).isZero();
    }

    @Test
    void duplicatesAreDroppedAndTheQueueKept() {
        byte[] d = datagram(3000, 10);
        byte[] a = v4(d, 0, 1480, true);
        byte[] b = v4(d, 1480, 1480, true);
        assertThat(feeder.feed(a, 0)).isEqualTo(DefragResult.QUEUED);
        assertThat(feeder.feed(b, 0)).isEqualTo(DefragResult.QUEUED);
        assertThat(feeder.feed(a, 0)).isEqualTo(DefragResult.DUP);
        assertThat(feeder.feed(b, 0)).isEqualTo(DefragResult.DUP);
        // Inside the run [0, 2960) made of two fragments: a duplicate too.
        assertThat(feeder.feed(v4(d, 1000, 960, true), 0)).isEqualTo(DefragResult.DUP);
        assertThat(DefragResult.linuxReason(DefragResult.DUP, false)).isEqualTo("DUP_FRAG");
        assertThat(feeder.feed(v4(d, 2960, 48, false), 0)).isEqualTo(DefragResult.REASSEMBLED);
        assertThat(feeder.result()).isEqualTo(d);
    }

    @Test
    void datagramOver65535BytesFails() {
        byte[] d = datagram(65000, 11);
        assertThat(feeder.feed(v4(d, 0, 1480, true), 0)).isEqualTo(DefragResult.QUEUED);
        // A last fragment at offset 65000 with 600 bytes: 20 + 65600 > 65535.
        byte[] tail = java.util.Arrays.copyOf(d, d.length + 600); // payload past 65535 (zeros)
        assertThat(feeder.feed(v4(tail, 65000, 600, false), 0)).isEqualTo(DefragResult.QUEUED);
        // Fill the gap with one (oversized, non-Linux) fragment per 1480 bytes.
        int r = DefragResult.QUEUED;
        for (int off = 1480; off < 65000; off += 1480) {
            int len = Math.min(1480, 65000 - off);
            r = feeder.feed(v4(tail, off, len, true), 0);
        }
        assertThat(r).isEqualTo(DefragResult.REASM_FAILED);
        assertThat(defrag.queues()).isZero();
        assertThat(defrag.memory()).isZero();
        assertThat(DefragResult.linuxReason(DefragResult.REASM_FAILED, false)).isNull();
    }

    @Test
    void inconsistentFragmentsDiscardTheQueue() {
        byte[] d = datagram(3000, 12);
        feeder.feed(v4(d, 1480, 1528, false), 0);
        // A second last fragment ending elsewhere.
        assertThat(feeder.feed(v4(d, 1480, 1000, false), 0)).isEqualTo(DefragResult.INVALID);
        assertThat(defrag.queues()).isZero();
        // Data beyond the known end.
        feeder.feed(v4(d, 1480, 1528, false), 0);
        assertThat(feeder.feed(v4(datagram(5000, 12), 2960, 1480, true), 0)).isEqualTo(DefragResult.INVALID);
        // A more-fragments fragment with fewer than 8 bytes carries nothing.
        assertThat(feeder.feed(v4(d, 0, 7, true), 0)).isEqualTo(DefragResult.INVALID);
        assertThat(defrag.queues()).isZero();
    }

    @Test
    void moreFragmentsDataIsCutToMultipleOf8() {
        byte[] d = datagram(2000, 13);
        assertThat(feeder.feed(v4(d, 0, 1003, true), 0)).isEqualTo(DefragResult.QUEUED); // keeps 1000
        assertThat(feeder.feed(v4(d, 1000, 1008, false), 0)).isEqualTo(DefragResult.REASSEMBLED);
        assertThat(feeder.result()).isEqualTo(d);
    }

    @Test
    void timeoutExpiresTheQueueAndReportsTheHead() {
        byte[] d = datagram(3000, 14);
        feeder.feed(v4(d, 0, 1480, true), 5 * S);
        feeder.feed(v4(d, 1480, 1480, true), 20 * S); // does not extend the timer
        assertThat(defrag.nextDeadline()).isEqualTo(35 * S);
        assertThat(defrag.expire(35 * S - 1)).isZero();
        assertThat(defrag.expire(35 * S)).isEqualTo(2);
        assertThat(defrag.nextDeadline()).isEqualTo(Long.MAX_VALUE);
        assertThat(events.timeouts).isEqualTo(1);
        assertThat(events.timeoutDrops).isEqualTo(2);
        assertThat(events.lastIif).isEqualTo(2);
        assertThat(events.lastUser).isEqualTo(Ipv4Defrag.USER_CONNTRACK_IN);
        assertThat(Ipv4Defrag.expireSkipsIcmp(events.lastUser)).isTrue();
        assertThat(Ipv4Defrag.expireSkipsIcmp(Ipv4Defrag.user(true, 0))).isFalse();
        byte[] head = v4(d, 0, 1480, true);
        assertThat(events.lastHead).isEqualTo(java.util.Arrays.copyOfRange(head, 14, head.length));
        assertThat(defrag.reasmTimeout()).isEqualTo(1);
        assertThat(defrag.memory()).isZero();
        // Without the first fragment nothing is reported for ICMP, but the drops are counted.
        feeder.feed(v4(d, 1480, 1480, true), 40 * S);
        assertThat(defrag.expire(70 * S)).isEqualTo(1);
        assertThat(events.timeouts).isEqualTo(1);
        assertThat(events.timeoutDrops).isEqualTo(3);
        // gather fires due timers first.
        feeder.feed(v4(d, 0, 1480, true), 100 * S);
        assertThat(feeder.feed(v4(d, 1480, 1528, false), 130 * S)).isEqualTo(DefragResult.QUEUED);
        assertThat(events.timeoutDrops).isEqualTo(4);
    }

    @Test
    void overHighThreshEveryFragmentIsRefusedUntilMemoryIsFreed() {
        // Linux >= 4.17: no eviction; inet_frag_find refuses while the charge is above high_thresh.
        Ipv4Defrag small = new Ipv4Defrag(20_000, 30 * S, 64, events);
        FragFixtures.Feeder f = new FragFixtures.Feeder(small, null);
        int queued = 0;
        int id = 100;
        while (f.feed(v4(datagram(3000, id), 0, 1480, true), 0) == DefragResult.QUEUED) {
            queued++;
            id++;
        }
        assertThat(queued).isGreaterThan(3);
        assertThat(small.memory()).isGreaterThan(20_000);
        // Even a fragment completing an existing queue is refused.
        assertThat(f.feed(v4(datagram(3000, 100), 1480, 1528, false), 0)).isEqualTo(DefragResult.NOMEM);
        assertThat(DefragResult.linuxReason(DefragResult.NOMEM, false)).isEqualTo("NOT_SPECIFIED");
        assertThat(small.expire(30 * S)).isEqualTo(queued);
        assertThat(small.memory()).isZero();
        assertThat(f.feed(v4(datagram(3000, 100), 0, 1480, true), 31 * S)).isEqualTo(DefragResult.QUEUED);
    }

    @Test
    void reassemblyDisabledWithZeroHighThresh() {
        Ipv4Defrag off = new Ipv4Defrag(0, 30 * S, 64, events);
        FragFixtures.Feeder f = new FragFixtures.Feeder(off, null);
        assertThat(f.feed(v4(datagram(3000, 1), 0, 1480, true), 0)).isEqualTo(DefragResult.NOMEM);
    }

    @Test
    void maxDistRestartsAQueueLeftBehind() {
        Ipv4Defrag d4 = new Ipv4Defrag(Ipv4Defrag.DEFAULT_HIGH_THRESH, 30 * S, 4, events);
        FragFixtures.Feeder f = new FragFixtures.Feeder(d4, null);
        byte[] d = datagram(3000, 20);
        assertThat(f.feed(v4(d, 0, 1480, true), 0)).isEqualTo(DefragResult.QUEUED);
        // Four fragments of other datagrams from the same source: distance 5 > 4 at the next one of ours.
        for (int i = 0; i < 4; i++) {
            f.feed(v4(datagram(3000, 30 + i), 0, 1480, true), 0);
        }
        assertThat(f.feed(v4(d, 1480, 1480, true), 0)).isEqualTo(DefragResult.QUEUED);
        assertThat(events.tooFarDrops).isEqualTo(1);
        // The queue restarted: the first fragment is needed again.
        assertThat(f.feed(v4(d, 2960, 48, false), 0)).isEqualTo(DefragResult.QUEUED);
        assertThat(f.feed(v4(d, 0, 1480, true), 0)).isEqualTo(DefragResult.REASSEMBLED);
        assertThat(f.result()).isEqualTo(d);
        // Exactly max_dist fragments in between is fine; other sources do not count.
        byte[] e = datagram(3000, 40);
        f.feed(v4(e, 0, 1480, true), 0);
        for (int i = 0; i < 3; i++) {
            f.feed(v4(datagram(3000, 50 + i), 0, 1480, true), 0);
        }
        byte[] other = PacketBuilder.ether(MAC_A, MAC_B).ipv4(SRC + 1, DST).id(60).udp(1, 2).payloadLength(3000).build();
        for (int i = 0; i < 10; i++) {
            f.feed(v4(other, 0, 1480, true), 0);
        }
        f.feed(v4(e, 1480, 1480, true), 0);
        assertThat(f.feed(v4(e, 2960, 48, false), 0)).isEqualTo(DefragResult.REASSEMBLED);
        assertThat(events.tooFarDrops).isEqualTo(1);
        assertThat(DefragResult.linuxReason(DefragResult.TOO_FAR, false)).isEqualTo("FRAG_TOO_FAR");
    }

    @Test
    void dfIsKeptWhenTheLargestFragmentHadIt() {
        byte[] d = datagram(3000, 21);
        feeder.feed(v4(d, 0, 1480, true, true), 0);
        feeder.feed(v4(d, 1480, 1480, true, true), 0);
        assertThat(feeder.feed(v4(d, 2960, 48, false, false), 0)).isEqualTo(DefragResult.REASSEMBLED);
        byte[] r = feeder.result();
        assertThat(r[14 + 6] & 0xff).isEqualTo(0x40);
        assertThat(Checksum.ipv4HeaderValid(MemorySegment.ofArray(r), 14)).isTrue();
        assertThat(feeder.meta.pmtu).isTrue();
        // A small DF fragment next to larger non-DF ones: no DF, frag_max_size the largest of all.
        feeder.feed(v4(d, 0, 1480, true, false), 0);
        feeder.feed(v4(d, 1480, 1480, true, false), 0);
        feeder.feed(v4(d, 2960, 48, false, true), 0);
        assertThat(feeder.result()).isEqualTo(d);
        assertThat(feeder.meta.pmtu).isFalse();
        assertThat(feeder.meta.fragMaxSize).isEqualTo(1500);
    }

    @Test
    void ecnIsCombinedAsRfc3168() {
        byte[] d = datagram(3000, 22);
        feeder.feed(FragFixtures.v4Tos(v4(d, 0, 1480, true), 2), 0); // ECT(0)
        assertThat(feeder.feed(FragFixtures.v4Tos(v4(d, 1480, 1528, false), 3), 0)) // CE
                .isEqualTo(DefragResult.REASSEMBLED);
        assertThat(feeder.result()[14 + 1] & 3).isEqualTo(3);
        feeder.feed(v4(d, 0, 1480, true), 0); // Not-ECT
        assertThat(feeder.feed(FragFixtures.v4Tos(v4(d, 1480, 1528, false), 3), 0))
                .isEqualTo(DefragResult.REASM_FAILED);
    }

    @Test
    void keyHoldsProtocolAndUserButNotTheDevice() {
        byte[] d = datagram(3000, 23);
        byte[] tcpish = PacketBuilder.ether(MAC_A, MAC_B).ipv4(SRC, DST).id(23).ipProto(6).payloadLength(3008).build();
        feeder.feed(v4(d, 0, 1480, true), 0);
        assertThat(feeder.feed(v4(tcpish, 1480, 1528, false), 0)).isEqualTo(DefragResult.QUEUED);
        assertThat(defrag.queues()).isEqualTo(2);
        feeder.ifindex = 3; // another input device joins the same queue (vif is the VRF master, 0 here)
        assertThat(feeder.feed(v4(d, 1480, 1528, false), 0)).isEqualTo(DefragResult.REASSEMBLED);
        assertThat(feeder.out.ifindex).isEqualTo(3);
        // The output hook's user keeps its own queues.
        feeder.in.load(v4(d, 0, 1480, true));
        org.jnft.packet.PacketParser.parse(feeder.in.segment(), feeder.in.offset(), feeder.in.length(), feeder.pi);
        assertThat(defrag.gather(feeder.in, feeder.pi, Ipv4Defrag.user(true, 0), 0, feeder.out, feeder.meta))
                .isEqualTo(DefragResult.QUEUED);
        assertThat(defrag.queues()).isEqualTo(2);
    }

    @Test
    void outputBufferMayBeTheInputBuffer() {
        byte[] d = datagram(3000, 24);
        FragMeta meta = new FragMeta();
        feeder.feed(v4(d, 0, 1480, true), 0);
        feeder.in.load(v4(d, 1480, 1528, false));
        org.jnft.packet.PacketParser.parse(feeder.in.segment(), feeder.in.offset(), feeder.in.length(), feeder.pi);
        assertThat(defrag.gather(feeder.in, feeder.pi, Ipv4Defrag.user(false, 0), 0, feeder.in, meta))
                .isEqualTo(DefragResult.REASSEMBLED);
        assertThat(feeder.in.toArray()).isEqualTo(d);
    }

    @Test
    void maxDistRestartRearmsTheTimer() {
        Ipv4Defrag d4 = new Ipv4Defrag(Ipv4Defrag.DEFAULT_HIGH_THRESH, 30 * S, 1, events);
        FragFixtures.Feeder f = new FragFixtures.Feeder(d4, null);
        byte[] d = datagram(3000, 70);
        f.feed(v4(d, 0, 1480, true), 0);
        f.feed(v4(datagram(3000, 71), 0, 1480, true), 1 * S);
        assertThat(d4.nextDeadline()).isEqualTo(30 * S);
        f.feed(v4(d, 1480, 1480, true), 10 * S); // distance 2 > 1: restart, mod_timer(now + ipfrag_time)
        assertThat(events.tooFarDrops).isEqualTo(1);
        assertThat(d4.expire(31 * S)).isEqualTo(1); // only the other queue's fragment
        assertThat(d4.queues()).isEqualTo(1);
        assertThat(d4.nextDeadline()).isEqualTo(40 * S);
        assertThat(d4.reasmFails()).isEqualTo(2);
    }
}
