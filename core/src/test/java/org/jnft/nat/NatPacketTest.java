package org.jnft.nat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnft.conntrack.CtConst.*;
import static org.jnft.nat.NatHarness.*;

import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Random;
import org.jnft.conntrack.CtEntry;
import org.jnft.conntrack.CtTuple;
import org.jnft.packet.Addresses;
import org.jnft.packet.Bytes;
import org.jnft.packet.Checksum;
import org.jnft.packet.IpProto;
import org.jnft.packet.PacketBuilder;
import org.jnft.packet.PacketInfo;
import org.jnft.packet.TcpView;
import org.junit.jupiter.api.Test;

class NatPacketTest {
    static final int PUB = v4("198.51.100.1");
    static final int DNS = v4("8.8.8.8");
    static final int IN = v4("10.0.0.2");

    static long[] v6(String s) {
        return Addresses.parseIpv6(s);
    }

    // ------------------------------------------------------------ verification by full recomputation

    /** Checks every checksum of the packet in h by full recomputation. */
    static void assertChecksums(NatHarness h, String why) {
        MemorySegment s = h.seg;
        PacketInfo pi = h.pi;
        int l3 = pi.l3Offset;
        int l4 = pi.l4Offset;
        int len = pi.l4Length;
        int proto = pi.l4Proto;
        int field = l4 + Checksum.checksumFieldOffset(proto);
        int stored = Bytes.u16(s, field);
        if (pi.isIpv4()) {
            assertThat(Checksum.ipv4HeaderValid(s, l3)).as("ip header " + why).isTrue();
            int src = Bytes.u32(s, l3 + 12);
            int dst = Bytes.u32(s, l3 + 16);
            if (proto == IpProto.UDP && stored == 0) {
                return;
            }
            assertThat(stored).as("l4 checksum " + why)
                    .isEqualTo(Checksum.l4ChecksumV4(s, l4, len, src, dst, proto));
        } else {
            assertThat(stored).as("l4 checksum " + why).isEqualTo(Checksum.l4ChecksumV6(s, l4, len,
                    Bytes.u64(s, l3 + 8), Bytes.u64(s, l3 + 16), Bytes.u64(s, l3 + 24), Bytes.u64(s, l3 + 32), proto));
        }
    }

    /** The packet's addresses and ports are the inverse of tuple t (the other direction's). */
    static void assertLooksLikeInverseOf(NatHarness h, CtTuple t, String why) {
        MemorySegment s = h.seg;
        int l3 = h.pi.l3Offset;
        int l4 = h.pi.l4Offset;
        if (h.pi.isIpv4()) {
            assertThat(Bytes.u32(s, l3 + 12) & 0xffffffffL).as("src " + why).isEqualTo(t.dstLo);
            assertThat(Bytes.u32(s, l3 + 16) & 0xffffffffL).as("dst " + why).isEqualTo(t.srcLo);
        } else {
            assertThat(Bytes.u64(s, l3 + 8)).as("src " + why).isEqualTo(t.dstHi);
            assertThat(Bytes.u64(s, l3 + 16)).as("src " + why).isEqualTo(t.dstLo);
            assertThat(Bytes.u64(s, l3 + 24)).as("dst " + why).isEqualTo(t.srcHi);
            assertThat(Bytes.u64(s, l3 + 32)).as("dst " + why).isEqualTo(t.srcLo);
        }
        int proto = h.pi.l4Proto;
        if (proto == IpProto.TCP || proto == IpProto.UDP) {
            assertThat(Bytes.u16(s, l4)).as("sport " + why).isEqualTo(t.dstPort);
            assertThat(Bytes.u16(s, l4 + 2)).as("dport " + why).isEqualTo(t.srcPort);
        } else {
            assertThat(Bytes.u16(s, l4 + 4)).as("id " + why).isEqualTo(t.srcPort);
        }
    }

    static PacketBuilder ip(boolean v6, long sh, long sl, long dh, long dl) {
        return v6 ? e().ipv6(sh, sl, dh, dl) : e().ipv4((int) sl, (int) dl);
    }

