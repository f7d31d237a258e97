package org.jnft.conntrack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnft.conntrack.CtConst.*;
import static org.jnft.conntrack.CtHarness.*;

import org.jnft.packet.Addresses;
import org.jnft.packet.IcmpView;
import org.junit.jupiter.api.Test;

class UdpIcmpGenericTest {
    static final int A = v4("10.0.1.2");
    static final int B = v4("198.51.100.20");

    static byte[] udp(int src, int dst, int sp, int dp) {
        return e().ipv4(src, dst).udp(sp, dp).payloadLength(20).build();
    }

    @Test
    void udpUnrepliedRepliedAndStream() {
        CtHarness h = new CtHarness();
        assertThat(h.send(udp(A, B, 5000, 53))).isEqualTo(STATE_NEW);
        CtEntry e = h.entry;
        assertThat(h.secondsLeft(e)).isEqualTo(30);
        assertThat(ConntrackListing.line(e, h.now)).contains("[UNREPLIED]").doesNotContain("ASSURED");
        h.advance(S);
        assertThat(h.send(udp(B, A, 53, 5000))).isEqualTo(STATE_ESTABLISHED);
        assertThat(h.ctinfo).isEqualTo(IP_CT_ESTABLISHED_REPLY);
        assertThat(h.secondsLeft(e)).isEqualTo(30);
        assertThat(e.isAssured()).isFalse();
        // exactly 2 s after the first packet: not yet a stream (time_after is strict)
        h.advance(S);
        assertThat(h.send(udp(A, B, 5000, 53))).isEqualTo(STATE_ESTABLISHED);
        assertThat(h.secondsLeft(e)).isEqualTo(30);
        assertThat(e.isAssured()).isFalse();
        h.advance(1);
        h.send(udp(A, B, 5000, 53));
        assertThat(h.secondsLeft(e)).isEqualTo(120);
        assertThat(e.timeout - h.now).isEqualTo(120 * S);
        assertThat(e.isAssured()).isTrue();
        assertThat(ConntrackListing.line(e, h.now)).isEqualTo(
                "udp      17 120 src=10.0.1.2 dst=198.51.100.20 sport=5000 dport=53 src=198.51.100.20 "
                        + "dst=10.0.1.2 sport=53 dport=5000 [ASSURED] mark=0 use=1");
    }

    @Test
    void udpExpires() {
        CtHarness h = new CtHarness();
        h.send(udp(A, B, 5000, 53));
        h.advance(29 * S);
        assertThat(h.ct.list(h.now)).hasSize(1);
        h.advance(S);
        assertThat(h.ct.list(h.now)).isEmpty();
        assertThat(h.send(udp(A, B, 5000, 53))).isEqualTo(STATE_NEW); // the expired one is gone
        assertThat(h.ct.size()).isEqualTo(1);
        assertThat(h.ct.count()).isEqualTo(1);
    }

    @Test
    void icmpEcho() {
        CtHarness h = new CtHarness();
        assertThat(h.send(e().ipv4(A, B).icmpEcho(true, 0x1234, 1).build())).isEqualTo(STATE_NEW);
        CtEntry e = h.entry;
        assertThat(h.send(e().ipv4(B, A).icmpEcho(false, 0x1234, 1).build())).isEqualTo(STATE_ESTABLISHED);
        assertThat(h.ctinfo).isEqualTo(IP_CT_ESTABLISHED_REPLY);
        assertThat(h.entry).isSameAs(e);
        assertThat(ConntrackListing.line(e, h.now)).isEqualTo(
                "icmp     1 30 src=10.0.1.2 dst=198.51.100.20 type=8 code=0 id=4660 src=198.51.100.20 "
                        + "dst=10.0.1.2 type=0 code=0 id=4660 mark=0 use=1");
        // a reply nobody asked for cannot start a connection
        assertThat(h.send(e().ipv4(B, A).icmpEcho(false, 0x999, 1).build())).isEqualTo(STATE_INVALID);
        assertThat(h.ct.size()).isEqualTo(1);
    }

