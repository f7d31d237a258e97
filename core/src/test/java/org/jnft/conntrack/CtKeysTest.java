package org.jnft.conntrack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnft.conntrack.CtConst.*;
import static org.jnft.conntrack.CtHarness.*;

import org.junit.jupiter.api.Test;

/** What nft's ct expression reads from an entry. */
class CtKeysTest {

    @Test
    void keysOfAnEstablishedConnection() {
        CtHarness h = new CtHarness(new ConntrackParams().set("net.netfilter.nf_conntrack_buckets", 64)
                .set("net.netfilter.nf_conntrack_acct", 1));
        h.handshake();
        CtEntry e = h.lookupTcp();
        h.load(h.tcpReply(ACK, 5001, 1001, 0));
        h.pc.clear();
        h.ct.in(h.seg, h.pi, HOOK_PRE_ROUTING, h.now, h.pc);
        assertThat(h.pc.state()).isEqualTo(STATE_ESTABLISHED);
        assertThat(h.pc.direction()).isEqualTo(DIR_REPLY);
        assertThat(h.pc.ct).isSameAs(e);
        assertThat(e.status() & (IPS_SEEN_REPLY | IPS_ASSURED | IPS_CONFIRMED))
                .isEqualTo(IPS_SEEN_REPLY | IPS_ASSURED | IPS_CONFIRMED);
        assertThat(e.l3()).isEqualTo(NFPROTO_IPV4);
        assertThat(e.protocol()).isEqualTo(6);
        assertThat(e.orig.srcV4()).isEqualTo(v4("10.0.1.2"));
        assertThat(e.reply.srcV4()).isEqualTo(v4("198.51.100.20"));
        assertThat(e.orig.srcPort).isEqualTo(41000);
        assertThat(e.reply.dstPort).isEqualTo(41000);
        assertThat(e.expirationMs(h.now)).isEqualTo(432000_000L);
        assertThat(e.packets(DIR_ORIGINAL)).isEqualTo(2);
        assertThat(e.packets(DIR_REPLY)).isEqualTo(2);
        assertThat(e.packets(-1)).isEqualTo(4);
        assertThat(e.bytes(-1)).isEqualTo(160);
        assertThat(e.avgpkt(-1)).isEqualTo(40);
        e.setMark(42);
        assertThat(ConntrackListing.line(e, h.now)).contains("packets=2 bytes=80", "mark=42 use=2");
        h.ct.release(h.pc);
        assertThat(ConntrackListing.line(e, h.now)).endsWith("mark=42 use=1");
    }

    @Test
    void stateBits() {
        assertThat(stateBit(IP_CT_ESTABLISHED)).isEqualTo(2);
        assertThat(stateBit(IP_CT_RELATED)).isEqualTo(4);
        assertThat(stateBit(IP_CT_NEW)).isEqualTo(8);
        assertThat(stateBit(IP_CT_ESTABLISHED_REPLY)).isEqualTo(2);
        assertThat(stateBit(IP_CT_RELATED_REPLY)).isEqualTo(4);
        assertThat(stateBit(IP_CT_UNTRACKED)).isEqualTo(64);
        assertThat(stateBit(IP_CT_NONE)).isEqualTo(1);
    }

    @Test
    void paramsKnowLinuxKeysAndRanges() {
        assertThat(ConntrackParams.knobs()).containsKeys("net.netfilter.nf_conntrack_max",
                "net.netfilter.nf_conntrack_tcp_timeout_established", "net.netfilter.nf_conntrack_udp_timeout_stream");
        ConntrackParams p = new ConntrackParams();
        assertThat(p.tcpTimeout(TCP_ESTABLISHED)).isEqualTo(432000 * S);
        p.set("net.netfilter.nf_conntrack_tcp_timeout_established", 7200);
        assertThat(p.tcpTimeout(TCP_ESTABLISHED)).isEqualTo(7200 * S);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> p.set("net.netfilter.nf_conntrack_tcp_loose", 2))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> p.set("net.netfilter.nf_conntrack_nope", 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