    static PacketBuilder l4(PacketBuilder b, int proto, boolean v6, int sp, int dp, boolean request, boolean reply) {
        return switch (proto) {
            case IpProto.TCP -> b.tcp(sp, dp, reply ? TcpView.SYN | TcpView.ACK : TcpView.SYN, reply ? 7 : 1,
                    reply ? 2 : 0);
            case IpProto.UDP -> b.udp(sp, dp);
            default -> v6 ? b.icmpv6Echo(request, sp, 1) : b.icmpEcho(request, sp, 1);
        };
    }

    @Test
    void seededPropertyChecksumsAndTuplesAfterTranslationBothWays() {
        long seed = Long.getLong("nat.seed", 20261125L);
        Random r = new Random(seed);
        String s = " (seed " + seed + ")";
        for (int iter = 0; iter < 400; iter++) {
            NatHarness h = new NatHarness(r.nextLong());
            boolean v6 = r.nextBoolean();
            int proto = new int[] {IpProto.TCP, IpProto.UDP, v6 ? IpProto.ICMPV6 : IpProto.ICMP}[r.nextInt(3)];
            long sh = v6 ? 0xfd00_0000_0000_0000L | r.nextInt(16) : 0;
            long sl = v6 ? r.nextLong() : r.nextInt() & 0xffffffffL;
            long dh = v6 ? 0x2001_0db8_0000_0000L | r.nextInt(16) : 0;
            long dl = v6 ? r.nextLong() : r.nextInt() & 0xffffffffL;
            int sp = r.nextInt(65536);
            int dp = 1 + r.nextInt(65535);
            int pay = r.nextInt(60);
            boolean zero = !v6 && proto == IpProto.UDP && r.nextInt(4) == 0;
            byte[] payload = new byte[pay];
            r.nextBytes(payload);
            PacketBuilder b = l4(ip(v6, sh, sl, dh, dl), proto, v6, sp, dp, true, false).payload(payload);
            if (zero) {
                b.udpChecksumZero();
            }
            NatRange dnat = null;
            NatRange snat = null;
            int kind = r.nextInt(4); // 0 snat, 1 dnat, 2 both, 3 none
            if (kind != 1 && kind != 3) {
                snat = randomRange(r, v6);
            }
            if (kind == 1 || kind == 2) {
                dnat = randomRange(r, v6);
            }
            String why = "iter " + iter + " v6=" + v6 + " proto=" + proto + " kind=" + kind + s;
            CtEntry e = h.forward(b.build(), dnat, snat);
            assertThat(e).as(why).isNotNull();
            assertChecksums(h, "orig " + why);
            assertLooksLikeInverseOf(h, e.reply, "orig " + why);
            if (zero) {
                assertThat(Bytes.u16(h.seg, h.pi.l4Offset + 6)).as("zero kept " + why).isZero();
            }
            // the reply, as the far end sends it to the translated addresses
            CtTuple rt = e.reply;
            PacketBuilder rb = l4(ip(v6, rt.srcHi, rt.srcLo, rt.dstHi, rt.dstLo), proto, v6, rt.srcPort,
                    rt.dstPort, false, true).payload(payload);
            if (zero) {
                rb.udpChecksumZero();
            }
            CtEntry e2 = h.forward(rb.build(), null, null);
            assertThat(e2).as("reply found " + why).isSameAs(e);
            assertChecksums(h, "reply " + why);
            assertLooksLikeInverseOf(h, e.orig, "reply " + why);
        }
    }

    static NatRange randomRange(Random r, boolean v6) {
        NatRange n = new NatRange();
        if (v6) {
            long hi = 0x2001_0db8_0001_0000L;
            long lo = r.nextLong();
            n.v6(hi, lo, hi, r.nextBoolean() ? lo : lo + r.nextInt(100));
            if (Long.compareUnsigned(n.maxLo, n.minLo) < 0) {
                n.maxLo = n.minLo;
            }
        } else {
            int a = r.nextInt();
            int span = r.nextBoolean() ? 0 : r.nextInt(50);
            if (Integer.compareUnsigned(a + span, a) < 0) {
                span = 0;
            }
            n.v4(a, a + span);
        }
        if (r.nextBoolean()) {
            int lo = 1 + r.nextInt(60000);
            n.ports(lo, lo + r.nextInt(100));
        }
        if (r.nextInt(4) == 0) {
            n.flags(r.nextBoolean() ? NatRange.PROTO_RANDOM_FULLY : NatRange.PERSISTENT);
        }
        return n;
    }

