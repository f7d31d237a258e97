package org.jnft.conntrack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnft.conntrack.CtHarness.*;

import java.util.Arrays;
import java.util.List;
import org.jnft.packet.PacketBuilder;
import org.junit.jupiter.api.Test;

/**
 * UDP timing, ICMP echo and ICMP errors replayed through Linux 6.18 as in {@link TcpKernelComparisonTest}
 * (a forwarding namespace counting ct states): the same lines, and the same counts of new (5), related (1)
 * and invalid (2) packets.
 */
class UdpIcmpKernelComparisonTest {
    static final List<String> KERNEL = List.of(
            "icmp     1 27 src=10.9.0.2 dst=10.8.0.2 type=8 code=0 id=77 src=10.8.0.2 dst=10.9.0.2 type=0 code=0 id=77 mark=0 use=1",
            "udp      17 119 src=10.9.0.2 dst=10.8.0.2 sport=2003 dport=53 src=10.8.0.2 dst=10.9.0.2 sport=53 dport=2003 [ASSURED] mark=0 use=1",
            "udp      17 27 src=10.9.0.2 dst=10.8.0.2 sport=2001 dport=53 [UNREPLIED] src=10.8.0.2 dst=10.9.0.2 sport=53 dport=2001 mark=0 use=1",
            "udp      17 27 src=10.9.0.2 dst=10.8.0.2 sport=2002 dport=53 src=10.8.0.2 dst=10.9.0.2 sport=53 dport=2002 mark=0 use=1",
            "udp      17 27 src=10.9.0.2 dst=10.8.0.2 sport=2004 dport=53 [UNREPLIED] src=10.8.0.2 dst=10.9.0.2 sport=53 dport=2004 mark=0 use=1");

    static final int C = v4("10.9.0.2");
    static final int SV = v4("10.8.0.2");

    CtHarness h = new CtHarness();
    int[] counts = new int[65];

    void send(PacketBuilder b) {
        counts[h.send(b.build())]++;
    }

    static PacketBuilder cu(int sp) {
        return e().ipv4(C, SV).udp(sp, 53).payloadLength(4);
    }

    static PacketBuilder su(int dp) {
        return e().ipv4(SV, C).udp(53, dp).payloadLength(4);
    }

    static byte[] quote(PacketBuilder b) {
        byte[] f = b.build();
        return Arrays.copyOfRange(f, 14, 14 + 28);
    }

    @Test
    void sameLinesAndStatesAsLinux() {
        send(cu(2001));
        send(cu(2002));
        send(su(2002));
        send(cu(2003));
        send(su(2003));
        send(cu(2004));
        send(e().ipv4(SV, C).icmp(3, 3, 0).payload(quote(cu(2004))));
        send(e().ipv4(SV, C).icmp(3, 3, 0).payload(quote(cu(2999))));
        send(e().ipv4(C, SV).icmpEcho(true, 77, 1));
        send(e().ipv4(SV, C).icmpEcho(false, 77, 1));
        send(e().ipv4(SV, C).icmpEcho(false, 78, 1));
        h.advance(2500 * 1_000_000L);
        send(cu(2003));
        h.advance(S / 2);
        assertThat(h.ct.list(h.now)).containsExactlyInAnyOrderElementsOf(KERNEL);
        assertThat(counts[CtConst.STATE_NEW]).isEqualTo(5);
        assertThat(counts[CtConst.STATE_RELATED]).isEqualTo(1);
        assertThat(counts[CtConst.STATE_INVALID]).isEqualTo(2);
    }
}
