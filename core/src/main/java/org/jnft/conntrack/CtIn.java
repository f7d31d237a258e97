package org.jnft.conntrack;

import static org.jnft.conntrack.CtConst.*;

import java.lang.foreign.MemorySegment;
import org.jnft.packet.Bytes;
import org.jnft.packet.Checksum;
import org.jnft.packet.IpProto;
import org.jnft.packet.PacketInfo;
import org.jnft.packet.ParseStatus;

/**
 * nf_conntrack_in's per-packet steps: the packet's tuple (the scratch tuple, nf_ct_get_tuple), the ICMP error
 * half, the lookup, init_conntrack for a miss, and the protocol tracker; also {@code conntrack -I}, which
 * makes an entry from a tuple the same way. One per {@link Conntrack}; nothing here allocates once the
 * entry pool is warm.
 */
final class CtIn {
    final ConntrackParams params;
    private final Conntrack ct;
    private final CtTable table;
    private final ConntrackStats stats;

    /** The tuple of the packet being looked up (nf_ct_get_tuple's result). */
    private final ScratchTuple k = new ScratchTuple();
    /** What {@link #newEntry} made. */
    private CtEntry pending;

    CtIn(Conntrack ct, CtTable table) {
        this.ct = ct;
        this.params = ct.params;
        this.stats = ct.stats;
        this.table = table;
    }

    /** {@link Conntrack#in}. */
    boolean in(MemorySegment seg, PacketInfo pi, int hook, long now, PacketCt pc) {
        if (pc.ct != null || pc.ctinfo == IP_CT_UNTRACKED) {
            return Conntrack.ACCEPT;
        }
        pc.ctinfo = IP_CT_NONE;
        int l3;
        if (pi.isIpv4()) {
            l3 = NFPROTO_IPV4;
        } else if (pi.isIpv6()) {
            l3 = NFPROTO_IPV6;
        } else {
            return Conntrack.ACCEPT;
        }
        if (pi.status != ParseStatus.OK || pi.l4Offset < 0) {
            stats.invalid++;
            return Conntrack.ACCEPT;
        }
        int proto = pi.l4Proto;
        if (proto == IpProto.NONE && l3 == NFPROTO_IPV6) {
            stats.invalid++; // ipv6_skip_exthdr fails on "no next header"
            return Conntrack.ACCEPT;
        }
        int off = pi.l4Offset;
        int l4len = pi.l4Length;
        int skbLen = pi.l3Length;
        int zone = pc.zone;

        if (proto == IpProto.ICMP || proto == IpProto.ICMPV6) {
            int r = IcmpTracker.error(this, seg, pi, l3, proto, off, l4len, hook, now, pc);
            if (r != IcmpTracker.CONTINUE) {
                if (r == IcmpTracker.INVALID) {
                    stats.error++;
                    stats.invalid++;
                }
                return Conntrack.ACCEPT;
            }
        }
        for (int attempt = 0; attempt < 4; attempt++) {
            if (!k.fromPacket(seg, pi, l3, proto, off, l4len)) {
                stats.invalid++;
                return Conntrack.ACCEPT;
            }
            CtEntry e;
            int ctinfo;
            CtTuple h = table.find(k.l3, k.proto, k.sh, k.sl, k.dh, k.dl, k.sp, k.dp, zone, now);
            if (h != null) {
                e = h.ct;
                stats.found++;
                if (h.dir == DIR_REPLY) {
                    ctinfo = IP_CT_ESTABLISHED_REPLY;
                } else if ((e.status & IPS_SEEN_REPLY) != 0) {
                    ctinfo = IP_CT_ESTABLISHED;
                } else if ((e.status & IPS_EXPECTED) != 0) {
                    ctinfo = IP_CT_RELATED;
                } else {
                    ctinfo = IP_CT_NEW;
                }
            } else {
                int newResult = newEntry(zone, now);
                if (newResult < 0) {
                    stats.drop++;
                    return Conntrack.DROP;
                }
                if (newResult == 0) {
                    stats.invalid++;
                    return Conntrack.ACCEPT;
                }
                e = pending;
                pending = null;
                ctinfo = IP_CT_NEW;
            }
            e.refs++;
            pc.ct = e;
            pc.ctinfo = ctinfo;
            int r = track(e, seg, pi, l3, proto, off, l4len, ctinfo, hook, skbLen, now);
            if (r <= 0) {
                ct.release(pc);
                pc.zone = zone;
                if (r == TcpTracker.REPEAT) {
                    continue;
                }
                stats.invalid++;
                return Conntrack.ACCEPT;
            }
            if (ctinfo == IP_CT_ESTABLISHED_REPLY) {
                e.status |= IPS_SEEN_REPLY;
            }
            return Conntrack.ACCEPT;
        }
        return Conntrack.ACCEPT;
    }