    @Test
    void icmpv6EchoAndNeighbourDiscovery() {
        CtHarness h = new CtHarness();
        long[] a = Addresses.parseIpv6("2001:db8::2");
        long[] b = Addresses.parseIpv6("2001:db8::1");
        assertThat(h.send(e().ipv6(a[0], a[1], b[0], b[1]).icmpv6Echo(true, 4661, 1).build())).isEqualTo(STATE_NEW);
        assertThat(h.send(e().ipv6(b[0], b[1], a[0], a[1]).icmpv6Echo(false, 4661, 1).build()))
                .isEqualTo(STATE_ESTABLISHED);
        assertThat(h.send(e().ipv6(a[0], a[1], b[0], b[1]).hopLimit(255).neighbourSolicit(b[0], b[1], MAC1).build()))
                .isEqualTo(STATE_UNTRACKED);
        assertThat(h.ct.list(h.now)).containsExactly(
                "icmpv6   58 30 src=2001:db8::2 dst=2001:db8::1 type=128 code=0 id=4661 src=2001:db8::1 "
                        + "dst=2001:db8::2 type=129 code=0 id=4661 mark=0 use=1");
    }

    /** The quoted datagram of an ICMP error: IPv4 header + 8 bytes of the offending packet. */
    static byte[] quote(byte[] frame, int len) {
        byte[] q = new byte[len];
        System.arraycopy(frame, 14, q, 0, len);
        return q;
    }

    @Test
    void icmpErrorIsRelatedToTheUdpFlow() {
        CtHarness h = new CtHarness();
        byte[] req = udp(A, B, 40000, 9999);
        h.send(req);
        CtEntry e = h.entry;
        byte[] err = e().ipv4(B, A).icmp(IcmpView.DEST_UNREACH, IcmpView.PORT_UNREACH, 0)
                .payload(quote(req, 28)).build();
        assertThat(h.send(err)).isEqualTo(STATE_RELATED);
        assertThat(h.ctinfo).isEqualTo(IP_CT_RELATED_REPLY);
        assertThat(h.entry).isSameAs(e);
        assertThat(e.status & IPS_SEEN_REPLY).isZero(); // errors do not make the flow replied
        // an error about a flow nobody saw is INVALID
        byte[] other = udp(A, B, 40001, 9999);
        byte[] err2 = e().ipv4(B, A).icmp(IcmpView.DEST_UNREACH, IcmpView.PORT_UNREACH, 0)
                .payload(quote(other, 28)).build();
        assertThat(h.send(err2)).isEqualTo(STATE_INVALID);
        // an error whose outer destination is not the flow's is INVALID
        byte[] err3 = e().ipv4(B, v4("10.0.1.99")).icmp(IcmpView.DEST_UNREACH, IcmpView.PORT_UNREACH, 0)
                .payload(quote(req, 28)).build();
        assertThat(h.send(err3)).isEqualTo(STATE_INVALID);
        // an error in the original direction (from a router on the way to B) is RELATED
        byte[] err4 = e().ipv4(v4("10.0.1.1"), B).icmp(IcmpView.TIME_EXCEEDED, 0, 0)
                .payload(quote(udp(B, A, 9999, 40000), 28)).build();
        assertThat(h.send(err4)).isEqualTo(STATE_RELATED);
        assertThat(h.ctinfo).isEqualTo(IP_CT_RELATED);
    }

    @Test
    void icmpv6ErrorIsRelated() {
        CtHarness h = new CtHarness();
        long[] a = Addresses.parseIpv6("2001:db8:1::10");
        long[] b = Addresses.parseIpv6("2001:db8:2::20");
        byte[] req = e().ipv6(a[0], a[1], b[0], b[1]).udp(40000, 53).payloadLength(4).build();
        h.send(req);
        byte[] err = e().ipv6(b[0], b[1], a[0], a[1]).icmpv6(1, 4, 0).payload(quote(req, 48)).build();
        assertThat(h.send(err)).isEqualTo(STATE_RELATED);
        assertThat(h.ctinfo).isEqualTo(IP_CT_RELATED_REPLY);
    }

