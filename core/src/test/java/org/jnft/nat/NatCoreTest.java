package org.jnft.nat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnft.conntrack.CtConst.*;
import static org.jnft.nat.NatHarness.*;

import java.util.HashSet;
import java.util.Set;
import org.jnft.conntrack.CtEntry;
import org.jnft.packet.TcpView;
import org.junit.jupiter.api.Test;

class NatCoreTest {
    static final int PUB = v4("198.51.100.1");
    static final int SRV = v4("203.0.113.9");

    static byte[] syn(int src, int sport, int dst, int dport) {
        return e().ipv4(src, dst).tcp(sport, dport, TcpView.SYN, 1, 0).build();
    }

    static NatRange snat(int addr) {
        return new NatRange().v4(addr, addr);
    }

    @Test
    void twoInsideHostsOnTheSameSourcePortGetDifferentPortsTheFirstKeepsItsOwn() {
        NatHarness h = new NatHarness();
        CtEntry a = h.forward(syn(v4("10.0.0.1"), 5000, SRV, 80), null, snat(PUB));
        CtEntry b = h.forward(syn(v4("10.0.0.2"), 5000, SRV, 80), null, snat(PUB));
        assertThat(a.reply.dstLo).isEqualTo(u(PUB));
        assertThat(a.reply.dstPort).isEqualTo(5000);
        assertThat(a.status & (IPS_SRC_NAT | IPS_SRC_NAT_DONE | IPS_DST_NAT_DONE))
                .isEqualTo(IPS_SRC_NAT | IPS_SRC_NAT_DONE | IPS_DST_NAT_DONE);
        assertThat(a.status & IPS_DST_NAT).isZero();
        assertThat(b.reply.dstLo).isEqualTo(u(PUB));
        assertThat(b.reply.dstPort).isNotEqualTo(5000).isBetween(1024, 65535);
        // the packet itself was rewritten to the chosen port
        assertThat(h.seg.get(org.jnft.packet.Bytes.BE16, h.pi.l4Offset) & 0xffff).isEqualTo(b.reply.dstPort);
        // a third host to another server keeps 5000: that tuple is free
        CtEntry c = h.forward(syn(v4("10.0.0.3"), 5000, v4("203.0.113.10"), 80), null, snat(PUB));
        assertThat(c.reply.dstPort).isEqualTo(5000);
        // replies find their entries
        assertThat(h.ct.findV4(6, SRV, PUB, 80, b.reply.dstPort, 0, h.now).ct).isSameAs(b);
    }

    @Test
    void lowPortsStayInTheirClass() {
        NatHarness h = new NatHarness();
        h.forward(syn(v4("10.0.0.1"), 700, SRV, 80), null, snat(PUB));
        CtEntry b = h.forward(syn(v4("10.0.0.2"), 700, SRV, 80), null, snat(PUB));
        assertThat(b.reply.dstPort).isBetween(600, 1023).isNotEqualTo(700);
        h.forward(syn(v4("10.0.0.1"), 100, SRV, 80), null, snat(PUB));
        CtEntry d = h.forward(syn(v4("10.0.0.2"), 100, SRV, 80), null, snat(PUB));
        assertThat(d.reply.dstPort).isBetween(1, 511).isNotEqualTo(100);
    }

