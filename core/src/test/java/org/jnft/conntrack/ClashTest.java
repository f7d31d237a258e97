package org.jnft.conntrack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnft.conntrack.CtConst.*;
import static org.jnft.conntrack.CtHarness.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.jnft.packet.PacketInfo;
import org.jnft.packet.PacketParser;
import org.junit.jupiter.api.Test;

/** Two packets of one new flow in flight at once: the second confirmation clashes. */
class ClashTest {
    static MemorySegment seg(byte[] f, PacketInfo pi) {
        MemorySegment s = Arena.ofAuto().allocate(f.length);
        MemorySegment.copy(MemorySegment.ofArray(f), 0, s, 0, f.length);
        PacketParser.parse(s, f.length, pi);
        return s;
    }

    @Test
    void udpClashIsResolvedIntoTheWinner() {
        Conntrack ct = new Conntrack(new ConntrackParams().set("net.netfilter.nf_conntrack_buckets", 64));
        byte[] f = e().ipv4(v4("10.0.0.1"), v4("10.0.0.2")).udp(5353, 53).payloadLength(10).build();
        PacketInfo p1 = new PacketInfo();
        PacketInfo p2 = new PacketInfo();
        MemorySegment s1 = seg(f, p1);
        MemorySegment s2 = seg(f, p2);
        PacketCt a = new PacketCt();
        PacketCt b = new PacketCt();
        long now = S;
        ct.in(s1, p1, HOOK_LOCAL_OUT, now, a);
        ct.in(s2, p2, HOOK_LOCAL_OUT, now, b);
        assertThat(a.ct).isNotSameAs(b.ct);
        assertThat(ct.count()).isEqualTo(2);
        assertThat(ct.confirm(a, now)).isTrue();
        assertThat(ct.confirm(b, now)).isTrue();
        assertThat(b.ct).isSameAs(a.ct);
        assertThat(b.ctinfo).isEqualTo(IP_CT_NEW);
        assertThat(ct.stats.clashResolve).isEqualTo(1);
        ct.release(a);
        ct.release(b);
        assertThat(ct.count()).isEqualTo(1);
        assertThat(ct.size()).isEqualTo(1);
    }

    @Test
    void tcpClashDropsTheLoser() {
        Conntrack ct = new Conntrack(new ConntrackParams().set("net.netfilter.nf_conntrack_buckets", 64));
        byte[] f = e().ipv4(v4("10.0.0.1"), v4("10.0.0.2")).tcp(1, 2, SYN, 1, 0).build();
        PacketInfo p1 = new PacketInfo();
        PacketInfo p2 = new PacketInfo();
        MemorySegment s1 = seg(f, p1);
        MemorySegment s2 = seg(f, p2);
        PacketCt a = new PacketCt();
        PacketCt b = new PacketCt();
        ct.in(s1, p1, HOOK_LOCAL_OUT, S, a);
        ct.in(s2, p2, HOOK_LOCAL_OUT, S, b);
        assertThat(ct.confirm(a, S)).isTrue();
        assertThat(ct.confirm(b, S)).isFalse();
        assertThat(ct.stats.insertFailed).isEqualTo(1);
        assertThat(ct.stats.drop).isEqualTo(1);
        ct.release(a);
        ct.release(b);
        assertThat(ct.count()).isEqualTo(1);
    }
}
