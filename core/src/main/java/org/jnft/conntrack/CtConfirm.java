package org.jnft.conntrack;

import static org.jnft.conntrack.CtConst.*;

import org.jnft.packet.IpProto;

/**
 * __nf_conntrack_confirm: a packet's unconfirmed entry enters the table at the end of postrouting or input,
 * unless an entry with one of its tuples got there first; then nf_ct_resolve_clash merges UDP into the
 * existing entry and everything else is dropped.
 */
final class CtConfirm {
    private final Conntrack ct;
    private final CtTable table;
    private final ConntrackStats stats;

    CtConfirm(Conntrack ct, CtTable table) {
        this.ct = ct;
        this.table = table;
        this.stats = ct.stats;
    }

    /** {@link Conntrack#confirm}. */
    boolean confirm(PacketCt pc, long now) {
        CtEntry e = pc.ct;
        if (e == null || (e.status & IPS_CONFIRMED) != 0) {
            return Conntrack.ACCEPT;
        }
        if (CtConst.dir(pc.ctinfo) != DIR_ORIGINAL) {
            return Conntrack.ACCEPT;
        }
        if ((e.status & IPS_DYING) != 0) {
            stats.insertFailed++;
            return Conntrack.DROP;
        }
        CtTuple o = e.orig;
        CtTuple r = e.reply;
        CtTuple h = table.find(o.l3, o.proto, o.srcHi, o.srcLo, o.dstHi, o.dstLo, o.srcPort, o.dstPort, e.zone, now);
        if (h == null) {
            h = table.find(r.l3, r.proto, r.srcHi, r.srcLo, r.dstHi, r.dstLo, r.srcPort, r.dstPort, e.zone, now);
        }
        if (h != null) {
            CtEntry w = h.ct;
            boolean allow = o.proto == IpProto.UDP || o.proto == IpProto.UDPLITE;
            if (allow && (w.status & IPS_DYING) == 0
                    && ((w.status & (IPS_SRC_NAT_DONE | IPS_DST_NAT_DONE)) == 0 || sameTuples(w, e))) {
                w.origPackets += e.origPackets;
                w.origBytes += e.origBytes;
                int ctinfo = pc.ctinfo;
                ct.release(pc);
                w.refs++;
                pc.ct = w;
                pc.ctinfo = ctinfo;
                stats.clashResolve++;
                return Conntrack.ACCEPT;
            }
            stats.drop++;
            stats.insertFailed++;
            return Conntrack.DROP;
        }
        table.hashInsert(e);
        stats.insert++;
        return Conntrack.ACCEPT;
    }

    private static boolean sameTuples(CtEntry a, CtEntry b) {
        CtTuple x = a.orig;
        CtTuple y = b.orig;
        CtTuple xr = a.reply;
        CtTuple yr = b.reply;
        return x.matches(y.l3, y.proto, y.srcHi, y.srcLo, y.dstHi, y.dstLo, y.srcPort, y.dstPort)
                && xr.matches(yr.l3, yr.proto, yr.srcHi, yr.srcLo, yr.dstHi, yr.dstLo, yr.srcPort, yr.dstPort);
    }
}