    // ------------------------------------------------------------ ICMP errors

    @Test
    void icmpErrorAboutATranslatedUdpFlowReachesTheInsideHostAsItsOwnPacket() {
        NatHarness h = new NatHarness();
        byte[] out = e().ipv4(IN, DNS).udp(5000, 53).payloadLength(20).build();
        CtEntry e = h.forward(out, null, new NatRange().v4(PUB, PUB).ports(40000, 40000));
        assertThat(e.reply.dstPort).isEqualTo(40000);
        byte[] translated = h.bytes(out.length);
        assertThat(Bytes.u16(h.seg, 14 + 20)).isEqualTo(40000);
        // the server's router answers port unreachable with the translated datagram's start
        byte[] quote = Arrays.copyOfRange(translated, 14, 14 + 28);
        byte[] err = e().ipv4(DNS, PUB).icmp(3, 3, 0).payload(quote).build();
        CtEntry rel = h.forward(err, null, null);
        assertThat(rel).isSameAs(e);
        byte[] got = h.bytes(err.length);
        assertThat(Bytes.u32(h.seg, 14 + 16)).isEqualTo(IN);      // outer destination: the inside host
        assertThat(Bytes.u32(h.seg, 14 + 12)).isEqualTo(DNS);
        assertThat(Checksum.ipv4HeaderValid(h.seg, 14)).isTrue();
        assertThat(Checksum.fold(Checksum.sum(h.seg, 34, err.length - 34, 0))).isEqualTo(0xffff);
        // the quoted packet is the inside host's original, byte for byte (header checksum and UDP sum too)
        assertThat(Arrays.copyOfRange(got, 42, 42 + 28)).isEqualTo(Arrays.copyOfRange(out, 14, 14 + 28));
    }

    @Test
    void icmpErrorQuotingEightBytesOfTcpRewritesThePortOnly() {
        NatHarness h = new NatHarness();
        byte[] out = e().ipv4(IN, DNS).tcp(5000, 443, TcpView.SYN, 1, 0).build();
        h.forward(out, null, new NatRange().v4(PUB, PUB).ports(41000, 41000));
        byte[] translated = h.bytes(out.length);
        byte[] err = e().ipv4(DNS, PUB).icmp(3, 1, 0).payload(Arrays.copyOfRange(translated, 14, 14 + 28)).build();
        assertThat(h.forward(err, null, null)).isNotNull();
        byte[] got = h.bytes(err.length);
        assertThat(Arrays.copyOfRange(got, 42, 42 + 28)).isEqualTo(Arrays.copyOfRange(out, 14, 14 + 28));
        assertThat(Checksum.fold(Checksum.sum(h.seg, 34, err.length - 34, 0))).isEqualTo(0xffff);
    }

    @Test
    void icmpErrorWithABadChecksumIsDropped() {
        NatHarness h = new NatHarness();
        byte[] out = e().ipv4(IN, DNS).udp(5000, 53).build();
        h.forward(out, null, new NatRange().v4(PUB, PUB));
        byte[] quote = Arrays.copyOfRange(h.bytes(out.length), 14, 14 + 28);
        byte[] err = e().ipv4(DNS, PUB).icmp(3, 3, 0).payload(quote).badL4Checksum().build();
        h.load(err);
        h.pc.clear();
        h.ct.in(h.seg, h.pi, HOOK_PRE_ROUTING, h.now, h.pc);
        assertThat(h.pc.ct).isNotNull();
        assertThat(h.pc.ctinfo).isEqualTo(IP_CT_RELATED_REPLY);
        assertThat(NatPacket.relatedIcmp(h.seg, h.pi, h.pc.ct, h.pc.ctinfo, HOOK_PRE_ROUTING))
                .isEqualTo(NatPacket.DROP);
        h.ct.release(h.pc);
    }

