package org.jnft.conntrack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnft.conntrack.CtHarness.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * TCP corner cases replayed through Linux 6.18 (three namespaces, the middle one forwarding with a
 * {@code ct state invalid counter} rule; segments from raw sockets, window 65535, no options) and listed
 * with {@code conntrack -L} half a second later. The same segments through jnft must give the same lines
 * and the same numbers of INVALID (6) and NEW (12) packets.
 */
class TcpKernelComparisonTest {
    static final List<String> KERNEL = List.of(
            "tcp      6 119 SYN_SENT src=10.9.0.2 dst=10.8.0.2 sport=1005 dport=80 [UNREPLIED] src=10.8.0.2 dst=10.9.0.2 sport=80 dport=1005 mark=0 use=1",
            "tcp      6 119 SYN_SENT src=10.9.0.2 dst=10.8.0.2 sport=1013 dport=80 [UNREPLIED] src=10.8.0.2 dst=10.9.0.2 sport=80 dport=1013 mark=0 use=1",
            "tcp      6 119 TIME_WAIT src=10.9.0.2 dst=10.8.0.2 sport=1004 dport=80 src=10.8.0.2 dst=10.9.0.2 sport=80 dport=1004 [ASSURED] mark=0 use=1",
            "tcp      6 299 ESTABLISHED src=10.9.0.2 dst=10.8.0.2 sport=1001 dport=80 src=10.8.0.2 dst=10.9.0.2 sport=80 dport=1001 [ASSURED] mark=0 use=1",
            "tcp      6 299 ESTABLISHED src=10.9.0.2 dst=10.8.0.2 sport=1002 dport=80 [UNREPLIED] src=10.8.0.2 dst=10.9.0.2 sport=80 dport=1002 mark=0 use=1",
            "tcp      6 299 ESTABLISHED src=10.9.0.2 dst=10.8.0.2 sport=1011 dport=80 src=10.8.0.2 dst=10.9.0.2 sport=80 dport=1011 [ASSURED] mark=0 use=1",
            "tcp      6 431999 ESTABLISHED src=10.9.0.2 dst=10.8.0.2 sport=1003 dport=80 src=10.8.0.2 dst=10.9.0.2 sport=80 dport=1003 [ASSURED] mark=0 use=1",
            "tcp      6 431999 ESTABLISHED src=10.9.0.2 dst=10.8.0.2 sport=1008 dport=80 src=10.8.0.2 dst=10.9.0.2 sport=80 dport=1008 [ASSURED] mark=0 use=1",
            "tcp      6 431999 ESTABLISHED src=10.9.0.2 dst=10.8.0.2 sport=1012 dport=80 src=10.8.0.2 dst=10.9.0.2 sport=80 dport=1012 [ASSURED] mark=0 use=1",
            "tcp      6 9 CLOSE src=10.9.0.2 dst=10.8.0.2 sport=1007 dport=80 src=10.8.0.2 dst=10.9.0.2 sport=80 dport=1007 [ASSURED] mark=0 use=1");

    static final int C = v4("10.9.0.2");
    static final int SV = v4("10.8.0.2");

    CtHarness h = new CtHarness();
    int newPackets;

    void c(int sp, int fl, int seq, int ack, int len) {
        count(h.send(e().ipv4(C, SV).tcp(sp, 80, fl, seq, ack).payloadLength(len).build()));
    }

    void s(int dp, int fl, int seq, int ack, int len) {
        count(h.send(e().ipv4(SV, C).tcp(80, dp, fl, seq, ack).payloadLength(len).build()));
    }

    void count(int state) {
        if (state == CtConst.STATE_NEW) {
            newPackets++;
        }
    }

    void handshake(int p) {
        c(p, SYN, 1000, 0, 0);
        s(p, SYN | ACK, 5000, 1001, 0);
        c(p, ACK, 1001, 5001, 0);
    }

    @Test
    void sameLinesAndInvalidCountAsLinux() {
        handshake(1001);
        c(1001, PSH | ACK, 1001, 5001, 100);
        c(1002, PSH | ACK, 7000, 9000, 50);
        handshake(1003);
        c(1003, PSH | ACK, 1001 + 10_000_000, 5001, 10);
        c(1003, ACK, 1001, 5001 + 1_000_000, 0);
        handshake(1004);
        c(1004, FIN | ACK, 1001, 5001, 0);
        s(1004, FIN | ACK, 5001, 1002, 0);
        c(1004, ACK, 1002, 5002, 0);
        handshake(1005);
        c(1005, FIN | ACK, 1001, 5001, 0);
        s(1005, FIN | ACK, 5001, 1002, 0);
        c(1005, ACK, 1002, 5002, 0);
        c(1005, SYN, 90000, 0, 0);
        c(1006, SYN, 1000, 0, 0);
        s(1006, RST | ACK, 0, 1001, 0);
        handshake(1007);
        s(1007, RST, 5001, 0, 0);
        handshake(1008);
        c(1008, PSH | ACK, 1001, 5001, 10);
        s(1008, ACK, 5001, 1011, 0);
        c(1008, RST, 900, 0, 0);
        c(1009, SYN | FIN, 1, 0, 0);
        c(1010, 0, 1, 0, 0);
        handshake(1011);
        s(1011, PSH | ACK, 5001, 1001, 1000);
        c(1012, SYN, 1000, 0, 0);
        s(1012, SYN, 5000, 0, 0);
        c(1012, SYN | ACK, 1000, 5001, 0);
        s(1012, ACK, 5001, 1001, 0);
        c(1013, SYN, 1000, 0, 0);
        c(1013, ACK, 1001, 5001, 0);

        h.advance(S / 2);
        assertThat(h.ct.list(h.now)).containsExactlyInAnyOrderElementsOf(KERNEL);
        assertThat(h.ct.stats.invalid).isEqualTo(6);
        assertThat(newPackets).isEqualTo(12); // Linux's "ct state new counter" of the same run
    }
}
