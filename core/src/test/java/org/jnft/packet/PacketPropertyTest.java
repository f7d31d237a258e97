package org.jnft.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** parse(build(x)) == x for random packets, and the parser against garbage, truncations and mutations. */
class PacketPropertyTest {
    private final PacketInfo info = new PacketInfo();

    @Test
    void parseOfBuildIsTheDescription() {
        long seed = 20261125;
        Random r = new Random(seed);
        for (int i = 0; i < 20_000; i++) {
            RandomPacket p = RandomPacket.random(r);
            String ctx = "seed " + seed + " #" + i + " " + p;
            try {
                check(p);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(ctx + ": " + e.getMessage() + "\n" + info, e);
            }
        }
    }

    private void check(RandomPacket p) {
        MemorySegment s = MemorySegment.ofArray(p.frame);
        int st = PacketParser.parse(s, p.frame.length, info);
        assertThat(st).as("status").isEqualTo(ParseStatus.OK);
        assertThat(info.length).isEqualTo(p.frame.length);
        assertThat(info.vlanCount).isEqualTo(p.vlans);
        if (p.vlans > 0) {
            assertThat(info.vlanTci0).isEqualTo(p.tci[0]);
            assertThat(info.vlanTpid0).isEqualTo(p.tpid[0]);
        }
        if (p.vlans > 1) {
            assertThat(info.vlanTci1).isEqualTo(p.tci[1]);
        }
        assertThat(info.l3Offset).isEqualTo(p.l3Offset());
        assertThat(info.l3Length).isEqualTo(p.l3Length());
        EthernetView eth = new EthernetView().wrap(s, 0);
        assertThat(eth.src()).isEqualTo(p.mac1);
        assertThat(eth.dst()).isEqualTo(p.mac2);
        if (p.family == RandomPacket.ARP) {
            assertThat(info.l3Proto).isEqualTo(EtherType.ARP);
            ArpView a = new ArpView().wrap(s, info.l3Offset);
            assertThat(a.op()).isEqualTo(p.arpOp);
            assertThat(a.sha()).isEqualTo(p.mac1);
            assertThat(a.spa()).isEqualTo(p.src4);
            assertThat(a.tpa()).isEqualTo(p.dst4);
            assertThat(info.l4Offset).isEqualTo(-1);
            return;
        }
        if (p.family == RandomPacket.RAW) {
            assertThat(info.l3Proto).isEqualTo(0x88b5);
            assertThat(info.l4Proto).isEqualTo(-1);
            return;
        }
        boolean later = p.frag == 2;
        boolean fragment = p.frag == 1 || p.frag == 2;
        assertThat(info.fragment).as("fragment").isEqualTo(fragment);
        assertThat(info.firstFragment).as("firstFragment").isEqualTo(p.frag == 1);
        assertThat(info.fragOffset).isEqualTo(p.fragOffset);
        assertThat(info.moreFragments).isEqualTo(p.moreFragments());
        assertThat(info.ipProto).isEqualTo(p.ipProto());
        if (p.family == 4) {
            assertThat(info.l3Proto).isEqualTo(EtherType.IPV4);
            assertThat(info.ipv4Options).isEqualTo(p.optLen > 0);
            Ipv4View ip = new Ipv4View().wrap(s, info.l3Offset);
            assertThat(ip.checksumValid()).isTrue();
            assertThat(ip.headerLength()).isEqualTo(20 + p.optLen);
            assertThat(ip.ttl()).isEqualTo(p.ttl);
            assertThat(ip.tos()).isEqualTo(p.tos);
            assertThat(ip.id()).isEqualTo(p.id);
            assertThat(ip.df()).isEqualTo(p.df);
            assertThat(ip.src()).isEqualTo(p.src4);
            assertThat(ip.dst()).isEqualTo(p.dst4);
            assertThat(ip.protocol()).isEqualTo(p.ipProto());
            assertThat(info.ipv6FragHeaderOffset).isEqualTo(-1);
        } else {
            assertThat(info.l3Proto).isEqualTo(EtherType.IPV6);
            assertThat(info.ipv6ExtHeaders).isEqualTo(!p.ext.isEmpty() || p.frag != 0);
            Ipv6View ip = new Ipv6View().wrap(s, info.l3Offset);
            assertThat(ip.hopLimit()).isEqualTo(p.ttl);
            assertThat(ip.trafficClass()).isEqualTo(p.tos);
            assertThat(ip.payloadLength()).isEqualTo(p.l3Length() - 40);
            assertThat(new long[] {ip.srcHi(), ip.srcLo(), ip.dstHi(), ip.dstLo()})
                    .containsExactly(p.s6Hi, p.s6Lo, p.d6Hi, p.d6Lo);
            if (p.frag != 0) {
                int fh = info.l3Offset + 40 + p.extLen() - 8;
                assertThat(info.ipv6FragHeaderOffset).isEqualTo(fh);
                assertThat(Bytes.u32(s, fh + 4)).isEqualTo(p.id);
            } else {
                assertThat(info.ipv6FragHeaderOffset).isEqualTo(-1);
            }
        }
        if (later) {
            assertThat(info.l4Offset).isEqualTo(-1);
            assertThat(info.l4Proto).isEqualTo(-1);
            return;
        }
        assertThat(info.l4Offset).isEqualTo(p.l3Offset() + p.ipHeaderLength());
        assertThat(info.l4Proto).isEqualTo(p.ipProto());
        assertThat(info.l4Length).isEqualTo(p.l4Len());
        assertThat(info.l4Complete).isTrue();
        int l4 = info.l4Offset;
        switch (p.l4) {
            case IpProto.TCP -> {
                TcpView t = new TcpView().wrap(s, l4);
                assertThat(new int[] {t.sport(), t.dport(), t.flags(), t.seq(), t.ack(), t.window(), t.mss()})
                        .containsExactly(p.sport, p.dport, p.flags, p.seq, p.ack, p.window, p.mss);
            }
            case IpProto.UDP -> {
                UdpView u = new UdpView().wrap(s, l4);
                assertThat(new int[] {u.sport(), u.dport(), u.length()}).containsExactly(p.sport, p.dport, p.l4Len());
                if (p.udpZero) {
                    assertThat(u.checksum()).isZero();
                }
            }
            case IpProto.ICMP -> {
                IcmpView c = new IcmpView().wrap(s, l4);
                assertThat(new int[] {c.type(), c.code(), c.restOfHeader()}).containsExactly(p.icmpType, p.icmpCode, p.icmpRest);
            }
            case IpProto.ICMPV6 -> {
                Icmpv6View c = new Icmpv6View().wrap(s, l4);
                assertThat(new int[] {c.type(), c.code(), c.restOfHeader()}).containsExactly(p.icmpType, p.icmpCode, p.icmpRest);
            }
            default -> {
            }
        }
        if (p.frag == 0 || p.frag == 3) {
            if (p.l4 != RandomPacket.RAW_L4) {
                boolean valid = p.family == 4
                        ? Checksum.l4ValidV4(s, l4, info.l4Length, p.src4, p.dst4, p.ipProto())
                        : Checksum.l4ValidV6(s, l4, info.l4Length, p.s6Hi, p.s6Lo, p.d6Hi, p.d6Lo, p.ipProto());
                assertThat(valid).as("L4 checksum").isTrue();
            }
        }
    }