    @Test
    void timeExceededForATranslatedPingCarriesTheInsideHostsOwnIdBack() {
        NatHarness h = new NatHarness();
        h.forward(e().ipv4(v4("10.0.0.1"), DNS).icmpEcho(true, 300, 1).build(), null, new NatRange().v4(PUB, PUB));
        byte[] out = e().ipv4(IN, DNS).icmpEcho(true, 300, 1).payloadLength(16).build();
        CtEntry e = h.forward(out, null, new NatRange().v4(PUB, PUB));
        assertThat(e.reply.srcPort).isNotEqualTo(300);
        byte[] quote = Arrays.copyOfRange(h.bytes(out.length), 14, 14 + 28);
        byte[] err = e().ipv4(v4("192.0.2.1"), PUB).icmp(11, 0, 0).payload(quote).build();
        assertThat(h.forward(err, null, null)).isSameAs(e);
        assertThat(Bytes.u32(h.seg, 14 + 16)).isEqualTo(IN);
        assertThat(Arrays.copyOfRange(h.bytes(err.length), 42, 42 + 28))
                .isEqualTo(Arrays.copyOfRange(out, 14, 14 + 28));
        assertThat(Bytes.u32(h.seg, 34 + 4)).as("unused word untouched").isZero();
        assertThat(Checksum.fold(Checksum.sum(h.seg, 34, err.length - 34, 0))).isEqualTo(0xffff);
    }

    @Test
    void anErrorFromAPortForwardedServerLeavesWithThePublicAddress() {
        NatHarness h = new NatHarness();
        int client = v4("192.0.2.7");
        int server = v4("10.0.0.9");
        byte[] in = e().ipv4(client, PUB).udp(40000, 8080).payloadLength(4).build();
        CtEntry e = h.forward(in, new NatRange().v4(server, server).ports(53, 53), null);
        assertThat(e.status & IPS_NAT_MASK).isEqualTo(IPS_DST_NAT);
        byte[] delivered = h.bytes(in.length);
        assertThat(Bytes.u32(h.seg, 14 + 16)).isEqualTo(server);
        // the server answers port unreachable about the packet it received
        byte[] err = e().ipv4(server, client).icmp(3, 3, 0).payload(Arrays.copyOfRange(delivered, 14, 14 + 28))
                .build();
        assertThat(h.forward(err, null, null)).isSameAs(e);
        assertThat(Bytes.u32(h.seg, 14 + 12)).as("outer source").isEqualTo(PUB);
        assertThat(Bytes.u32(h.seg, 14 + 16)).isEqualTo(client);
        assertThat(Checksum.ipv4HeaderValid(h.seg, 14)).isTrue();
        // the quoted packet is the one the client sent, to the public address and port
        assertThat(Arrays.copyOfRange(h.bytes(err.length), 42, 42 + 28))
                .isEqualTo(Arrays.copyOfRange(in, 14, 14 + 28));
        assertThat(Checksum.fold(Checksum.sum(h.seg, 34, err.length - 34, 0))).isEqualTo(0xffff);
    }

    @Test
    void aNonFirstFragmentGetsTheAddressOnly() {
        NatHarness h = new NatHarness();
        CtEntry e = h.forward(e().ipv4(IN, DNS).udp(5000, 53).build(), null,
                new NatRange().v4(PUB, PUB).ports(999, 999));
        h.load(e().ipv4(IN, DNS).ipProto(IpProto.UDP).fragment(64, false).payloadLength(24).build());
        byte[] before = h.bytes(h.pi.l3Offset + h.pi.l3Length);
        assertThat(NatPacket.manip(h.seg, h.pi, e, DIR_ORIGINAL, true)).isTrue();
        byte[] after = h.bytes(before.length);
        assertThat(Bytes.u32(h.seg, 14 + 12)).isEqualTo(PUB);
        assertThat(Checksum.ipv4HeaderValid(h.seg, 14)).isTrue();
        assertThat(Arrays.copyOfRange(after, 34, after.length)).isEqualTo(Arrays.copyOfRange(before, 34, before.length));
    }

