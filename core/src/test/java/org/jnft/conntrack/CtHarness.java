package org.jnft.conntrack;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.jnft.packet.Addresses;
import org.jnft.packet.PacketBuilder;
import org.jnft.packet.PacketInfo;
import org.jnft.packet.PacketParser;
import org.jnft.packet.ParseStatus;
import org.jnft.packet.TcpView;

/** Drives a {@link Conntrack} as the pipeline would: in at prerouting, confirm at the end, release. */
final class CtHarness {
    static final long S = 1_000_000_000L;
    static final long MAC1 = 0x020000000001L;
    static final long MAC2 = 0x020000000002L;

    final ConntrackParams params;
    final Conntrack ct;
    final MemorySegment seg = Arena.ofAuto().allocate(70000);
    final PacketInfo pi = new PacketInfo();
    final PacketCt pc = new PacketCt();
    long now = 1000 * S;
    /** Result of the last packet: ctinfo, state bit, verdict. */
    int ctinfo;
    int state;
    boolean verdict;
    CtEntry entry;

    CtHarness() {
        this(new ConntrackParams().set("net.netfilter.nf_conntrack_buckets", 1024));
    }

    CtHarness(ConntrackParams p) {
        params = p;
        ct = new Conntrack(p);
    }

    static int v4(String a) {
        return Addresses.parseIpv4(a);
    }

    static PacketBuilder e() {
        return PacketBuilder.ether(MAC1, MAC2);
    }

    /** Loads a frame into the segment and parses it. */
    void load(byte[] frame) {
        MemorySegment.copy(MemorySegment.ofArray(frame), 0, seg, 0, frame.length);
        int st = PacketParser.parse(seg, frame.length, pi);
        if (st != ParseStatus.OK) {
            throw new AssertionError("parse " + ParseStatus.name(st));
        }
    }

    /** One packet through in + confirm + release; returns the nft ct state bit. */
    int send(byte[] frame) {
        load(frame);
        return run();
    }

    /** Runs the already loaded frame. */
    int run() {
        pc.clear();
        verdict = ct.in(seg, pi, CtConst.HOOK_PRE_ROUTING, now, pc);
        ctinfo = pc.ctinfo;
        state = pc.state();
        entry = pc.ct;
        if (verdict) {
            verdict = ct.confirm(pc, now);
        }
        if (pc.ct != null) {
            entry = pc.ct;
        }
        ct.release(pc);
        return state;
    }

    void advance(long ns) {
        now += ns;
    }

    // ---------------------------------------------------------------- TCP helpers, v4, client c:cp -> s:sp
    String c = "10.0.1.2";
    String s = "198.51.100.20";
    int cp = 41000;
    int sp = 443;

    byte[] tcpOrig(int flags, int seq, int ack, int payload) {
        return e().ipv4(v4(c), v4(s)).tcp(cp, sp, flags, seq, ack).payloadLength(payload).build();
    }

    byte[] tcpReply(int flags, int seq, int ack, int payload) {
        return e().ipv4(v4(s), v4(c)).tcp(sp, cp, flags, seq, ack).payloadLength(payload).build();
    }

    static final int SYN = TcpView.SYN;
    static final int ACK = TcpView.ACK;
    static final int FIN = TcpView.FIN;
    static final int RST = TcpView.RST;
    static final int PSH = TcpView.PSH;

    /** Client ISN 1000, server ISN 5000; after this: client next seq 1001, server 5001. */
    void handshake() {
        send(tcpOrig(SYN, 1000, 0, 0));
        send(tcpReply(SYN | ACK, 5000, 1001, 0));
        send(tcpOrig(ACK, 1001, 5001, 0));
    }

    CtEntry lookupTcp() {
        CtTuple t = ct.findV4(6, v4(c), v4(s), cp, sp, 0, now);
        return t == null ? null : t.ct;
    }

    long secondsLeft(CtEntry e) {
        return (e.timeout - now) / S;
    }
}