    /** The status ip_rcv_core / ip6_rcv_core give a valid frame cut to n bytes inside its datagram. */
    private static int truncatedStatus(RandomPacket p, int n) {
        int l3 = p.l3Offset();
        if (n < 14 || n < l3) {
            return ParseStatus.PKT_TOO_SMALL;
        }
        int avail = n - l3;
        return switch (p.family) {
            case 4 -> avail < 20 + p.optLen ? ParseStatus.IP_INHDR : ParseStatus.PKT_TOO_SMALL;
            case 6 -> avail < 40 ? ParseStatus.IP_INHDR : ParseStatus.PKT_TOO_SMALL;
            case RandomPacket.ARP -> ParseStatus.PKT_TOO_SMALL;
            default -> ParseStatus.OK;
        };
    }

    @Test
    void fuzzNeverThrowsAndTruncationsGiveLinuxStatuses() {
        long seed = 0x5eed;
        Random r = new Random(seed);
        int[] counts = new int[8];
        for (int i = 0; i < 100_000; i++) {
            int mode = i % 4;
            byte[] frame;
            int expect = -1;
            RandomPacket p = null;
            if (mode == 0) { // garbage, with plausible link and IP headers now and then
                frame = new byte[r.nextInt(160)];
                r.nextBytes(frame);
                if (frame.length >= 14 && r.nextBoolean()) {
                    int[] types = {EtherType.IPV4, EtherType.IPV6, EtherType.VLAN, EtherType.QINQ, EtherType.ARP};
                    int et = types[r.nextInt(types.length)];
                    frame[12] = (byte) (et >>> 8);
                    frame[13] = (byte) et;
                    if (frame.length > 14) {
                        frame[14] = (byte) ((et == EtherType.IPV6 ? 0x60 : 0x40) | (frame[14] & 0x0f));
                    }
                }
            } else {
                p = RandomPacket.random(r);
                frame = p.frame;
                if (mode == 1 && frame.length > 0) { // cut inside the datagram
                    int full = p.l3Offset() + p.l3Length();
                    int n = r.nextInt(full);
                    frame = Arrays.copyOf(frame, n);
                    expect = truncatedStatus(p, n);
                } else { // flip a few bytes, then fix the IPv4 checksum sometimes
                    frame = frame.clone();
                    int flips = 1 + r.nextInt(4);
                    for (int k = 0; k < flips; k++) {
                        int at = r.nextInt(Math.min(frame.length, 120));
                        frame[at] = (byte) (r.nextInt(4) == 0 ? frame[at] ^ (1 << r.nextInt(8)) : r.nextInt());
                    }
                    if (p.family == 4 && r.nextBoolean() && frame.length >= p.l3Offset() + 20
                            && (frame[p.l3Offset()] & 0x0f) >= 5
                            && frame.length >= p.l3Offset() + 4 * (frame[p.l3Offset()] & 0x0f)) {
                        new Ipv4View().wrap(MemorySegment.ofArray(frame), p.l3Offset()).fillChecksum();
                    }
                }
            }
            int st;
            try {
                st = PacketParser.parse(MemorySegment.ofArray(frame), frame.length, info);
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + " #" + i + " threw on " + TestUtil.hex(frame), e);
            }
            counts[st]++;
            String ctx = "seed " + seed + " #" + i + " " + p + " " + TestUtil.hex(frame) + "\n" + info;
            if (expect >= 0 && st != expect) {
                fail(ctx + ": expected " + ParseStatus.name(expect) + " got " + ParseStatus.name(st));
            }
            if (st == ParseStatus.OK || st == ParseStatus.L4_TRUNCATED) {
                invariants(frame, ctx);
            }
        }
        for (int st = 0; st <= ParseStatus.L4_TRUNCATED; st++) {
            assertThat(counts[st]).as("status %s seen", ParseStatus.name(st)).isPositive();
        }
    }

    private void invariants(byte[] frame, String ctx) {
        assertThat(info.l3Offset).as(ctx).isBetween(14, 22);
        assertThat(info.l3Offset + info.l3Length).as(ctx).isLessThanOrEqualTo(frame.length);
        if (info.l4Offset >= 0) {
            assertThat(info.l4Offset).as(ctx).isGreaterThanOrEqualTo(info.l3Offset);
            assertThat(info.l4Offset + info.l4Length).as(ctx).isEqualTo(info.l3Offset + info.l3Length);
            if (info.l4Complete && info.l4Proto == IpProto.TCP) {
                TcpView t = new TcpView().wrap(MemorySegment.ofArray(frame), info.l4Offset);
                assertThat(t.headerLength()).as(ctx).isBetween(20, info.l4Length);
                t.mss(); // bounded option walk
            }
        }
    }
}