    static byte[] sctp(int sport, int dport) {
        byte[] b = new byte[28]; // common header + one 16-byte chunk
        b[0] = (byte) (sport >> 8);
        b[1] = (byte) sport;
        b[2] = (byte) (dport >> 8);
        b[3] = (byte) dport;
        b[4] = 0x12;
        b[12] = 1; // INIT
        b[15] = 16;
        for (int i = 16; i < 28; i++) {
            b[i] = (byte) (i * 7);
        }
        putCrc(b);
        return b;
    }

    static void putCrc(byte[] b) {
        b[8] = b[9] = b[10] = b[11] = 0;
        java.util.zip.CRC32C c = new java.util.zip.CRC32C();
        c.update(b, 0, b.length);
        int v = (int) c.getValue();
        b[8] = (byte) v;
        b[9] = (byte) (v >> 8);
        b[10] = (byte) (v >> 16);
        b[11] = (byte) (v >> 24);
    }

    @Test
    void sctpPortsAreTranslatedWithTheCrc32cRecomputed() {
        NatHarness h = new NatHarness();
        h.forward(e().ipv4(v4("10.0.0.1"), DNS).ipProto(132).payload(sctp(3868, 3868)).build(), null,
                new NatRange().v4(PUB, PUB));
        CtEntry e = h.forward(e().ipv4(IN, DNS).ipProto(132).payload(sctp(3868, 3868)).build(), null,
                new NatRange().v4(PUB, PUB));
        assertThat(e.reply.dstPort).isNotEqualTo(3868).isBetween(1024, 65535);
        byte[] got = Arrays.copyOfRange(h.bytes(14 + 20 + 28), 34, 34 + 28);
        assertThat(((got[0] & 0xff) << 8) | (got[1] & 0xff)).isEqualTo(e.reply.dstPort);
        byte[] expect = got.clone();
        putCrc(expect);
        assertThat(got).isEqualTo(expect);
    }

    @Test
    void dccpPortsAreTranslatedWithAnIncrementalChecksum() {
        NatHarness h = new NatHarness();
        byte[] d = new byte[16];
        d[0] = 0x13;
        d[1] = (byte) 0x88; // 5000
        d[3] = 80;
        d[4] = 4;
        d[8] = 0x01;
        for (int round = 0; round < 2; round++) {
            int src = round == 0 ? v4("10.0.0.1") : IN;
            byte[] f = e().ipv4(src, DNS).ipProto(33).payload(d).build();
            // fill in the checksum (offset 6, pseudo-header included) as a sender would
            MemorySegment m = MemorySegment.ofArray(f);
            Bytes.setU16(m, 34 + 6, 0);
            Bytes.setU16(m, 34 + 6, Checksum.finish(Checksum.sum(m, 34, 16, Checksum.pseudoV4(src, DNS, 33, 16))));
            CtEntry e = h.forward(f, null, new NatRange().v4(PUB, PUB));
            int port = e.reply.dstPort;
            assertThat(port).isEqualTo(round == 0 ? 5000 : port);
            if (round == 1) {
                assertThat(port).isNotEqualTo(5000);
            }
            assertThat(Bytes.u16(h.seg, 34)).isEqualTo(port);
            assertThat(Checksum.fold(Checksum.sum(h.seg, 34, 16, Checksum.pseudoV4(PUB, DNS, 33, 16))))
                    .isEqualTo(0xffff);
        }
    }

    // ------------------------------------------------------------ IPv6