    /** init_conntrack: 1 = created ({@link #pending}), 0 = cannot (tuple not invertible), -1 = table full. */
    private int newEntry(int zone, long now) {
        // reply tuple: inverse of the packet's
        int rsp;
        int rdp;
        if (k.proto == IpProto.ICMP || k.proto == IpProto.ICMPV6) {
            int type = IcmpTracker.invertType(k.l3, k.proto, k.dp >>> 8);
            if (type < 0) {
                return 0;
            }
            rsp = k.sp;
            rdp = type << 8 | (k.dp & 0xff);
        } else {
            rsp = k.dp;
            rdp = k.sp;
        }
        CtEntry e = table.alloc(table.hash(k.l3, k.proto, k.sh, k.sl, k.dh, k.dl, k.sp, k.dp, zone));
        if (e == null) {
            return -1;
        }
        e.orig.set(k.l3, k.proto, k.sh, k.sl, k.dh, k.dl, k.sp, k.dp);
        e.reply.set(k.l3, k.proto, k.dh, k.dl, k.sh, k.sl, rsp, rdp);
        e.zone = zone;
        e.acct = params.acct;
        e.timeout = now;
        pending = e;
        return 1;
    }

    /** Protocol trackers: >0 accept, <=0 invalid, {@link TcpTracker#REPEAT} look up again. */
    private int track(CtEntry e, MemorySegment s, PacketInfo pi, int l3, int proto, int off, int l4len, int ctinfo,
                      int hook, int skbLen, long now) {
        switch (proto) {
            case IpProto.TCP -> {
                if (hook == HOOK_PRE_ROUTING && params.checksum && !l4ChecksumOk(s, pi, l3, proto, off, l4len)) {
                    return -1;
                }
                return TcpTracker.packet(ct, e, s, off, l4len, ctinfo, skbLen, now);
            }
            case IpProto.UDP, IpProto.UDPLITE -> {
                return UdpTracker.packet(ct, e, s, pi, l3, proto, off, l4len, ctinfo, hook, skbLen, now);
            }
            case IpProto.ICMP, IpProto.ICMPV6 -> {
                return IcmpTracker.packet(ct, e, s, pi, l3, proto, off, l4len, ctinfo, hook, skbLen, now);
            }
            default -> {
                return GenericTracker.packet(ct, e, proto, ctinfo, skbLen, now);
            }
        }
    }

    /** nf_checksum over the layer 4 header and payload, with the pseudo-header of the packet's addresses. */
    static boolean l4ChecksumOk(MemorySegment s, PacketInfo pi, int l3, int proto, int off, int l4len) {
        if (pi.fragment) {
            return true; // a first fragment cannot be verified (Linux defragments first)
        }
        if (l3 == NFPROTO_IPV4) {
            int src = Bytes.u32(s, pi.l3Offset + 12);
            int dst = Bytes.u32(s, pi.l3Offset + 16);
            return Checksum.l4ValidV4(s, off, l4len, src, dst, proto);
        }
        long sh = Bytes.u64(s, pi.l3Offset + 8);
        long sl = Bytes.u64(s, pi.l3Offset + 16);
        long dh = Bytes.u64(s, pi.l3Offset + 24);
        long dl = Bytes.u64(s, pi.l3Offset + 32);
        return Checksum.l4ValidV6(s, off, l4len, sh, sl, dh, dl, proto);
    }

    // ================================================================ the ICMP error half's tuple

    /** Lookup by an explicit tuple, for ICMP errors: the inverse of the scratch tuple. */
    CtTuple findInverse(int zone, long now) {
        int sp = k.dp;
        int dp = k.sp;
        if (k.proto == IpProto.ICMP || k.proto == IpProto.ICMPV6) {
            int type = IcmpTracker.invertType(k.l3, k.proto, k.dp >>> 8);
            if (type < 0) {
                return null;
            }
            sp = k.sp;
            dp = type << 8 | (k.dp & 0xff);
        }
        return table.find(k.l3, k.proto, k.dh, k.dl, k.sh, k.sl, sp, dp, zone, now);
    }

    boolean l4Tuple(MemorySegment s, int l3, int proto, int off, int l4len) {
        return k.l4(s, l3, proto, off, l4len);
    }

    void scratchAddresses(int l3, long sh, long sl, long dh, long dl, int proto) {
        k.addresses(l3, sh, sl, dh, dl, proto);
    }

    // ================================================================ conntrack -I

    /** {@link Conntrack#insert}: init_conntrack for the given tuple, then straight into the table. */
    CtEntry insert(int l3, int proto, long sh, long sl, long dh, long dl, int sp, int dp, int zone, long now) {
        k.l3 = l3;
        k.proto = proto;
        k.sh = sh;
        k.sl = sl;
        k.dh = dh;
        k.dl = dl;
        k.sp = sp;
        k.dp = dp;
        if (table.find(l3, proto, sh, sl, dh, dl, sp, dp, zone, now) != null || findInverse(zone, now) != null) {
            return null;
        }
        if (newEntry(zone, now) <= 0) {
            return null;
        }
        CtEntry e = pending;
        pending = null;
        e.timeout = now + params.genericTimeout;
        if (proto == IpProto.TCP) {
            e.tcpState = TCP_ESTABLISHED;
        }
        table.hashInsert(e);
        return e;
    }
}
