package org.jnft.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnft.pipeline.FragFixtures.MAC_A;
import static org.jnft.pipeline.FragFixtures.MAC_B;
import static org.jnft.pipeline.FragFixtures.v6;

import org.jnft.packet.Addresses;
import org.jnft.packet.PacketBuilder;
import org.junit.jupiter.api.Test;

/** nf_ct_frag6_gather's rules, one by one. */
class Ipv6DefragTest {
    static final long S = 1_000_000_000L;
    static final long[] SRC = Addresses.parseIpv6("2001:db8:1::10");
    static final long[] DST = Addresses.parseIpv6("2001:db8:2::20");

    static PacketBuilder base() {
        return PacketBuilder.ether(MAC_A, MAC_B).ipv6(SRC[0], SRC[1], DST[0], DST[1]);
    }

    static byte[] datagram(int payload) {
        return base().udp(1000, 2000).payloadLength(payload).build();
    }

    final FragFixtures.Events events = new FragFixtures.Events();
    final Ipv6Defrag defrag = new Ipv6Defrag(events);
    final FragFixtures.Feeder feeder = new FragFixtures.Feeder(null, defrag);

    @Test
    void packetsWithoutFragmentHeaderPass() {
        assertThat(feeder.feed(datagram(100), 0)).isEqualTo(DefragResult.ACCEPT);
        assertThat(feeder.feed(base().hopByHop().udp(1, 2).payloadLength(10).build(), 0)).isEqualTo(DefragResult.ACCEPT);
    }

    @Test
    void reassemblyRemovesTheFragmentHeader() {
        byte[] d = datagram(3000); // 3008 bytes of UDP
        byte[] a = v6(d, 0, 1448, true, 77);
        byte[] b = v6(d, 1448, 1448, true, 77);
        byte[] c = v6(d, 2896, 112, false, 77);
        assertThat(feeder.feed(c, 0)).isEqualTo(DefragResult.QUEUED);
        assertThat(feeder.feed(a, 0)).isEqualTo(DefragResult.QUEUED);
        assertThat(feeder.feed(b, 0)).isEqualTo(DefragResult.REASSEMBLED);
        assertThat(feeder.result()).isEqualTo(d);
        assertThat(feeder.meta.fragMaxSize).isEqualTo(40 + 8 + 1448);
        assertThat(feeder.meta.id).isEqualTo(77);
        assertThat(feeder.meta.fragments).isEqualTo(3);
        assertThat(feeder.meta.firstLen).isEqualTo(40 + 1448);
        assertThat(defrag.queues()).isZero();
        assertThat(defrag.memory()).isZero();
    }

    @Test
    void nextHeaderIsFixedBehindExtensionHeaders() {
        byte[] d = base().hopByHop().destOptions().udp(1, 2).payloadLength(2000).build();
        // Unfragmentable: IPv6 + hop-by-hop (8) + destination options (8); the field to fix is in the latter.
        int unfrag = 40 + 16;
        feeder.feed(v6(d, unfrag, 48, 0, 1000, true, 5), 0);
        assertThat(feeder.feed(v6(d, unfrag, 48, 1000, 1008, false, 5), 0)).isEqualTo(DefragResult.REASSEMBLED);
        assertThat(feeder.result()).isEqualTo(d);
    }

    @Test
    void atomicFragmentLosesItsHeaderAtOnce() {
        byte[] d = datagram(100);
        byte[] atomic = v6(d, 0, 108, false, 9);
        assertThat(feeder.feed(atomic, 0)).isEqualTo(DefragResult.REASSEMBLED);
        assertThat(feeder.result()).isEqualTo(d);
        assertThat(feeder.meta.fragMaxSize).isEqualTo(atomic.length - 14);
        assertThat(Ipv6Refragmenter.mustFragment(d.length - 14, 1500, feeder.meta)).isFalse();
    }

    @Test
    void overlapDropsTheQueueDuplicateDoesNot() {
        byte[] d = datagram(3000);
        feeder.feed(v6(d, 0, 1448, true, 1), 0);
        assertThat(feeder.feed(v6(d, 0, 1448, true, 1), 0)).isEqualTo(DefragResult.DUP);
        assertThat(DefragResult.linuxReason(DefragResult.DUP, true)).isEqualTo("NOT_SPECIFIED");
        assertThat(defrag.queues()).isEqualTo(1);
        assertThat(feeder.feed(v6(d, 1440, 1448, true, 1), 0)).isEqualTo(DefragResult.OVERLAP);
        assertThat(DefragResult.linuxReason(DefragResult.OVERLAP, true)).isEqualTo("NETFILTER_DROP");
        assertThat(defrag.queues()).isZero();
        assertThat(defrag.memory()).isZero();
    }

    @Test
    void payloadPast65535IsDroppedAndTheQueueKept() {
        byte[] d = java.util.Arrays.copyOf(datagram(65000), 14 + 40 + 65528 + 16);
        feeder.feed(v6(d, 0, 1448, true, 2), 0);
        assertThat(feeder.feed(v6(d, 65528, 16, false, 2), 0)).isEqualTo(DefragResult.TOO_LONG);
        assertThat(defrag.queues()).isEqualTo(1);
    }

