package org.jnft.conntrack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnft.conntrack.CtHarness.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import org.jnft.packet.Bytes;
import org.jnft.packet.PacketInfo;
import org.jnft.packet.PacketParser;
import org.junit.jupiter.api.Test;

/** Established traffic (TCP data and acks, UDP, ICMP echo, listing aside) allocates nothing. */
class ConntrackAllocationTest {

    static final class Frame {
        final MemorySegment seg;
        final PacketInfo pi = new PacketInfo();

        Frame(byte[] b) {
            seg = Arena.ofAuto().allocate(b.length + 64);
            MemorySegment.copy(MemorySegment.ofArray(b), 0, seg, 0, b.length);
            PacketParser.parse(seg, b.length, pi);
        }
    }

    @Test
    void establishedTrafficAllocatesNothing() {
        CtHarness h = new CtHarness(new ConntrackParams().set("net.netfilter.nf_conntrack_buckets", 4096)
                .set("net.netfilter.nf_conntrack_checksum", 0).set("net.netfilter.nf_conntrack_acct", 1));
        h.handshake();
        int a = v4(h.c);
        int b = v4(h.s);
        h.send(e().ipv4(a, b).udp(5000, 53).payloadLength(10).build());
        h.send(e().ipv4(b, a).udp(53, 5000).payloadLength(10).build());
        h.send(e().ipv4(a, b).icmpEcho(true, 7, 1).build());
        h.send(e().ipv4(b, a).icmpEcho(false, 7, 1).build());
        // plenty of other entries around
        for (int i = 0; i < 2000; i++) {
            h.send(e().ipv4(0x0a000000 + i, b).udp(1000 + i, 53).build());
        }
        Frame data = new Frame(h.tcpOrig(ACK | PSH, 1001, 5001, 100));
        Frame ack = new Frame(h.tcpReply(ACK, 5001, 1101, 0));
        Frame udpO = new Frame(e().ipv4(a, b).udp(5000, 53).payloadLength(10).build());
        Frame udpR = new Frame(e().ipv4(b, a).udp(53, 5000).payloadLength(10).build());
        Frame ping = new Frame(e().ipv4(a, b).icmpEcho(true, 7, 2).build());
        Frame pong = new Frame(e().ipv4(b, a).icmpEcho(false, 7, 2).build());
        PacketCt pc = new PacketCt();
        Conntrack ct = h.ct;
        int[] seq = {1001};
        Runnable round = () -> {
            int s = seq[0];
            Bytes.setU32(data.seg, data.pi.l4Offset + 4, s);
            Bytes.setU32(ack.seg, ack.pi.l4Offset + 8, s + 100);
            seq[0] = s + 100;
            pass(ct, data, pc, h.now);
            pass(ct, ack, pc, h.now);
            pass(ct, udpO, pc, h.now);
            pass(ct, udpR, pc, h.now);
            pass(ct, ping, pc, h.now);
            pass(ct, pong, pc, h.now);
        };
        for (int i = 0; i < 50_000; i++) {
            round.run();
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        long before = mx.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 50_000; i++) {
            round.run();
        }
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        assertThat(allocated).as("bytes allocated for 300k established packets").isLessThan(1024);
        CtEntry e = h.lookupTcp();
        assertThat(e.tcpState()).isEqualTo(CtConst.TCP_ESTABLISHED);
        assertThat(e.origPackets).isGreaterThan(100_000);
        assertThat(ct.stats.invalid).isZero();
    }

    private static void pass(Conntrack ct, Frame f, PacketCt pc, long now) {
        ct.in(f.seg, f.pi, CtConst.HOOK_PRE_ROUTING, now, pc);
        if (pc.state() != CtConst.STATE_ESTABLISHED) {
            throw new AssertionError("state " + pc.state());
        }
        ct.confirm(pc, now);
        ct.release(pc);
    }
}