    @Test
    void ipv6SnatWithPortClashAndAnIcmpv6ErrorTranslatedBack() {
        NatHarness h = new NatHarness();
        long[] a = v6("fd00::2");
        long[] b = v6("fd00::3");
        long[] srv = v6("2001:db8::9");
        long[] pub = v6("2001:db8:1::1");
        NatRange masq = new NatRange().v6(pub[0], pub[1], pub[0], pub[1]);
        CtEntry ea = h.forward(e().ipv6(a[0], a[1], srv[0], srv[1]).udp(7000, 53).payloadLength(8).build(), null,
                masq);
        byte[] outB = e().ipv6(b[0], b[1], srv[0], srv[1]).udp(7000, 53).payloadLength(8).build();
        CtEntry eb = h.forward(outB, null, masq);
        assertThat(ea.reply.dstPort).isEqualTo(7000);
        assertThat(eb.reply.dstPort).isNotEqualTo(7000);
        assertThat(eb.reply.dstHi).isEqualTo(pub[0]);
        assertThat(eb.reply.dstLo).isEqualTo(pub[1]);
        assertChecksums(h, "v6 snat");
        byte[] translated = h.bytes(outB.length);
        byte[] quote = Arrays.copyOfRange(translated, 14, outB.length);
        byte[] err = e().ipv6(srv[0], srv[1], pub[0], pub[1]).icmpv6(1, 4, 0).payload(quote).build();
        assertThat(h.forward(err, null, null)).isSameAs(eb);
        assertThat(Bytes.u64(h.seg, 14 + 24)).isEqualTo(b[0]);
        assertThat(Bytes.u64(h.seg, 14 + 32)).isEqualTo(b[1]);
        assertChecksums(h, "v6 error");
        assertThat(Arrays.copyOfRange(h.bytes(err.length), 62, err.length))
                .isEqualTo(Arrays.copyOfRange(outB, 14, outB.length));
        // echo ids
        CtEntry p1 = h.forward(e().ipv6(a[0], a[1], srv[0], srv[1]).icmpv6Echo(true, 9, 1).build(), null, masq);
        CtEntry p2 = h.forward(e().ipv6(b[0], b[1], srv[0], srv[1]).icmpv6Echo(true, 9, 1).build(), null, masq);
        assertThat(p1.reply.srcPort).isEqualTo(9);
        assertThat(p2.reply.srcPort).isNotEqualTo(9);
        assertChecksums(h, "v6 echo");
    }

    // ------------------------------------------------------------ allocation

    @Test
    void manipAndErrorTranslationAllocateNothing() {
        NatHarness h = new NatHarness();
        CtEntry e = h.forward(e().ipv4(IN, DNS).tcp(5000, 443, TcpView.SYN, 1, 0).build(), null,
                new NatRange().v4(PUB, PUB).ports(41000, 41000));
        NatHarness g = new NatHarness();
        g.forward(e().ipv4(IN, DNS).udp(5000, 53).build(), null, new NatRange().v4(PUB, PUB));
        byte[] q = Arrays.copyOfRange(g.bytes(42), 14, 42);
        NatHarness x = new NatHarness();
        CtEntry ge = g.ct.findV4(IpProto.UDP, IN, DNS, 5000, 53, 0, g.now).ct;
        x.load(e().ipv4(DNS, PUB).icmp(3, 3, 0).payload(q).build());
        long[] pub6 = v6("2001:db8:1::1");
        NatHarness y = new NatHarness();
        long[] a = v6("fd00::2");
        long[] srv = v6("2001:db8::9");
        CtEntry e6 = y.forward(e().ipv6(a[0], a[1], srv[0], srv[1]).tcp(1, 2, TcpView.SYN, 1, 0).build(), null,
                new NatRange().v6(pub6[0], pub6[1], pub6[0], pub6[1]).ports(3, 3));
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        long sink = 0;
        for (int warm = 0; warm < 3; warm++) {
            long before = mx.getThreadAllocatedBytes(tid);
            for (int i = 0; i < 100_000; i++) {
                sink += NatPacket.manip(h.seg, h.pi, e, DIR_ORIGINAL, true) ? 1 : 0;
                sink += NatPacket.manip(h.seg, h.pi, e, DIR_ORIGINAL, false) ? 1 : 0;
                sink += NatPacket.packet(h.seg, h.pi, e, IP_CT_ESTABLISHED, HOOK_POST_ROUTING) ? 1 : 0;
                sink += NatPacket.relatedIcmp(x.seg, x.pi, ge, IP_CT_RELATED_REPLY, HOOK_PRE_ROUTING);
                sink += NatPacket.manip(y.seg, y.pi, e6, DIR_ORIGINAL, true) ? 1 : 0;
            }
            long allocated = mx.getThreadAllocatedBytes(tid) - before;
            if (warm == 2) {
                assertThat(allocated).as("bytes allocated by 500k calls (sink %d)", sink).isLessThan(1024);
            }
        }
    }
}