    @Test
    void portRangeIsSearchedAndAPortInsideItKept() {
        NatHarness h = new NatHarness();
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            CtEntry e = h.forward(syn(v4("10.0.0.1") + i, 40000, SRV, 80), null, snat(PUB).ports(1000, 1002));
            assertThat(e.reply.dstPort).isBetween(1000, 1002);
            ports.add(e.reply.dstPort);
        }
        assertThat(ports).hasSize(3);
        // a fourth finds the range full: the last candidate stays and the TCP clash drops at confirmation
        assertThat(h.forward(syn(v4("10.0.0.9"), 40000, SRV, 80), null, snat(PUB).ports(1000, 1002))).isNull();
        // in range and free: kept
        CtEntry k = h.forward(syn(v4("10.0.0.1"), 2001, SRV, 81), null, snat(PUB).ports(2000, 2002));
        assertThat(k.reply.dstPort).isEqualTo(2001);
    }

    @Test
    void randomFlagsDoNotKeepThePortAndAreReproducibleBySeed() {
        for (int flag : new int[] {NatRange.PROTO_RANDOM, NatRange.PROTO_RANDOM_FULLY}) {
            int[] got = new int[2];
            for (int run = 0; run < 2; run++) {
                NatHarness h = new NatHarness(42);
                Set<Integer> ports = new HashSet<>();
                for (int i = 0; i < 20; i++) {
                    CtEntry e = h.forward(syn(v4("10.0.0.1"), 5000 + i, SRV, 80), null,
                            snat(PUB).ports(1024, 65535).flags(flag));
                    ports.add(e.reply.dstPort);
                    if (i == 0) {
                        got[run] = e.reply.dstPort;
                    }
                }
                assertThat(ports).hasSizeGreaterThan(15);
                assertThat(ports.stream().filter(p -> p >= 5000 && p < 5020).count()).isLessThan(3);
            }
            assertThat(got[0]).isEqualTo(got[1]);
        }
    }

    @Test
    void addressRangeHashesAndPersistentIgnoresTheDestination() {
        int lo = v4("198.51.100.1");
        int hi = v4("198.51.100.8");
        NatHarness h = new NatHarness();
        Set<Long> plain = new HashSet<>();
        Set<Long> persistent = new HashSet<>();
        for (int i = 0; i < 32; i++) {
            CtEntry e = h.forward(syn(v4("10.0.0.5"), 6000 + i, v4("203.0.113.1") + i, 80), null,
                    new NatRange().v4(lo, hi));
            assertThat(e.reply.dstLo).isBetween(u(lo), u(hi));
            plain.add(e.reply.dstLo);
            CtEntry p = h.forward(syn(v4("10.0.0.6"), 6000 + i, v4("203.0.113.1") + i, 80), null,
                    new NatRange().v4(lo, hi).flags(NatRange.PERSISTENT));
            persistent.add(p.reply.dstLo);
        }
        assertThat(plain.size()).isGreaterThan(1);
        assertThat(persistent).hasSize(1);
        assertThat(persistent.iterator().next()).isBetween(u(lo), u(hi));
    }

    @Test
    void reciprocalScaleAsTheKernel() {
        assertThat(NatCore.reciprocalScale(0xffffffff, 8)).isEqualTo(7);
        assertThat(NatCore.reciprocalScale(0x80000000, 8)).isEqualTo(4);
        assertThat(NatCore.reciprocalScale(0, 8)).isEqualTo(0);
        assertThat(NatCore.reciprocalScale(0x12345678, 0)).isEqualTo(0);
    }

    @Test
    void dnatPortForwardAndRedirect() {
        NatHarness h = new NatHarness();
        CtEntry e = h.forward(syn(v4("192.0.2.7"), 40000, PUB, 8080),
                new NatRange().v4(v4("10.0.0.9"), v4("10.0.0.9")).ports(80, 80), null);
        assertThat(e.reply.srcLo).isEqualTo(u(v4("10.0.0.9")));
        assertThat(e.reply.srcPort).isEqualTo(80);
        assertThat(e.reply.dstLo).isEqualTo(u(v4("192.0.2.7")));
        assertThat(e.reply.dstPort).isEqualTo(40000);
        assertThat(e.status & IPS_NAT_MASK).isEqualTo(IPS_DST_NAT);
        // redirect: to the local address, a port range forces the port into it
        NatHarness r = new NatHarness();
        CtEntry p = r.forward(syn(v4("10.0.0.2"), 41000, SRV, 80), null, null);
        assertThat(p.status & IPS_NAT_MASK).isZero();
        r.load(syn(v4("10.0.0.3"), 41000, SRV, 80));
        r.pc.clear();
        r.ct.in(r.seg, r.pi, HOOK_PRE_ROUTING, r.now, r.pc);
        assertThat(r.nat.redirect(r.ct, r.pc.ct, new NatRange().ports(3128, 3128), true, 0, u(v4("10.0.0.254")),
                r.now)).isTrue();
        assertThat(r.pc.ct.reply.srcLo).isEqualTo(u(v4("10.0.0.254")));
        assertThat(r.pc.ct.reply.srcPort).isEqualTo(3128);
        assertThat(r.nat.redirect(r.ct, r.pc.ct, new NatRange(), false, 0, 0, r.now)).isFalse(); // already
        r.ct.release(r.pc);
    }

    @Test
    void nullBindingSetsTheDoneBitsOnlyAndMasqueradeTakesTheGivenAddress() {
        NatHarness h = new NatHarness();
        CtEntry e = h.forward(syn(v4("10.0.0.2"), 41000, SRV, 80), null, null);
        assertThat(e.status & IPS_NAT_MASK).isZero();
        assertThat(e.status & (IPS_SRC_NAT_DONE | IPS_DST_NAT_DONE)).isEqualTo(IPS_SRC_NAT_DONE | IPS_DST_NAT_DONE);
        assertThat(e.reply.dstLo).isEqualTo(u(v4("10.0.0.2")));
        h.load(syn(v4("10.0.0.3"), 41000, SRV, 80));
        h.pc.clear();
        h.ct.in(h.seg, h.pi, HOOK_PRE_ROUTING, h.now, h.pc);
        CtEntry m = h.pc.ct;
        assertThat(h.nat.masquerade(h.ct, m, new NatRange(), false, 0, 0, 3, h.now)).isFalse();
        assertThat(h.nat.masquerade(h.ct, m, new NatRange(), true, 0, u(PUB), 3, h.now)).isTrue();
        assertThat(m.reply.dstLo).isEqualTo(u(PUB));
        assertThat(m.reply.dstPort).isEqualTo(41000);
        assertThat(m.status & IPS_SRC_NAT).isNotZero();
        h.ct.release(h.pc);
    }

    @Test
    void icmpEchoIdsAreTranslatedOnClash() {
        NatHarness h = new NatHarness();
        CtEntry a = h.forward(e().ipv4(v4("10.0.0.1"), SRV).icmpEcho(true, 77, 1).build(), null, snat(PUB));
        CtEntry b = h.forward(e().ipv4(v4("10.0.0.2"), SRV).icmpEcho(true, 77, 1).build(), null, snat(PUB));
        assertThat(a.reply.srcPort).isEqualTo(77);
        assertThat(b.reply.srcPort).isNotEqualTo(77);
        assertThat(b.reply.dstLo).isEqualTo(u(PUB));
        // the request left with the new id and a valid checksum
        assertThat(h.seg.get(org.jnft.packet.Bytes.BE16, h.pi.l4Offset + 4) & 0xffff).isEqualTo(b.reply.srcPort);
        assertThat(org.jnft.packet.Checksum.l4ValidV4(h.seg, h.pi.l4Offset, h.pi.l4Length, 0, 0, 1)).isTrue();
    }

    @Test
    void anInsideEndpointKeepsItsOutsideEndpointAcrossDestinations() {
        NatHarness h = new NatHarness();
        h.forward(syn(v4("10.0.0.1"), 5000, SRV, 80), null, snat(PUB));
        CtEntry b = h.forward(syn(v4("10.0.0.2"), 5000, SRV, 80), null, snat(PUB));
        int mapped = b.reply.dstPort;
        assertThat(mapped).isNotEqualTo(5000);
        // 10.0.0.2:5000 to another server: find_appropriate_src reuses PUB:mapped although 5000 is free there
        CtEntry b2 = h.forward(syn(v4("10.0.0.2"), 5000, v4("203.0.113.10"), 80), null, snat(PUB));
        assertThat(b2.reply.dstPort).isEqualTo(mapped);
        // once the first binding is gone, the next connection is free to keep its own port
        h.ct.kill(b);
        h.ct.kill(b2);
        CtEntry b3 = h.forward(syn(v4("10.0.0.2"), 5000, v4("203.0.113.11"), 80), null, snat(PUB));
        assertThat(b3.reply.dstPort).isEqualTo(5000);
    }

    @Test
    void theBysourceTableStaysBoundedUnderChurn() {
        NatHarness h = new NatHarness();
        for (int i = 0; i < 5000; i++) {
            CtEntry e = h.forward(syn(v4("10.0.0.1") + (i & 255), 1024 + i, SRV, 80), null, snat(PUB));
            assertThat(e).isNotNull();
            if (i % 4 != 0) {
                h.ct.kill(e);
            }
        }
        assertThat(h.nat.bySourceSize()).isLessThan(2048 + 1).isGreaterThanOrEqualTo(1250);
        // live bindings are still found: the same source to another server reuses its mapping
        CtEntry again = h.forward(syn(v4("10.0.0.1") + (4996 & 255), 1024 + 4996, v4("203.0.113.10"), 80), null,
                snat(PUB));
        assertThat(again.reply.dstPort).isEqualTo(1024 + 4996);
    }

    @Test
    void dnatToAPortRangeSearchesWhenThePortIsTaken() {
        NatHarness h = new NatHarness();
        NatRange fwd = new NatRange().v4(v4("10.0.0.9"), v4("10.0.0.9")).ports(8000, 8009);
        CtEntry a = h.forward(syn(v4("192.0.2.7"), 40000, PUB, 8001), fwd, null);
        assertThat(a.reply.srcPort).isEqualTo(8001); // in range and free: kept
        CtEntry b = h.forward(syn(v4("192.0.2.7"), 40000, PUB, 8001), null, null);
        assertThat(b).isSameAs(a); // a retransmission is the same connection, already bound
        CtEntry c = h.forward(syn(v4("192.0.2.7"), 40000, v4("198.51.100.2"), 8001), fwd, null);
        assertThat(c.reply.srcPort).isBetween(8000, 8009).isNotEqualTo(8001);
        CtEntry d = h.forward(syn(v4("192.0.2.7"), 40000, v4("198.51.100.3"), 80), fwd, null);
        assertThat(d.reply.srcPort).isBetween(8000, 8009);
    }
}
