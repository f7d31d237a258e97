package org.jnft.conntrack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnft.conntrack.CtHarness.*;

import java.util.List;
import org.jnft.packet.PacketBuilder;
import org.junit.jupiter.api.Test;

/**
 * Window scaling and SACK compared with Linux 6.18 (same setup as {@link TcpKernelComparisonTest}, per-port
 * INVALID counters): scaled windows, scaling switched off when one side lacks the option, SACK blocks
 * within and beyond the data sent.
 */
class TcpOptionsKernelComparisonTest {
    static final List<String> KERNEL = List.of(
            "tcp      6 299 ESTABLISHED src=10.9.0.2 dst=10.8.0.2 sport=3001 dport=80 src=10.8.0.2 dst=10.9.0.2 sport=80 dport=3001 [ASSURED] mark=0 use=1",
            "tcp      6 299 ESTABLISHED src=10.9.0.2 dst=10.8.0.2 sport=3003 dport=80 src=10.8.0.2 dst=10.9.0.2 sport=80 dport=3003 [ASSURED] mark=0 use=1",
            "tcp      6 299 ESTABLISHED src=10.9.0.2 dst=10.8.0.2 sport=3004 dport=80 src=10.8.0.2 dst=10.9.0.2 sport=80 dport=3004 [ASSURED] mark=0 use=1",
            "tcp      6 431999 ESTABLISHED src=10.9.0.2 dst=10.8.0.2 sport=3002 dport=80 src=10.8.0.2 dst=10.9.0.2 sport=80 dport=3002 [ASSURED] mark=0 use=1");

    static final int C = v4("10.9.0.2");
    static final int SV = v4("10.8.0.2");
    /** MSS 1460, NOP, window scale 7, NOP, NOP, SACK permitted (after the MSS the builder adds). */
    static final byte[] O = {1, 3, 3, 7, 1, 1, 4, 2};
    /** MSS 1460, NOP, NOP, SACK permitted. */
    static final byte[] O2 = {1, 1, 4, 2};

    CtHarness h = new CtHarness();
    int[] invalid = new int[5];

    void c(int p, int fl, int seq, int ack, int len, int win, byte[] opt, boolean mss) {
        PacketBuilder b = e().ipv4(C, SV).tcp(p, 80, fl, seq, ack).window(win).payloadLength(len);
        if (mss) {
            b.mss(1460);
        }
        if (opt != null) {
            b.tcpOptions(opt);
        }
        if (h.send(b.build()) == CtConst.STATE_INVALID) {
            invalid[p - 3000]++;
        }
    }

    void s(int p, int fl, int seq, int ack, int len, int win, byte[] opt, boolean mss) {
        PacketBuilder b = e().ipv4(SV, C).tcp(80, p, fl, seq, ack).window(win).payloadLength(len);
        if (mss) {
            b.mss(1460);
        }
        if (opt != null) {
            b.tcpOptions(opt);
        }
        if (h.send(b.build()) == CtConst.STATE_INVALID) {
            invalid[p - 3000]++;
        }
    }

    static byte[] sack(int left, int right) {
        return new byte[] {1, 1, 5, 10, (byte) (left >>> 24), (byte) (left >>> 16), (byte) (left >>> 8), (byte) left,
            (byte) (right >>> 24), (byte) (right >>> 16), (byte) (right >>> 8), (byte) right};
    }

    void handshake(int p, byte[] clientOpt) {
        c(p, SYN, 1000, 0, 0, 65535, clientOpt, true);
        s(p, SYN | ACK, 5000, 1001, 0, 65535, O, true);
        c(p, ACK, 1001, 5001, 0, 512, null, false);
    }

    @Test
    void windowScalingAndSackAsLinux() {
        handshake(3001, O);
        s(3001, PSH | ACK, 5001 + 60000, 1001, 100, 512, null, false);
        handshake(3002, O2);
        s(3002, PSH | ACK, 5001 + 60000, 1001, 100, 512, null, false);
        handshake(3003, O);
        s(3003, PSH | ACK, 5001, 1001, 1000, 512, null, false);
        s(3003, PSH | ACK, 6001, 1001, 1000, 512, null, false);
        s(3003, PSH | ACK, 7001, 1001, 1000, 512, null, false);
        c(3003, ACK, 1001, 6001, 0, 512, sack(7001, 8001), false);
        handshake(3004, O);
        s(3004, PSH | ACK, 5001, 1001, 1000, 512, null, false);
        c(3004, ACK, 1001, 6001, 0, 512, sack(7001, 9001), false);
        h.advance(S / 2);
        assertThat(h.ct.list(h.now)).containsExactlyInAnyOrderElementsOf(KERNEL);
        assertThat(invalid).containsExactly(0, 0, 0, 0, 1);
    }
}
