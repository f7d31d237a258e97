package org.jnft.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnft.packet.TestUtil.hex;
import static org.jnft.packet.TestUtil.seg;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** Each view against frames made by scapy (hex in ChecksumTest and here). */
class ViewsTest {
    static final String NS = "3333ff00000102000000000186dd6000000000203afffe800000000000000000000000000001ff020000"
            + "0000000000000001ff00000187004b610000000020010db80000000000000000000000010101020000000001";
    static final String ARP = "ffffffffffff020000000001080600010800060400010200000000010a0001020000000000000a000101";

    @Test
    void bytes() {
        MemorySegment s = seg(new byte[16]);
        Bytes.setU8(s, 0, 0x1ff);
        Bytes.setU16(s, 1, 0xabcd);
        Bytes.setU32(s, 3, 0xdeadbeef);
        Bytes.setU48(s, 7, 0x0102_0304_0506L);
        assertThat(hex(s.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE))).startsWith("ffabcddeadbeef010203040506");
        assertThat(Bytes.u8(s, 0)).isEqualTo(0xff);
        assertThat(Bytes.u16(s, 1)).isEqualTo(0xabcd);
        assertThat(Bytes.u32(s, 3)).isEqualTo(0xdeadbeef);
        assertThat(Bytes.u48(s, 7)).isEqualTo(0x0102_0304_0506L);
        Bytes.setU64(s, 8, 0x8877665544332211L);
        assertThat(Bytes.u64(s, 8)).isEqualTo(0x8877665544332211L);
        assertThat(Bytes.u48(s, 8)).isEqualTo(0x887766554433L);
        // native segments too
        try (Arena a = Arena.ofConfined()) {
            MemorySegment n = a.allocate(8);
            Bytes.setU32(n, 1, 0x01020304);
            assertThat(Bytes.u8(n, 1)).isEqualTo(1);
            assertThat(Bytes.u32(n, 1)).isEqualTo(0x01020304);
        }
    }

    @Test
    void ethernetIpv4Tcp() {
        MemorySegment s = seg(ChecksumTest.SYN);
        EthernetView eth = new EthernetView().wrap(s, 0);
        assertThat(eth.dst()).isEqualTo(0x020000000002L);
        assertThat(eth.src()).isEqualTo(0x020000000001L);
        assertThat(eth.etherType()).isEqualTo(EtherType.IPV4);
        Ipv4View ip = new Ipv4View().wrap(s, 14);
        assertThat(ip.version()).isEqualTo(4);
        assertThat(ip.ihl()).isEqualTo(5);
        assertThat(ip.headerLength()).isEqualTo(20);
        assertThat(ip.hasOptions()).isFalse();
        assertThat(ip.tos()).isZero();
        assertThat(ip.totalLength()).isEqualTo(60);
        assertThat(ip.id()).isEqualTo(0x1234);
        assertThat(ip.fragField()).isEqualTo(0x4000);
        assertThat(ip.df()).isTrue();
        assertThat(ip.mf()).isFalse();
        assertThat(ip.fragmentOffset()).isZero();
        assertThat(ip.ttl()).isEqualTo(64);
        assertThat(ip.protocol()).isEqualTo(IpProto.TCP);
        assertThat(ip.checksum()).isEqualTo(0xf33e);
        assertThat(ip.checksumValid()).isTrue();
        assertThat(ip.src()).isEqualTo(Addresses.parseIpv4("10.0.1.2"));
        assertThat(ip.dst()).isEqualTo(Addresses.parseIpv4("198.51.100.20"));
        TcpView tcp = new TcpView().wrap(s, 34);
        assertThat(tcp.sport()).isEqualTo(41000);
        assertThat(tcp.dport()).isEqualTo(443);
        assertThat(tcp.seq()).isEqualTo(1000);
        assertThat(tcp.ack()).isZero();
        assertThat(tcp.dataOffset()).isEqualTo(10);
        assertThat(tcp.headerLength()).isEqualTo(40);
        assertThat(tcp.flags()).isEqualTo(TcpView.SYN);
        assertThat(tcp.window()).isEqualTo(64240);
        assertThat(tcp.checksum()).isEqualTo(0x71f9);
        assertThat(tcp.urgentPointer()).isZero();
        assertThat(tcp.mss()).isEqualTo(1460);
        // options: MSS at 20, SAckOK at 24, TS at 26, NOP at 36, WScale at 37
        assertThat(tcp.optionOffset(TcpView.OPT_MSS)).isEqualTo(20);
        assertThat(tcp.optionOffset(TcpView.OPT_SACK_PERMITTED)).isEqualTo(24);
        assertThat(tcp.optionOffset(TcpView.OPT_TIMESTAMP)).isEqualTo(26);
        assertThat(tcp.optionOffset(TcpView.OPT_NOP)).isEqualTo(36);
        assertThat(tcp.optionOffset(TcpView.OPT_WINDOW_SCALE)).isEqualTo(37);
        assertThat(tcp.optionOffset(TcpView.OPT_SACK)).isEqualTo(-1);

        // setters round-trip and keep neighbouring bits
        tcp.flags(TcpView.SYN | TcpView.ACK | TcpView.NS);
        assertThat(tcp.dataOffset()).isEqualTo(10);
        assertThat(tcp.flags()).isEqualTo(0x112);
        assertThat(tcp.hasFlags(TcpView.SYN | TcpView.ACK)).isTrue();
        tcp.dataOffset(5);
        assertThat(tcp.flags()).isEqualTo(0x112);
        assertThat(tcp.mss()).isEqualTo(-1);
        tcp.sport(1).dport(2).seq(-1).ack(0x80000000).window(3).checksum(4).urgentPointer(5);
        assertThat(new long[] {tcp.sport(), tcp.dport(), tcp.seq(), tcp.ack(), tcp.window(), tcp.checksum(), tcp.urgentPointer()})
                .containsExactly(1, 2, -1, 0x80000000, 3, 4, 5);
        eth.dst(0xffffffffffffL).src(0x0a0b0c0d0e0fL).etherType(0x1234);
        assertThat(eth.dst()).isEqualTo(EthernetView.BROADCAST);
        assertThat(eth.src()).isEqualTo(0x0a0b0c0d0e0fL);
        assertThat(eth.etherType()).isEqualTo(0x1234);
        assertThat(EthernetView.isMulticast(0x333300000001L)).isTrue();
        assertThat(EthernetView.isMulticast(0x020000000001L)).isFalse();
        ip.tos(0xb9).totalLength(100).id(7).fragField(0x2000 | 3).ttl(9).protocol(17).checksum(0).src(1).dst(2);
        assertThat(ip.dscp()).isEqualTo(0x2e);
        assertThat(ip.ecn()).isEqualTo(1);
        assertThat(ip.mf()).isTrue();
        assertThat(ip.df()).isFalse();
        assertThat(ip.fragmentOffset()).isEqualTo(24);
        assertThat(ip.isFragment()).isTrue();
        ip.fillChecksum();
        assertThat(ip.checksumValid()).isTrue();
    }

    @Test
    void tcpOptionWalkIsBoundedAndNeverThrows() {
        byte[] b = new byte[60];
        MemorySegment s = seg(b);
        TcpView t = new TcpView().wrap(s, 0);
        t.dataOffset(15);
        b[20] = 1; // NOP
        b[21] = 30; // unknown kind
        b[22] = 0; // length 0: malformed, stop
        assertThat(t.optionOffset(TcpView.OPT_MSS)).isEqualTo(-1);
        b[22] = 50; // runs past the header
        assertThat(t.optionOffset(TcpView.OPT_MSS)).isEqualTo(-1);
        b[21] = 2; // MSS with wrong length 3
        b[22] = 3;
        assertThat(t.optionOffset(TcpView.OPT_MSS)).isEqualTo(21);
        assertThat(t.mss()).isEqualTo(-1);
        // header claims 60 bytes but the segment holds 24
        MemorySegment shortSeg = seg(new byte[24]);
        TcpView ts = new TcpView().wrap(shortSeg, 0).dataOffset(15);
        Bytes.setU32(shortSeg, 20, 0x02040100); // MSS option, cut at the segment end
        assertThat(ts.mss()).isEqualTo(0x100);
        Bytes.setU8(shortSeg, 21, 8);
        assertThat(ts.mss()).isEqualTo(-1);
    }

    @Test
    void vlanIpv6Udp() {
        MemorySegment s = seg(ChecksumTest.UDP6_VLAN);
        assertThat(new EthernetView().wrap(s, 0).etherType()).isEqualTo(EtherType.VLAN);
        VlanView v = new VlanView().wrap(s, 12);
        assertThat(v.tpid()).isEqualTo(EtherType.VLAN);
        assertThat(v.tci()).isEqualTo(10);
        assertThat(v.vid()).isEqualTo(10);
        assertThat(v.pcp()).isZero();
        assertThat(v.dei()).isFalse();
        assertThat(v.etherType()).isEqualTo(EtherType.IPV6);
        v.pcp(5).dei(true).vid(4094);
        assertThat(v.tci()).isEqualTo(0xbffe);
        assertThat(v.pcp()).isEqualTo(5);
        assertThat(v.dei()).isTrue();
        v.dei(false).vid(10).pcp(0);
        assertThat(v.tci()).isEqualTo(10);

        Ipv6View ip = new Ipv6View().wrap(s, 18);
        assertThat(ip.version()).isEqualTo(6);
        assertThat(ip.trafficClass()).isEqualTo(0x28);
        assertThat(ip.flowLabel()).isEqualTo(0x12345);
        assertThat(ip.payloadLength()).isEqualTo(13);
        assertThat(ip.nextHeader()).isEqualTo(IpProto.UDP);
        assertThat(ip.hopLimit()).isEqualTo(63);
        assertThat(Addresses.formatIpv6(ip.srcHi(), ip.srcLo())).isEqualTo("2001:db8::1");
        assertThat(Addresses.formatIpv6(ip.dstHi(), ip.dstLo())).isEqualTo("2001:db8:1::20");
        ip.trafficClass(0xff);
        assertThat(ip.flowLabel()).isEqualTo(0x12345);
        assertThat(ip.version()).isEqualTo(6);
        ip.flowLabel(0xfffff).trafficClass(0x28).flowLabel(0x12345);
        assertThat(ip.trafficClass()).isEqualTo(0x28);
        ip.decrementHopLimit();
        assertThat(ip.hopLimit()).isEqualTo(62);
        ip.src(1, 2).dst(3, 4).payloadLength(5).nextHeader(6).hopLimit(7);
        assertThat(new long[] {ip.srcHi(), ip.srcLo(), ip.dstHi(), ip.dstLo(), ip.payloadLength(), ip.nextHeader(), ip.hopLimit()})
                .containsExactly(1, 2, 3, 4, 5, 6, 7);

        UdpView u = new UdpView().wrap(s, 58);
        assertThat(u.sport()).isEqualTo(5353);
        assertThat(u.dport()).isEqualTo(53);
        assertThat(u.length()).isEqualTo(13);
        assertThat(u.checksum()).isEqualTo(0x4b50);
        u.sport(1).dport(2).length(3).checksum(4);
        assertThat(new int[] {u.sport(), u.dport(), u.length(), u.checksum()}).containsExactly(1, 2, 3, 4);
    }

    @Test
    void icmpEcho() {
        MemorySegment s = seg(ChecksumTest.PING);
        IcmpView ic = new IcmpView().wrap(s, 34);
        assertThat(ic.type()).isEqualTo(IcmpView.ECHO_REQUEST);
        assertThat(ic.code()).isZero();
        assertThat(ic.checksum()).isEqualTo(0x65f0);
        assertThat(ic.id()).isEqualTo(0x77);
        assertThat(ic.sequence()).isEqualTo(3);
        assertThat(ic.restOfHeader()).isEqualTo(0x00770003);
        ic.type(IcmpView.DEST_UNREACH).code(IcmpView.FRAG_NEEDED).restOfHeader(0).mtu(1400).checksum(9);
        assertThat(ic.mtu()).isEqualTo(1400);
        assertThat(ic.restOfHeader()).isEqualTo(1400);
        assertThat(ic.code()).isEqualTo(4);
        assertThat(ic.checksum()).isEqualTo(9);
        ic.id(5).sequence(6);
        assertThat(ic.restOfHeader()).isEqualTo(0x00050006);
        assertThat(IcmpView.isError(IcmpView.DEST_UNREACH)).isTrue();
        assertThat(IcmpView.isError(IcmpView.ECHO_REPLY)).isFalse();
    }

    @Test
    void neighbourSolicitation() {
        MemorySegment s = seg(NS);
        Ipv6View ip = new Ipv6View().wrap(s, 14);
        assertThat(ip.hopLimit()).isEqualTo(255);
        assertThat(ip.nextHeader()).isEqualTo(IpProto.ICMPV6);
        Icmpv6View ic = new Icmpv6View().wrap(s, 54);
        assertThat(ic.type()).isEqualTo(Icmpv6View.NEIGHBOUR_SOLICIT);
        assertThat(ic.code()).isZero();
        assertThat(ic.checksum()).isEqualTo(0x4b61);
        assertThat(Addresses.formatIpv6(ic.targetHi(), ic.targetLo())).isEqualTo("2001:db8::1");
        int end = 54 + 32;
        assertThat(ic.optionOffset(Icmpv6View.OPT_SOURCE_LL_ADDR, end)).isEqualTo(24);
        assertThat(ic.linkLayerOption(Icmpv6View.OPT_SOURCE_LL_ADDR, end)).isEqualTo(0x020000000001L);
        assertThat(ic.linkLayerOption(Icmpv6View.OPT_TARGET_LL_ADDR, end)).isEqualTo(-1);
        assertThat(ic.linkLayerOption(Icmpv6View.OPT_SOURCE_LL_ADDR, end - 1)).as("truncated option").isEqualTo(-1);
        assertThat(Checksum.l4ValidV6(s, 54, 32, ip.srcHi(), ip.srcLo(), ip.dstHi(), ip.dstLo(), IpProto.ICMPV6)).isTrue();
        Bytes.setU8(s, 54 + 25, 0); // zero-length option: stop
        assertThat(ic.optionOffset(Icmpv6View.OPT_SOURCE_LL_ADDR, end)).isEqualTo(-1);
        ic.type(Icmpv6View.ECHO_REQUEST).id(1).sequence(2);
        assertThat(ic.optionOffset(Icmpv6View.OPT_SOURCE_LL_ADDR, end)).as("not an NDP message").isEqualTo(-1);
        assertThat(ic.restOfHeader()).isEqualTo(0x00010002);
        ic.type(Icmpv6View.PACKET_TOO_BIG).mtu(1280);
        assertThat(ic.mtu()).isEqualTo(1280);
        ic.target(5, 6).code(1).checksum(2).restOfHeader(Icmpv6View.NA_SOLICITED);
        assertThat(new long[] {ic.targetHi(), ic.targetLo(), ic.code(), ic.checksum(), ic.restOfHeader()})
                .containsExactly(5, 6, 1, 2, 0x40000000);
        assertThat(Icmpv6View.isError(Icmpv6View.PACKET_TOO_BIG)).isTrue();
        assertThat(Icmpv6View.isError(Icmpv6View.ECHO_REPLY)).isFalse();
    }

    @Test
    void arp() {
        MemorySegment s = seg(ARP);
        ArpView a = new ArpView().wrap(s, 14);
        assertThat(a.htype()).isEqualTo(1);
        assertThat(a.ptype()).isEqualTo(EtherType.IPV4);
        assertThat(a.hlen()).isEqualTo(6);
        assertThat(a.plen()).isEqualTo(4);
        assertThat(a.op()).isEqualTo(ArpView.OP_REQUEST);
        assertThat(a.sha()).isEqualTo(0x020000000001L);
        assertThat(a.spa()).isEqualTo(Addresses.parseIpv4("10.0.1.2"));
        assertThat(a.tha()).isZero();
        assertThat(a.tpa()).isEqualTo(Addresses.parseIpv4("10.0.1.1"));
        assertThat(a.isEthernetIpv4()).isTrue();
        a.op(ArpView.OP_REPLY).sha(1).spa(2).tha(3).tpa(4).htype(6).ptype(7).hlen(8).plen(9);
        assertThat(new long[] {a.op(), a.sha(), a.spa(), a.tha(), a.tpa(), a.htype(), a.ptype(), a.hlen(), a.plen()})
                .containsExactly(2, 1, 2, 3, 4, 6, 7, 8, 9);
        assertThat(a.isEthernetIpv4()).isFalse();
    }

    @Test
    void builderReproducesScapyFrames() {
        long m1 = 0x020000000001L;
        long m2 = 0x020000000002L;
        byte[] syn = PacketBuilder.ether(m1, m2).ipv4(Addresses.parseIpv4("10.0.1.2"), Addresses.parseIpv4("198.51.100.20"))
                .id(0x1234).df(true).tcp(41000, 443, TcpView.SYN, 1000, 0).window(64240).mss(1460)
                .tcpOptions(hex("0402080a000000010000000001030307")).build();
        assertThat(hex(syn)).isEqualTo(ChecksumTest.SYN);
        long[] a = Addresses.parseIpv6("2001:db8::1");
        long[] b = Addresses.parseIpv6("2001:db8:1::20");
        byte[] u6 = PacketBuilder.ether(m1, m2).vlan(10).ipv6(a[0], a[1], b[0], b[1]).hopLimit(63).flowLabel(0x12345)
                .trafficClass(0x28).udp(5353, 53).payload("hello".getBytes()).build();
        assertThat(hex(u6)).isEqualTo(ChecksumTest.UDP6_VLAN);
        long[] ll = Addresses.parseIpv6("fe80::1");
        long[] sn = Addresses.parseIpv6("ff02::1:ff00:1");
        byte[] ns = PacketBuilder.ether(m1, 0x3333ff000001L).ipv6(ll[0], ll[1], sn[0], sn[1])
                .neighbourSolicit(a[0], a[1], m1).build();
        assertThat(hex(ns)).isEqualTo(NS);
        byte[] arp = PacketBuilder.ether(m1, EthernetView.BROADCAST)
                .arp(ArpView.OP_REQUEST, m1, Addresses.parseIpv4("10.0.1.2"), 0, Addresses.parseIpv4("10.0.1.1")).build();
        assertThat(hex(arp)).isEqualTo(ARP);
        byte[] ping = PacketBuilder.ether(m1, m2).ipv4(Addresses.parseIpv4("192.0.2.1"), Addresses.parseIpv4("192.0.2.2"))
                .id(7).icmpEcho(true, 0x77, 3).payload("abcdefgh".getBytes()).build();
        assertThat(hex(ping)).isEqualTo(ChecksumTest.PING);
        byte[] udp4 = PacketBuilder.ether(m1, m2).ipv4(Addresses.parseIpv4("192.0.2.1"), Addresses.parseIpv4("192.0.2.2"))
                .id(1).udp(1, 2).payload("x".getBytes()).build();
        assertThat(hex(udp4)).isEqualTo(ChecksumTest.UDP4);
    }

    @Test
    void neighbourAdvertAndEchoFromTheBuilder() {
        long[] t = Addresses.parseIpv6("2001:db8::5");
        long[] all = Addresses.parseIpv6("ff02::1");
        byte[] na = PacketBuilder.ether(0x020000000005L, 0x333300000001L).ipv6(t[0], t[1], all[0], all[1])
                .neighbourAdvert(t[0], t[1], true, false, true, 0x020000000005L).build();
        PacketInfo info = new PacketInfo();
        MemorySegment s = seg(na);
        assertThat(PacketParser.parse(s, na.length, info)).isEqualTo(ParseStatus.OK);
        assertThat(new Ipv6View().wrap(s, 14).hopLimit()).isEqualTo(255);
        Icmpv6View ic = new Icmpv6View().wrap(s, info.l4Offset);
        assertThat(ic.type()).isEqualTo(Icmpv6View.NEIGHBOUR_ADVERT);
        assertThat(ic.restOfHeader()).isEqualTo(Icmpv6View.NA_ROUTER | Icmpv6View.NA_OVERRIDE);
        assertThat(new long[] {ic.targetHi(), ic.targetLo()}).containsExactly(t[0], t[1]);
        int end = info.l4Offset + info.l4Length;
        assertThat(ic.linkLayerOption(Icmpv6View.OPT_TARGET_LL_ADDR, end)).isEqualTo(0x020000000005L);
        assertThat(ic.linkLayerOption(Icmpv6View.OPT_SOURCE_LL_ADDR, end)).isEqualTo(-1);
        assertThat(Checksum.l4ValidV6(s, info.l4Offset, info.l4Length, t[0], t[1], all[0], all[1], IpProto.ICMPV6)).isTrue();

        byte[] dad = PacketBuilder.ether(1, 2).ipv6(0, 0, all[0], all[1]).neighbourSolicit(t[0], t[1], -1).build();
        assertThat(PacketParser.parse(seg(dad), dad.length, info)).isEqualTo(ParseStatus.OK);
        assertThat(info.l4Length).isEqualTo(24);
        assertThat(new Icmpv6View().wrap(seg(dad), info.l4Offset).linkLayerOption(1, info.l4Offset + 24)).isEqualTo(-1);

        byte[] echo = PacketBuilder.ether(1, 2).ipv6(t[0], t[1], all[0], all[1]).icmpv6Echo(false, 9, 10).payloadLength(3).build();
        MemorySegment e = seg(echo);
        assertThat(PacketParser.parse(e, echo.length, info)).isEqualTo(ParseStatus.OK);
        Icmpv6View ev = new Icmpv6View().wrap(e, info.l4Offset);
        assertThat(new int[] {ev.type(), ev.id(), ev.sequence()}).containsExactly(Icmpv6View.ECHO_REPLY, 9, 10);
        assertThat(new Ipv6View().wrap(e, 14).hopLimit()).isEqualTo(64);
        assertThat(Checksum.l4ValidV6(e, info.l4Offset, info.l4Length, t[0], t[1], all[0], all[1], IpProto.ICMPV6)).isTrue();

        byte[] zero = PacketBuilder.ether(1, 2).ipv4(3, 4).udp(5, 6).udpChecksumZero().build();
        assertThat(new UdpView().wrap(seg(zero), 34).checksum()).isZero();
        byte[] badL4 = PacketBuilder.ether(1, 2).ipv4(3, 4).udp(5, 6).badL4Checksum().build();
        assertThat(Checksum.l4ValidV4(seg(badL4), 34, 8, 3, 4, IpProto.UDP)).isFalse();
    }
}
