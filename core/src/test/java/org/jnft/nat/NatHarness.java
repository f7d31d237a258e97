package org.jnft.nat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.jnft.conntrack.Conntrack;
import org.jnft.conntrack.ConntrackParams;
import org.jnft.conntrack.CtConst;
import org.jnft.conntrack.CtEntry;
import org.jnft.conntrack.PacketCt;
import org.jnft.packet.Addresses;
import org.jnft.packet.PacketBuilder;
import org.jnft.packet.PacketInfo;
import org.jnft.packet.PacketParser;
import org.jnft.packet.ParseStatus;

/** Drives conntrack and NAT as the pipeline will: in, nat at the hooks, confirm, release. */
final class NatHarness {
    static final long S = 1_000_000_000L;
    static final long MAC1 = 0x020000000001L;
    static final long MAC2 = 0x020000000002L;

    final Conntrack ct = new Conntrack(new ConntrackParams().set("net.netfilter.nf_conntrack_buckets", 1024)
            .set("net.netfilter.nf_conntrack_checksum", 0));
    final NatCore nat;
    final MemorySegment seg = Arena.ofAuto().allocate(70000);
    final PacketInfo pi = new PacketInfo();
    final PacketCt pc = new PacketCt();
    long now = 1000 * S;

    NatHarness() {
        this(1);
    }

    NatHarness(long seed) {
        nat = new NatCore(seed);
    }

    static int v4(String a) {
        return Addresses.parseIpv4(a);
    }

    static long u(int a) {
        return a & 0xffffffffL;
    }

    static PacketBuilder e() {
        return PacketBuilder.ether(MAC1, MAC2);
    }

    void load(byte[] frame) {
        MemorySegment.copy(MemorySegment.ofArray(frame), 0, seg, 0, frame.length);
        int st = PacketParser.parse(seg, frame.length, pi);
        if (st != ParseStatus.OK) {
            throw new AssertionError("parse " + ParseStatus.name(st));
        }
    }

    byte[] bytes(int len) {
        return seg.asSlice(0, len).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
    }

    /**
     * A forwarded packet: conntrack at prerouting, prerouting nat (dnat range or null binding), postrouting
     * nat (snat range or null binding), NatPacket at both hooks, confirm. Returns the entry (null if dropped).
     */
    CtEntry forward(byte[] frame, NatRange dnat, NatRange snat) {
        load(frame);
        pc.clear();
        if (!ct.in(seg, pi, CtConst.HOOK_PRE_ROUTING, now, pc)) {
            return null;
        }
        CtEntry e = pc.ct;
        if (e == null) {
            ct.release(pc);
            return null;
        }
        boolean ok = hook(e, CtConst.HOOK_PRE_ROUTING, dnat) && hook(e, CtConst.HOOK_POST_ROUTING, snat)
                && ct.confirm(pc, now);
        e = pc.ct;
        ct.release(pc);
        return ok ? e : null;
    }

    /** One nat hook with one nat chain holding at most one snat/dnat rule (r), via {@link NatHook}. */
    boolean hook(CtEntry e, int hook, NatRange r) {
        int st = NatHook.begin(seg, pi, e, pc.ctinfo, hook);
        if (st == NatHook.DROP || st == NatHook.ACCEPT) {
            return st == NatHook.ACCEPT;
        }
        if (st == NatHook.RUN_CHAINS && r != null && !nat.setupInfo(ct, e, r, NatCore.hookIsSrcManip(hook), now)) {
            return false;
        }
        return NatHook.finish(nat, ct, seg, pi, e, pc.ctinfo, hook, now);
    }
}