    @Test
    void reassembledPayloadOver65535Fails() {
        // Unfragmentable part of 40 + 8 bytes and 65528 + 7 bytes of fragmentable data: 8 + 65535 > 65535.
        byte[] d = java.util.Arrays.copyOf(base().hopByHop().udp(1, 2).payloadLength(100).build(), 14 + 48 + 65535);
        int r = DefragResult.QUEUED;
        for (int off = 0; off < 65535; off += 1448) {
            int len = Math.min(1448, 65535 - off);
            r = feeder.feed(v6(d, 48, 40, off, len, off + len < 65535, 3), 0);
        }
        assertThat(r).isEqualTo(DefragResult.REASM_FAILED);
        assertThat(defrag.queues()).isZero();
    }

    @Test
    void inconsistentFragmentsAreDroppedButTheQueueKept() {
        byte[] d = datagram(3000);
        feeder.feed(v6(d, 1448, 1560, false, 4), 0);
        assertThat(feeder.feed(v6(d, 1448, 1000, false, 4), 0)).isEqualTo(DefragResult.INVALID);
        assertThat(defrag.queues()).isEqualTo(1);
        assertThat(feeder.feed(v6(d, 0, 1448, true, 4), 0)).isEqualTo(DefragResult.REASSEMBLED);
        assertThat(feeder.result()).isEqualTo(d);
    }

    @Test
    void unalignedMoreFragmentsPassesThroughAndKillsTheQueue() {
        byte[] d = datagram(3000);
        feeder.feed(v6(d, 1448, 1560, false, 5), 0);
        assertThat(feeder.feed(v6(d, 0, 1447, true, 5), 0)).isEqualTo(DefragResult.ACCEPT);
        assertThat(defrag.queues()).isZero();
    }

    @Test
    void firstFragmentWithoutTheUpperLayerHeaderPasses() {
        byte[] d = base().hopByHop().udp(1, 2).payloadLength(100).build();
        // The hop-by-hop header placed after the fragment header (fragmentable): a first fragment with only
        // its 8 bytes lacks the UDP header (RFC 8200 4.5) and passes unreassembled; with 16 bytes it is queued.
        assertThat(feeder.feed(v6(d, 40, 6, 0, 8, true, 6), 0)).isEqualTo(DefragResult.ACCEPT);
        assertThat(feeder.feed(v6(d, 40, 6, 0, 16, true, 6), 0)).isEqualTo(DefragResult.QUEUED);
        // ...whereas a first fragment holding 4 bytes of the UDP header is truncated (RFC 8200 4.5).
        byte[] udp = datagram(100);
        byte[] trunc = v6(udp, 0, 4, true, 6);
        assertThat(feeder.feed(trunc, 0)).isEqualTo(DefragResult.ACCEPT);
    }

    @Test
    void inputDeviceIsPartOfTheKey() {
        byte[] d = datagram(3000);
        feeder.feed(v6(d, 0, 1448, true, 8), 0);
        feeder.ifindex = 3;
        assertThat(feeder.feed(v6(d, 1448, 1560, false, 8), 0)).isEqualTo(DefragResult.QUEUED);
        assertThat(defrag.queues()).isEqualTo(2);
    }

    @Test
    void timeoutIs60SecondsAndReportsTheHead() {
        byte[] d = datagram(3000);
        byte[] a = v6(d, 0, 1448, true, 10);
        feeder.feed(a, 1 * S);
        assertThat(defrag.nextDeadline()).isEqualTo(61 * S);
        assertThat(defrag.expire(61 * S - 1)).isZero();
        assertThat(defrag.expire(61 * S)).isEqualTo(1);
        assertThat(events.timeouts).isEqualTo(1);
        assertThat(events.timeoutDrops).isEqualTo(1);
        assertThat(events.lastHead).isEqualTo(java.util.Arrays.copyOfRange(a, 14, a.length));
        assertThat(defrag.reasmTimeout()).isEqualTo(1);
        assertThat(DefragResult.linuxReason(DefragResult.TIMEOUT, true)).isEqualTo("FRAG_REASM_TIMEOUT");
    }

    @Test
    void highThreshRefusesFragments() {
        Ipv6Defrag small = new Ipv6Defrag(10_000, 60 * S, events);
        FragFixtures.Feeder f = new FragFixtures.Feeder(null, small);
        int id = 0;
        while (f.feed(v6(datagram(3000), 0, 1448, true, id), 0) == DefragResult.QUEUED) {
            id++;
        }
        assertThat(id).isGreaterThan(1);
        assertThat(DefragResult.linuxReason(DefragResult.NOMEM, true)).isEqualTo("NETFILTER_DROP");
        small.expire(60 * S);
        assertThat(small.memory()).isZero();
    }

    @Test
    void ecnMixIsRefused() {
        byte[] ce = base().trafficClass(3).udp(1, 2).payloadLength(3000).build();
        byte[] notEct = datagram(3000);
        feeder.feed(v6(notEct, 0, 1448, true, 11), 0);
        assertThat(feeder.feed(v6(ce, 1448, 1560, false, 11), 0)).isEqualTo(DefragResult.REASM_FAILED);
    }
}