    @Test
    void genericProtocolsAndGre() {
        CtHarness h = new CtHarness();
        h.send(e().ipv4(A, B).ipProto(253).payloadLength(4).build());
        assertThat(h.state).isEqualTo(STATE_NEW);
        assertThat(h.secondsLeft(h.entry)).isEqualTo(600);
        CtEntry g = h.entry;
        assertThat(h.send(e().ipv4(B, A).ipProto(253).payloadLength(4).build())).isEqualTo(STATE_ESTABLISHED);
        assertThat(g.isAssured()).isFalse(); // the generic tracker never assures
        h.send(e().ipv4(A, B).ipProto(47).payload(new byte[] {0, 0, 0x08, 0}).build());
        CtEntry gre = h.entry;
        assertThat(h.secondsLeft(gre)).isEqualTo(30);
        h.send(e().ipv4(B, A).ipProto(47).payload(new byte[] {0, 0, 0x08, 0}).build());
        h.send(e().ipv4(A, B).ipProto(47).payload(new byte[] {0, 0, 0x08, 0}).build());
        assertThat(h.secondsLeft(gre)).isEqualTo(180);
        assertThat(gre.isAssured()).isTrue();
        assertThat(h.ct.list(h.now)).containsExactly(
                "gre      47 180 src=10.0.1.2 dst=198.51.100.20 srckey=0x0 dstkey=0x0 src=198.51.100.20 "
                        + "dst=10.0.1.2 srckey=0x0 dstkey=0x0 [ASSURED] mark=0 use=1",
                "unknown  253 600 src=10.0.1.2 dst=198.51.100.20 src=198.51.100.20 dst=10.0.1.2 mark=0 use=1");
    }

    @Test
    void untrackedPacketsAreLeftAlone() {
        CtHarness h = new CtHarness();
        h.load(udp(A, B, 1, 2));
        h.pc.clear();
        h.pc.setUntracked();
        assertThat(h.ct.in(h.seg, h.pi, HOOK_PRE_ROUTING, h.now, h.pc)).isTrue();
        assertThat(h.pc.state()).isEqualTo(STATE_UNTRACKED);
        assertThat(h.ct.confirm(h.pc, h.now)).isTrue();
        h.ct.release(h.pc);
        assertThat(h.ct.count()).isZero();
    }

    @Test
    void badChecksumIsInvalidAtPrerouting() {
        CtHarness h = new CtHarness();
        assertThat(h.send(e().ipv4(A, B).udp(1, 2).payloadLength(8).badL4Checksum().build()))
                .isEqualTo(STATE_INVALID);
        h.params.checksum = false;
        assertThat(h.send(e().ipv4(A, B).udp(1, 2).payloadLength(8).badL4Checksum().build())).isEqualTo(STATE_NEW);
    }

    @Test
    void zonesSeparateEntries() {
        CtHarness h = new CtHarness();
        h.load(udp(A, B, 7, 7));
        h.pc.clear();
        h.pc.zone = 5;
        h.ct.in(h.seg, h.pi, HOOK_PRE_ROUTING, h.now, h.pc);
        h.ct.confirm(h.pc, h.now);
        h.ct.release(h.pc);
        assertThat(h.send(udp(A, B, 7, 7))).isEqualTo(STATE_NEW); // zone 0: a different connection
        assertThat(h.ct.list(h.now)).containsExactly(
                "udp      17 30 src=10.0.1.2 dst=198.51.100.20 sport=7 dport=7 [UNREPLIED] src=198.51.100.20 "
                        + "dst=10.0.1.2 sport=7 dport=7 mark=0 use=1",
                "udp      17 30 src=10.0.1.2 dst=198.51.100.20 sport=7 dport=7 [UNREPLIED] src=198.51.100.20 "
                        + "dst=10.0.1.2 sport=7 dport=7 mark=0 zone=5 use=1");
    }
}
