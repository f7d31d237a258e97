package org.jnft.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnft.packet.TestUtil.hex;
import static org.jnft.packet.TestUtil.seg;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PacketParserTest {
    static final long M1 = 0x020000000001L;
    static final long M2 = 0x020000000002L;
    static final int A = 0x0a000102;
    static final int B = 0xc6336414;
    static final long[] A6 = Addresses.parseIpv6("2001:db8::1");
    static final long[] B6 = Addresses.parseIpv6("2001:db8:1::20");

    private final PacketInfo info = new PacketInfo();

    private int parse(byte[] frame) {
        return PacketParser.parse(seg(frame), frame.length, info);
    }

    private int parse(byte[] frame, int len) {
        // an exactly sized segment: a read past len would throw
        return PacketParser.parse(seg(Arrays.copyOf(frame, len)), len, info);
    }

    private static PacketBuilder v4() {
        return PacketBuilder.ether(M1, M2).ipv4(A, B);
    }

    private static PacketBuilder v6() {
        return PacketBuilder.ether(M1, M2).ipv6(A6[0], A6[1], B6[0], B6[1]);
    }

    @Test
    void scapyFixtures() {
        assertThat(parse(hex(ChecksumTest.SYN))).isEqualTo(ParseStatus.OK);
        assertThat(info.length).isEqualTo(74);
        assertThat(info.vlanCount).isZero();
        assertThat(info.etherType).isEqualTo(EtherType.IPV4);
        assertThat(info.l3Proto).isEqualTo(EtherType.IPV4);
        assertThat(info.l3Offset).isEqualTo(14);
        assertThat(info.l3Length).isEqualTo(60);
        assertThat(info.l4Offset).isEqualTo(34);
        assertThat(info.l4Proto).isEqualTo(IpProto.TCP);
        assertThat(info.ipProto).isEqualTo(IpProto.TCP);
        assertThat(info.l4Length).isEqualTo(40);
        assertThat(info.l4Complete).isTrue();
        assertThat(info.fragment || info.ipv4Options || info.ipv6ExtHeaders).isFalse();
        assertThat(info.ipv6FragHeaderOffset).isEqualTo(-1);

        assertThat(parse(hex(ChecksumTest.UDP6_VLAN))).isEqualTo(ParseStatus.OK);
        assertThat(info.vlanCount).isEqualTo(1);
        assertThat(info.vlanTci0).isEqualTo(10);
        assertThat(info.vlanTpid0).isEqualTo(EtherType.VLAN);
        assertThat(info.vlanId()).isEqualTo(10);
        assertThat(info.l3Offset).isEqualTo(18);
        assertThat(info.l3Proto).isEqualTo(EtherType.IPV6);
        assertThat(info.l3Length).isEqualTo(53);
        assertThat(info.l4Offset).isEqualTo(58);
        assertThat(info.l4Proto).isEqualTo(IpProto.UDP);
        assertThat(info.l4Length).isEqualTo(13);

        assertThat(parse(hex(ViewsTest.NS))).isEqualTo(ParseStatus.OK);
        assertThat(info.l4Proto).isEqualTo(IpProto.ICMPV6);
        assertThat(info.l4Offset).isEqualTo(54);
        assertThat(info.l4Length).isEqualTo(32);

        assertThat(parse(hex(ViewsTest.ARP))).isEqualTo(ParseStatus.OK);
        assertThat(info.l3Proto).isEqualTo(EtherType.ARP);
        assertThat(info.l3Length).isEqualTo(28);
        assertThat(info.l4Offset).isEqualTo(-1);
        assertThat(info.l4Proto).isEqualTo(-1);
    }

    @Test
    void ethernetPaddingIsNotPartOfTheDatagram() {
        byte[] f = v4().udp(1, 2).padTo(60).build();
        assertThat(f).hasSize(60);
        assertThat(parse(f)).isEqualTo(ParseStatus.OK);
        assertThat(info.l3Length).isEqualTo(28);
        assertThat(info.l4Length).isEqualTo(8);
        byte[] g = v6().udp(1, 2).padTo(100).build();
        assertThat(parse(g)).isEqualTo(ParseStatus.OK);
        assertThat(info.l3Length).isEqualTo(48);
    }

    @Test
    void linkLayerCases() {
        assertThat(parse(new byte[0])).isEqualTo(ParseStatus.PKT_TOO_SMALL);
        assertThat(parse(new byte[13])).isEqualTo(ParseStatus.PKT_TOO_SMALL);
        assertThat(PacketParser.parse(seg(new byte[64]), -1, info)).isEqualTo(ParseStatus.PKT_TOO_SMALL);
        // length beyond the segment is clipped
        byte[] ok = v4().udp(1, 2).build();
        assertThat(PacketParser.parse(seg(ok), 1 << 20, info)).isEqualTo(ParseStatus.OK);
        // unknown EtherType
        byte[] raw = PacketBuilder.ether(M1, M2).etherType(0x88cc).payloadLength(30).build();
        assertThat(parse(raw)).isEqualTo(ParseStatus.OK);
        assertThat(info.l3Offset).isEqualTo(14);
        assertThat(info.l3Proto).isEqualTo(0x88cc);
        assertThat(info.l3Length).isEqualTo(30);
        assertThat(info.l4Proto).isEqualTo(-1);
        assertThat(info.l4Offset).isEqualTo(-1);
        // VLAN tag cut short
        byte[] tagged = PacketBuilder.ether(M1, M2).vlan(5).etherType(0x88cc).build();
        assertThat(parse(tagged, 16)).isEqualTo(ParseStatus.PKT_TOO_SMALL);
        assertThat(parse(tagged, 18)).isEqualTo(ParseStatus.OK);
        // QinQ
        byte[] qinq = PacketBuilder.ether(M1, M2).vlan(EtherType.QINQ, 0x2064).vlan(7).ipv4(A, B).udp(1, 2).build();
        assertThat(parse(qinq)).isEqualTo(ParseStatus.OK);
        assertThat(info.vlanCount).isEqualTo(2);
        assertThat(info.vlanTpid0).isEqualTo(EtherType.QINQ);
        assertThat(info.vlanTci0).isEqualTo(0x2064);
        assertThat(info.vlanTci1).isEqualTo(7);
        assertThat(info.l3Offset).isEqualTo(22);
        assertThat(info.l4Proto).isEqualTo(IpProto.UDP);
        // a third tag is not looked through
        byte[] three = PacketBuilder.ether(M1, M2).vlan(1).vlan(2).vlan(3).ipv4(A, B).udp(1, 2).build();
        assertThat(parse(three)).isEqualTo(ParseStatus.OK);
        assertThat(info.vlanCount).isEqualTo(2);
        assertThat(info.etherType).isEqualTo(EtherType.VLAN);
        assertThat(info.l4Proto).isEqualTo(-1);
        // ARP too short
        byte[] arp = PacketBuilder.ether(M1, M2).arp(1, M1, A, 0, B).build();
        assertThat(parse(arp, 41)).isEqualTo(ParseStatus.PKT_TOO_SMALL);
        assertThat(parse(arp, 42)).isEqualTo(ParseStatus.OK);
    }

    private static void refill(byte[] f, int l3) {
        Ipv4View ip = new Ipv4View().wrap(seg(f), l3);
        ip.fillChecksum();
    }

    @Test
    void ipv4HeaderChecksAsIpRcvCore() {
        byte[] f = v4().tcp(1, 2, TcpView.SYN, 0, 0).payloadLength(10).build();
        assertThat(parse(f, 14 + 19)).isEqualTo(ParseStatus.IP_INHDR);
        byte[] bad = f.clone();
        bad[14] = 0x55; // version 5
        refill(bad, 14);
        assertThat(parse(bad)).isEqualTo(ParseStatus.IP_INHDR);
        bad = f.clone();
        bad[14] = 0x44; // IHL 4
        assertThat(parse(bad)).isEqualTo(ParseStatus.IP_INHDR);
        bad = f.clone();
        bad[14] = 0x4f; // IHL 15: 60 bytes, frame has 44 after the link header
        assertThat(parse(bad, 14 + 44)).isEqualTo(ParseStatus.IP_INHDR);
        bad = f.clone();
        bad[14 + 10] ^= 1;
        assertThat(parse(bad)).isEqualTo(ParseStatus.IP_CSUM);
        assertThat(parse(v4().badIpChecksum().udp(1, 2).build())).isEqualTo(ParseStatus.IP_CSUM);
        bad = f.clone();
        Bytes.setU16(seg(bad), 16, 51); // total length 51 > 50 present
        refill(bad, 14);
        assertThat(parse(bad)).isEqualTo(ParseStatus.PKT_TOO_SMALL);
        assertThat(parse(f, f.length - 1)).isEqualTo(ParseStatus.PKT_TOO_SMALL);
        bad = f.clone();
        Bytes.setU16(seg(bad), 16, 19); // total length below the header length
        refill(bad, 14);
        assertThat(parse(bad)).isEqualTo(ParseStatus.IP_INHDR);
        bad = f.clone();
        Bytes.setU16(seg(bad), 16, 20); // just the header: TCP truncated
        refill(bad, 14);
        assertThat(parse(bad)).isEqualTo(ParseStatus.L4_TRUNCATED);
        assertThat(info.l4Offset).isEqualTo(34);
        assertThat(info.l4Length).isZero();
        assertThat(info.l4Complete).isFalse();
        // a checksum error is reported before a length error, as in ip_rcv_core
        Bytes.setU16(seg(bad), 16, 1000);
        assertThat(parse(bad)).isEqualTo(ParseStatus.IP_CSUM);
    }

    @Test
    void ipv4OptionsAndFragments() {
        byte[] f = v4().ipv4Options(new byte[] {(byte) 0x94, 4, 0, 0}).udp(7, 8).payloadLength(3).build();
        assertThat(parse(f)).isEqualTo(ParseStatus.OK);
        assertThat(info.ipv4Options).isTrue();
        assertThat(info.l4Offset).isEqualTo(38);
        assertThat(info.l4Length).isEqualTo(11);

        byte[] first = v4().id(9).fragment(0, true).udp(7, 8).payloadLength(100).build();
        assertThat(parse(first)).isEqualTo(ParseStatus.OK);
        assertThat(info.fragment).isTrue();
        assertThat(info.firstFragment).isTrue();
        assertThat(info.moreFragments).isTrue();
        assertThat(info.fragOffset).isZero();
        assertThat(info.l4Offset).isEqualTo(34);
        assertThat(info.l4Proto).isEqualTo(IpProto.UDP);

        byte[] later = v4().id(9).fragment(1480, false).udp(7, 8).payloadLength(100).build();
        assertThat(parse(later)).isEqualTo(ParseStatus.OK);
        assertThat(info.fragment).isTrue();
        assertThat(info.firstFragment).isFalse();
        assertThat(info.moreFragments).isFalse();
        assertThat(info.fragOffset).isEqualTo(1480);
        assertThat(info.l4Offset).isEqualTo(-1);
        assertThat(info.l4Proto).isEqualTo(-1);
        assertThat(info.ipProto).isEqualTo(IpProto.UDP);
        assertThat(info.l3Length).isEqualTo(120);

        // a first fragment too short for its TCP header is still OK (defragmentation decides)
        byte[] tiny = v4().fragment(0, true).ipProto(IpProto.TCP).payloadLength(8).build();
        assertThat(parse(tiny)).isEqualTo(ParseStatus.OK);
        assertThat(info.l4Complete).isFalse();
    }

    @Test
    void l4Truncation() {
        assertThat(parse(v4().ipProto(IpProto.TCP).payloadLength(19).build())).isEqualTo(ParseStatus.L4_TRUNCATED);
        assertThat(parse(v4().ipProto(IpProto.UDP).payloadLength(7).build())).isEqualTo(ParseStatus.L4_TRUNCATED);
        assertThat(parse(v4().ipProto(IpProto.ICMP).payloadLength(7).build())).isEqualTo(ParseStatus.L4_TRUNCATED);
        assertThat(parse(v6().ipProto(IpProto.ICMPV6).payloadLength(7).build())).isEqualTo(ParseStatus.L4_TRUNCATED);
        assertThat(parse(v6().ipProto(IpProto.UDP).payloadLength(8).build())).isEqualTo(ParseStatus.OK);
        assertThat(parse(v4().ipProto(IpProto.GRE).payloadLength(2).build())).isEqualTo(ParseStatus.OK);
        assertThat(info.l4Proto).isEqualTo(IpProto.GRE);
        byte[] t = v4().tcp(1, 2, TcpView.ACK, 0, 0).build();
        TcpView tcp = new TcpView().wrap(seg(t), 34);
        tcp.dataOffset(4);
        assertThat(parse(t)).isEqualTo(ParseStatus.L4_TRUNCATED);
        tcp.dataOffset(6); // 24 bytes claimed, 20 present
        assertThat(parse(t)).isEqualTo(ParseStatus.L4_TRUNCATED);
        assertThat(ParseStatus.dropReason(ParseStatus.L4_TRUNCATED)).isEqualTo("PKT_TOO_SMALL");
    }

    @Test
    void ipv6HeaderChecks() {
        byte[] f = v6().udp(1, 2).payloadLength(4).build();
        assertThat(parse(f, 14 + 39)).isEqualTo(ParseStatus.IP_INHDR);
        byte[] bad = f.clone();
        bad[14] = 0x40;
        assertThat(parse(bad)).isEqualTo(ParseStatus.UNHANDLED_PROTO);
        assertThat(parse(f, f.length - 1)).isEqualTo(ParseStatus.PKT_TOO_SMALL);
        // jumbogram marker: payload length 0 with hop-by-hop
        byte[] j = v6().hopByHop().udp(1, 2).build();
        Bytes.setU16(seg(j), 18, 0);
        assertThat(parse(j)).isEqualTo(ParseStatus.IP_INHDR);
        // payload length 0 without extension headers is an empty datagram
        byte[] e = v6().build();
        assertThat(parse(e)).isEqualTo(ParseStatus.OK);
        assertThat(info.l4Proto).isEqualTo(IpProto.NONE);
        assertThat(info.l4Length).isZero();
    }

    @Test
    void ipv6ExtensionHeaders() {
        byte[] f = v6().hopByHop().routing().destOptions().ah().tcp(1, 2, TcpView.SYN, 0, 0).build();
        assertThat(parse(f)).isEqualTo(ParseStatus.OK);
        assertThat(info.ipv6ExtHeaders).isTrue();
        assertThat(info.l4Offset).isEqualTo(54 + 8 + 8 + 8 + 24);
        assertThat(info.l4Proto).isEqualTo(IpProto.TCP);
        assertThat(info.l4Length).isEqualTo(20);
        assertThat(new TcpView().wrap(seg(f), info.l4Offset).flags()).isEqualTo(TcpView.SYN);
        // cut inside each extension header: the payload length still covers it, so shrink it too
        for (int cut = 54; cut < 54 + 48; cut++) {
            byte[] g = Arrays.copyOf(f, cut);
            Bytes.setU16(seg(g), 18, cut - 54);
            int st = parse(g);
            if (cut == 54 + 8 || cut == 54 + 16 || cut == 54 + 24 || cut == 54 + 48) {
                continue; // ends exactly between headers: the next one is simply missing (truncated too)
            }
            assertThat(st).as("cut at %d", cut).isEqualTo(ParseStatus.IP_INHDR);
        }
        // ESP ends the walk
        byte[] esp = v6().hopByHop().ipProto(IpProto.ESP).payloadLength(40).build();
        assertThat(parse(esp)).isEqualTo(ParseStatus.OK);
        assertThat(info.l4Proto).isEqualTo(IpProto.ESP);
        assertThat(info.l4Offset).isEqualTo(62);
        // too many extension headers
        PacketBuilder many = v6();
        for (int i = 0; i <= PacketParser.MAX_EXT_HEADERS; i++) {
            many.destOptions();
        }
        assertThat(parse(many.udp(1, 2).build())).isEqualTo(ParseStatus.IP_INHDR);
        // big hop-by-hop header
        byte[] big = v6().hopByHop(new byte[100]).udp(1, 2).build();
        assertThat(parse(big)).isEqualTo(ParseStatus.OK);
        assertThat(info.l4Offset).isEqualTo(54 + 104);
    }

    @Test
    void ipv6Fragments() {
        byte[] first = v6().hopByHop().id(77).fragment(0, true).udp(1, 2).payloadLength(50).build();
        assertThat(parse(first)).isEqualTo(ParseStatus.OK);
        assertThat(info.fragment).isTrue();
        assertThat(info.firstFragment).isTrue();
        assertThat(info.moreFragments).isTrue();
        assertThat(info.ipv6FragHeaderOffset).isEqualTo(62);
        assertThat(info.l4Offset).isEqualTo(70);
        assertThat(info.l4Proto).isEqualTo(IpProto.UDP);
        assertThat(Bytes.u32(seg(first), 66)).isEqualTo(77);

        byte[] later = v6().fragment(1232, true).udp(1, 2).payloadLength(50).build();
        assertThat(parse(later)).isEqualTo(ParseStatus.OK);
        assertThat(info.fragment).isTrue();
        assertThat(info.firstFragment).isFalse();
        assertThat(info.fragOffset).isEqualTo(1232);
        assertThat(info.ipv6FragHeaderOffset).isEqualTo(54);
        assertThat(info.l4Offset).isEqualTo(-1);
        assertThat(info.ipProto).isEqualTo(IpProto.UDP);

        byte[] atomic = v6().fragment(0, false).udp(1, 2).build();
        assertThat(parse(atomic)).isEqualTo(ParseStatus.OK);
        assertThat(info.fragment).isFalse();
        assertThat(info.ipv6FragHeaderOffset).isEqualTo(54);
        assertThat(info.ipv6ExtHeaders).isTrue();
        assertThat(info.l4Offset).isEqualTo(62);
    }

    @Test
    void dropReasons() {
        assertThat(ParseStatus.dropReason(ParseStatus.OK)).isEqualTo("NOT_DROPPED_YET");
        assertThat(ParseStatus.dropReason(ParseStatus.PKT_TOO_SMALL)).isEqualTo("PKT_TOO_SMALL");
        assertThat(ParseStatus.dropReason(ParseStatus.IP_INHDR)).isEqualTo("IP_INHDR");
        assertThat(ParseStatus.dropReason(ParseStatus.IP_CSUM)).isEqualTo("IP_CSUM");
        assertThat(ParseStatus.dropReason(ParseStatus.UNHANDLED_PROTO)).isEqualTo("UNHANDLED_PROTO");
        assertThat(ParseStatus.dropReason(99)).isEqualTo("NOT_SPECIFIED");
    }

    @Test
    void parsesAtAnOffsetInABiggerSegment() {
        byte[] f = v4().vlan(3).udp(1, 2).payloadLength(5).build();
        PacketBuffer buf = new PacketBuffer(2048);
        buf.load(f);
        assertThat(PacketParser.parse(buf.segment(), buf.offset(), buf.length(), info)).isEqualTo(ParseStatus.OK);
        assertThat(info.l3Offset).isEqualTo(buf.offset() + 18);
        assertThat(info.l4Offset).isEqualTo(buf.offset() + 38);
        assertThat(new UdpView().wrap(buf.segment(), info.l4Offset).length()).isEqualTo(13);
        assertThat(PacketParser.parse(buf.segment(), 2040, 100, info)).isEqualTo(ParseStatus.PKT_TOO_SMALL);
    }
}
